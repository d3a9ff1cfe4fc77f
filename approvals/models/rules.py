"""The guideline's rules (and good practice beyond it) as checkable items: the policy checklist.

Each rule cites where it comes from: the sections of the 2016 guideline, or, for good practice, its
source. Rules are data (loaded by a migration, managed by the ICT secretary on the rule pages through
``approvals.rule_services``), never deleted: a rule that no longer applies is switched off or retired (inactive,
with the reason) so the answers given to it stay readable. Their texts are
Finnish, the guideline's language, with an English reading aid beside them (as the guideline pages are).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels.models import Platform
from core import organisation
from core.validators import single_line

__all__ = ["PolicyRule", "RuleKind", "RuleStage"]


class RuleStage(models.TextChoices):
    INTRODUCTION = "introduction", _("when a channel is introduced")
    ONGOING = "ongoing", _("while the channel is in use")


class RuleKind(models.TextChoices):
    AUTOMATIC = "automatic", _("checked from the registry's data")
    ATTESTED = "attested", _("attested by a person")


sections_validator = RegexValidator(
    r"^\d{1,2}(, \d{1,2})*$", _("Give the section numbers separated by a comma and a space, e.g. “1, 5, 6”.")
)


class PolicyRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_reviews(self):
        """The rules of a periodic review: active and checked while the channel is in use."""
        return self.active().filter(stage=RuleStage.ONGOING)

    def for_proposals(self):
        """The rules a proposer answers: active, checked at introduction, attested by a person."""
        return self.active().filter(stage=RuleStage.INTRODUCTION, kind=RuleKind.ATTESTED)


class PolicyRule(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("rule (Finnish)"), max_length=300, validators=[single_line])
    title_en = models.CharField(_("rule (English)"), max_length=300, blank=True, validators=[single_line])
    explanation = models.TextField(_("explanation (Finnish)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    sections = models.CharField(
        _("guideline sections"),
        max_length=20,
        blank=True,
        validators=[sections_validator, single_line],
        help_text=_("The sections of the guideline the rule comes from, e.g. “1, 5, 6”. Empty for good practice."),
    )
    source = models.CharField(
        _("source (Finnish)"),
        max_length=300,
        blank=True,
        help_text=_("For good practice: where the practice comes from."),
        validators=[single_line],
    )
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True, validators=[single_line])
    stage = models.CharField(_("checked"), max_length=20, choices=RuleStage.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    is_good_practice = models.BooleanField(
        _("good practice"), default=False, help_text=_("Good practice beyond the 2016 guideline, not its rule.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    disabled_reason = models.TextField(
        _("why not in use"),
        blank=True,
        help_text=_("Why the organisation switched the rule off or retired it; shown on the list of rules."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    platforms = models.ManyToManyField(
        Platform,
        verbose_name=_("platforms"),
        blank=True,
        related_name="+",
        help_text=_("The platforms the rule applies to. Empty: every platform."),
    )
    automatic_check = models.CharField(
        _("automatic check"),
        max_length=60,
        blank=True,
        help_text=_("For a rule checked from the registry's data: the name of the check that evaluates it."),
        validators=[single_line],
    )

    # The reason of each change (a switch-off, a retirement, an edit) is kept whole in the history.
    history = HistoricalRecords(m2m_fields=[platforms], history_change_reason_field=models.TextField(null=True))
    objects = PolicyRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy rules")
        ordering = ["position", "code"]
        constraints = [
            # A rule of the guideline says where in it; good practice says where it comes from.
            models.CheckConstraint(
                condition=(Q(is_good_practice=False) & ~Q(sections=""))
                | (Q(is_good_practice=True) & Q(sections="") & ~Q(source="")),
                name="policy_rule_cites_its_source",
            ),
        ]

    def __str__(self):
        return self.display_title

    def clean(self):
        from approvals.compliance import CHECKS

        if self.kind == RuleKind.AUTOMATIC and self.automatic_check not in CHECKS:
            raise ValidationError(
                {"automatic_check": _("Choose one of the checks: %(checks)s.") % {"checks": ", ".join(sorted(CHECKS))}}
            )
        if self.kind == RuleKind.ATTESTED and self.automatic_check:
            raise ValidationError({"automatic_check": _("A rule a person attests has no automatic check.")})
        if self.is_good_practice:
            errors = {}
            if self.sections:
                errors["sections"] = _("Good practice is not a rule of the guideline: leave the sections empty.")
            if not self.source.strip():
                errors["source"] = _("Say where the good practice comes from.")
            if errors:
                raise ValidationError(errors)
        elif not self.sections.strip():
            raise ValidationError({"sections": _("Give the sections of the guideline the rule comes from.")})

    def applies_to(self, channel):
        """Whether the rule applies to ``channel``'s platform (uses prefetched ``platforms`` when loaded)."""
        platform_ids = {platform.pk for platform in self.platforms.all()}
        return not platform_ids or channel.platform_id in platform_ids

    @property
    def is_automatic(self):
        return self.kind == RuleKind.AUTOMATIC

    @property
    def section_numbers(self):
        return [int(number) for number in re.findall(r"\d+", self.sections)]

    def _in_language(self, finnish, english):
        """The text in the active language, with ``{organisation}`` and ``{organisation_genitive}`` replaced by the
        organisation's name (core.organisation): the rules a fresh install starts with name no organisation."""
        in_english = bool(english) and (get_language() or "").startswith("en")
        text = english if in_english else finnish
        if "{organisation" not in text:
            return text
        name, genitive = organisation.current().names("en" if in_english else "fi")
        return text.replace("{organisation_genitive}", genitive).replace("{organisation}", name)

    @property
    def display_title(self):
        return self._in_language(self.title, self.title_en)

    @property
    def display_explanation(self):
        return self._in_language(self.explanation, self.explanation_en)

    @property
    def citation(self):
        """“§ 1, 5, 6” for the guideline's rules, the source for good practice."""
        return f"§ {self.sections}" if self.sections else self._in_language(self.source, self.source_en)
