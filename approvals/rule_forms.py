"""The forms of the rule pages: an attested rule's texts and citation, and the reason of every change.

The forms check what a person typed (lengths, one line, sections the guideline in force has); the services
(``approvals.rule_services``) check the rule as a whole and make the change.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approvals.models import PolicyRule, RuleStage
from approvals.models.rules import sections_validator
from approvals.rule_services import EDITABLE_FIELDS, REASON_MAX_LENGTH, check_sections
from channels.models import Platform
from core.forms import ModelChoicesField
from core.validators import single_line

TEXT_MAX_LENGTH = 5000


def _char(name, **kwargs):
    field = PolicyRule._meta.get_field(name)
    return forms.CharField(
        label=capfirst(field.verbose_name),
        max_length=field.max_length,
        help_text=field.help_text,
        validators=[single_line],
        **kwargs,
    )


class PlatformsField(ModelChoicesField):
    pass


class RuleForm(forms.Form):
    """An attested rule: what it asks (Finnish first), where it comes from, when and where it is checked."""

    title = _char("title")
    title_en = _char("title_en", required=False)
    explanation = forms.CharField(
        label=capfirst(_("explanation (Finnish)")),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person attesting should know or write in the note."),
    )
    explanation_en = forms.CharField(
        label=capfirst(_("explanation (English)")),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sections = forms.CharField(
        label=capfirst(_("guideline sections")),
        max_length=20,
        required=False,
        validators=[sections_validator],
        help_text=_("The sections of the guideline the rule comes from, e.g. “1, 5, 6”. Empty for good practice."),
    )
    is_good_practice = forms.BooleanField(
        label=capfirst(_("good practice")),
        required=False,
        help_text=_("Good practice beyond the guideline, not its rule: say its source instead of sections."),
    )
    source = _char("source", required=False)
    source_en = _char("source_en", required=False)
    stage = forms.ChoiceField(label=capfirst(_("checked")), choices=RuleStage.choices)
    platforms = PlatformsField(
        label=capfirst(_("platforms")),
        queryset=Platform.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The platforms the rule applies to. None chosen: every platform."),
    )
    reason = forms.CharField(
        label=capfirst(_("Reason")),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the rule is added or changed. Kept in the rule's history."),
    )

    @classmethod
    def for_rule(cls, rule, data=None):
        initial = {field: getattr(rule, field) for field in EDITABLE_FIELDS}
        initial["platforms"] = list(rule.platforms.all())
        return cls(data, initial=initial)

    def clean_sections(self):
        sections = self.cleaned_data["sections"]
        check_sections(sections)
        return sections

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_good_practice"):
            if cleaned.get("sections"):
                self.add_error("sections", _("Good practice is not a rule of the guideline: leave the sections empty."))
            if not cleaned.get("source") and "source" not in self.errors:
                self.add_error("source", _("Say where the good practice comes from."))
        elif "sections" in cleaned and not cleaned["sections"]:
            self.add_error("sections", _("Give the sections of the guideline the rule comes from."))
        return cleaned

    def values(self):
        return {field: self.cleaned_data[field] for field in EDITABLE_FIELDS}
