"""Forms of the guideline pages. They validate input; services change data."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DateInput
from guideline.models import GuidelineSection, GuidelineVersion

MAX_SECTION_BODY = 20_000


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
