"""Forms of the guideline pages and the accessibility feedback. They validate input; services change data."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from somegov.models import GuidelineSection, GuidelineVersion

MAX_SECTION_BODY = 20_000
FEEDBACK_MESSAGE_MAX = 5_000
FEEDBACK_MESSAGE_MIN = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SectionForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("heading", "Title"), max_length=GuidelineSection._meta.get_field("title").max_length
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=MAX_SECTION_BODY,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Separate paragraphs with an empty line. A list item starts with “- ”, a subheading with “### ”, "
            "**bold** and *italics* work. HTML that could run in a browser is removed."
        ),
    )


class NewSectionForm(SectionForm):
    number = forms.CharField(
        label=_("Number"),
        max_length=GuidelineSection._meta.get_field("number").max_length,
        required=False,
        help_text=_("E.g. 8. Leave empty for an unnumbered part."),
    )
    field_order = ["number", "title", "body"]


class PublishForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("heading", "Title"), max_length=GuidelineVersion._meta.get_field("title").max_length
    )
    label = forms.CharField(
        label=_("Version label"),
        max_length=GuidelineVersion._meta.get_field("label").max_length,
        required=False,
        help_text=_("How the version is known, e.g. “Kunnanhallitus 12.3.2027”."),
    )
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=GuidelineVersion._meta.get_field("approved_by").max_length,
        help_text=_("The body that approved the text, e.g. Kunnanhallitus."),
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with the version. Everyone is asked to read the guideline again after publishing."),
    )

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise forms.ValidationError(_("The approval date cannot be in the future."))
        return approved_on


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
