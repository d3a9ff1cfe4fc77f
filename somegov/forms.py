"""Forms of the accessibility feedback. They validate input; services change data."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

FEEDBACK_MESSAGE_MAX = 5_000
FEEDBACK_MESSAGE_MIN = 5


class AccessibilityFeedbackForm(forms.Form):
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
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
