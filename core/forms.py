"""Form pieces every app uses: the date input, a multiple choice of rows, the reason form, and putting a service's
refusal on a form."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of rows, with an id too large for the database refused like any unknown one."""

    def _check_values(self, value):
        # A 40-digit "id" overflows SQLite's integer before Django's own check can refuse it.
        try:
            return super()._check_values(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:20]}
            ) from None


class ReasonForm(forms.Form):
    """Why a change is made (a status change, a revocation), kept in the history; blank or spaces are refused.

    Its crispy helper leaves out the ``<form>`` tag: the page writes its own, with its buttons.
    """

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def add_service_error(form, error):
    """Put a service's refusal (a ``ValidationError`` or a domain error derived from it) on ``form``.

    A dict of errors goes field by field, each on its field when the form has one and on top of the form
    otherwise; a message or list of messages goes on top of the form.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
