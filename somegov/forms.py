"""Forms of the accessibility feedback, the audit log's filters, a login's roles and the organisation. They validate
input; services change data."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import organisation
from core.forms import DateInput
from core.models import AuditAction, Organisation
from core.organisation import LOGO_MAX_BYTES, LogoError, reencode_logo
from core.roles import Role
from core.validators import single_line

FEEDBACK_MESSAGE_MAX = 5_000
FEEDBACK_MESSAGE_MIN = 5


class AccessibilityFeedbackForm(forms.Form):
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False, validators=[single_line])
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_("Give an address if you want an answer."),
    )
    page_url = forms.CharField(
        label=_("Address of the page concerned (optional)"),
        max_length=500,
        required=False,
        validators=[single_line],
    )
    message = forms.CharField(
        label=_("Your feedback"),
        min_length=FEEDBACK_MESSAGE_MIN,
        max_length=FEEDBACK_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Describe the problem: what you tried to do and what happened. At most 5000 characters."),
    )
    # A honeypot: hidden from people (and from assistive technology), filled in by form-filling robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    field_order = ["name", "email", "page_url", "message", "website"]

    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class FeedbackAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note on the answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was answered and how (e-mail, phone, letter)."),
    )

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback = feedback

    def clean_answered_on(self):
        answered_on = self.cleaned_data["answered_on"]
        if answered_on > timezone.localdate():
            raise forms.ValidationError(_("The answer date cannot be in the future."))
        if self.feedback is not None and answered_on < self.feedback.received_on:
            raise forms.ValidationError(_("The answer cannot be dated before the feedback arrived."))
        return answered_on


class AuditLogFilterForm(forms.Form):
    """The audit log page's filters (GET); every one may be left empty."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    actor = forms.CharField(label=_("Who (username)"), max_length=150, required=False, validators=[single_line])
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    target = forms.CharField(
        label=_("Object"),
        max_length=100,
        required=False,
        help_text=_("The object's kind, number or name."),
        validators=[single_line],
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data


class RolesForm(forms.Form):
    """The roles of one login: the checked ones are what the login holds after saving."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    # Set by the confirmation page: the ICT secretary's role is removed only after the page asked.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class OrganisationForm(forms.ModelForm):
    """The organisation's names, website and contacts, and its logo (PNG or WebP, re-encoded; see
    core.organisation.reencode_logo)."""

    logo_file = forms.FileField(
        label=_("Logo (optional)"),
        required=False,
        help_text=_("A PNG or WebP image of at most 1 MB; it is shown beside the portal's name. No SVG."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = organisation.FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(single_line)
        self.logo = None  # the re-encoded PNG, when a file was given

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return upload
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo file is too large: at most %(size)s kB.") % {"size": LOGO_MAX_BYTES // 1024}
            )
        try:
            self.logo = reencode_logo(upload.read())
        except LogoError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
