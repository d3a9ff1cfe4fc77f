"""A policy rule's history as people read it (*Muutoshistoria*): who changed what, from what to what, when, and why.

Built from django-simple-history's records of the rule (``PolicyRule.history``) and of its platforms, in a fixed
number of queries whatever the number of changes.
"""

import dataclasses
import datetime

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approvals.models import PolicyRule
from channels.models import Platform

# The reason of the first record that migration approvals 0008 gave the rules seeded before the history began.
BASELINE_REASON = "Sääntö sellaisena kuin se oli, kun muutoshistoria alkoi"

SHOWN_FIELDS = [
    "title",
    "title_en",
    "explanation",
    "explanation_en",
    "sections",
    "is_good_practice",
    "source",
    "source_en",
    "stage",
    "kind",
    "automatic_check",
    "is_active",
    "disabled_reason",
]


@dataclasses.dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class Change:
    when: datetime.datetime
    who: object
    kind: str  # "+" created, "~" changed
    reason: str
    fields: list

    @property
    def kind_label(self):
        return _("Added") if self.kind == "+" else _("Changed")


def _display(field, value):
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    return str(value)


def _platform_names(ids, names):
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in ids)) or str(_("every platform"))


def _same_change(last, previous, record, reason):
    """Whether ``record`` only completes the change before it: one save of the fields, then one of the platforms."""
    return (
        previous is not None
        and last.reason == reason
        and previous.history_user_id == record.history_user_id
        and record.history_date - previous.history_date < datetime.timedelta(seconds=2)
    )


def rule_changes(rule):
    """The rule's changes, newest first; a change of its platforms alone is one change too."""
    records = list(
        rule.history.select_related("history_user", "history_user__person").order_by("history_date", "history_id")
    )
    platforms_of = {}
    through = apps.get_model("approvals", "HistoricalPolicyRule_platforms")
    for history_id, platform_id in through.objects.filter(history__in=[r.history_id for r in records]).values_list(
        "history_id", "platform_id"
    ):
        platforms_of.setdefault(history_id, set()).add(platform_id)
    names = dict(Platform.objects.values_list("pk", "name"))
    fields = [PolicyRule._meta.get_field(name) for name in SHOWN_FIELDS]
    platforms_label = capfirst(str(PolicyRule._meta.get_field("platforms").verbose_name))
    changes, previous, previous_platforms = [], None, frozenset()
    for record in records:
        platforms = frozenset(platforms_of.get(record.history_id, ()))
        field_changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and old == new:
                continue
            old_text = "" if previous is None else _display(field, old)
            field_changes.append(FieldChange(capfirst(str(field.verbose_name)), old_text, _display(field, new)))
        if platforms != previous_platforms or (previous is None and platforms):
            old_text = "" if previous is None else _platform_names(previous_platforms, names)
            field_changes.append(FieldChange(platforms_label, old_text, _platform_names(platforms, names)))
        reason = record.history_change_reason or ""
        if reason == BASELINE_REASON and record.history_user_id is None:
            reason = str(_("The rule as it stood when its history began."))
        last = changes[-1] if changes else None
        if last is not None and field_changes and _same_change(last, previous, record, reason):
            last.fields.extend(field_changes)  # the platforms, saved a moment after the fields
        elif previous is None or field_changes:
            changes.append(Change(record.history_date, record.history_user, record.history_type, reason, field_changes))
        previous, previous_platforms = record, platforms
    changes.reverse()
    return changes
