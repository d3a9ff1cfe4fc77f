"""Forms of the guideline pages. They validate input; services change data."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DateInput
from core.validators import single_line
from guideline import loading
from guideline.models import GuidelineSection, GuidelineVersion, TranslationStanding

MAX_SECTION_BODY = 20_000


class SectionForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("heading", "Title"),
        max_length=GuidelineSection._meta.get_field("title").max_length,
        validators=[single_line],
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
        validators=[single_line],
        help_text=_("E.g. 8. Leave empty for an unnumbered part."),
    )
    field_order = ["number", "title", "body"]


class PublishForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("heading", "Title"),
        max_length=GuidelineVersion._meta.get_field("title").max_length,
        validators=[single_line],
    )
    label = forms.CharField(
        label=_("Version label"),
        max_length=GuidelineVersion._meta.get_field("label").max_length,
        required=False,
        validators=[single_line],
        help_text=_("How the version is known, e.g. “Kunnanhallitus 12.3.2027”."),
    )
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=GuidelineVersion._meta.get_field("approved_by").max_length,
        validators=[single_line],
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
        if approved_on and approved_on > timezone.localdate():
            raise forms.ValidationError(_("The approval date cannot be in the future."))
        return approved_on


class TranslationPublishForm(PublishForm):
    """Publishing a language version: its title in its own language; the approval and the note are optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("approved_by", "approved_on", "note"):
            self.fields[name].required = False
        self.fields["approved_by"].help_text = _(
            "For an equally authoritative language version, the body that approved it, e.g. Kunnanhallitus."
        )
        self.fields["note"].label = _("Note")
        self.fields["note"].help_text = _("Shown with the language version, e.g. who translated it.")


def _parse_upload(upload):
    """The guideline in an uploaded Markdown or Word file, split at its headings; refuses anything else."""
    name = (upload.name or "").lower()
    if not name.endswith((".md", ".markdown", ".txt", ".docx")):
        raise forms.ValidationError(_("Choose a Markdown (.md) or Word (.docx) file."))
    if upload.size > loading.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is too large. The limit is %(limit)s MB.")
            % {"limit": loading.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        return loading.parse_file(upload.read(), name)
    except loading.ImportRefused as error:
        raise forms.ValidationError(error.messages) from error


class ImportForm(forms.Form):
    """An organisation's own guideline as a Markdown or Word file; it becomes a draft split at its headings."""

    file = forms.FileField(
        label=_("Guideline file (Markdown or Word)"),
        help_text=_(
            "A .md or .docx file of at most 2 MB. Each heading starts a section (“# 1. Johdanto” in Markdown, "
            "the Heading 1 style in Word); a number at the start of a heading becomes the section's number."
        ),
    )
    title = forms.CharField(
        label=pgettext_lazy("heading", "Title"),
        max_length=GuidelineVersion._meta.get_field("title").max_length,
        required=False,
        validators=[single_line],
        help_text=_("Leave empty to use the file's own title (a single heading above the sections)."),
    )
    label = forms.CharField(
        label=_("Version label"),
        max_length=GuidelineVersion._meta.get_field("label").max_length,
        required=False,
        validators=[single_line],
        help_text=_("How the version is known, e.g. “Kunnanhallitus 12.3.2027”."),
    )

    @staticmethod
    def limit_mb():
        return loading.MAX_UPLOAD_BYTES // (1024 * 1024)

    def __init__(self, *args, **kwargs):
        from crispy_forms.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["file"].widget.attrs["accept"] = ".md,.markdown,.txt,.docx,text/markdown"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["parsed"] = _parse_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        parsed = cleaned.get("parsed")
        if parsed is not None and not cleaned.get("title", "").strip() and not parsed.title:
            self.add_error("title", _("The file has no title of its own: give the guideline a title."))
        return cleaned


FROM_COPY, FROM_FILE = "copy", "file"


class TranslationForm(forms.Form):
    """A new language version of the version in force: its language and standing, from a copy or a file."""

    language = forms.ChoiceField(label=_("Language"))
    standing = forms.ChoiceField(
        label=_("Standing"),
        choices=TranslationStanding.choices,
        initial=TranslationStanding.READING_AID,
        widget=forms.RadioSelect,
        help_text=_(
            "A reading aid helps reading; only the original is binding. An equally authoritative language version "
            "binds as the original does: the organisation decides which."
        ),
    )
    source = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (FROM_COPY, _("A copy of the sections, to translate here")),
            (FROM_FILE, _("A translated Markdown or Word file")),
        ],
        initial=FROM_COPY,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Translated file (Markdown or Word)"),
        required=False,
        help_text=_(
            "A .md or .docx file of at most 2 MB with the same sections as the original, numbered the same way "
            "and in the same order; each heading starts a section."
        ),
    )

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)
        self.fields["file"].widget.attrs["accept"] = ".md,.markdown,.txt,.docx,text/markdown"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if cleaned.get("source") == FROM_FILE:
            if not upload:
                self.add_error("file", _("Choose the translated file, or start from a copy instead."))
            else:
                try:
                    cleaned["parsed"] = _parse_upload(upload)
                except forms.ValidationError as error:
                    self.add_error("file", error)
        else:
            cleaned["parsed"] = None
        return cleaned
