"""A policy rule's history as people read it (*Muutoshistoria*): who changed what, from what to what, when, and why.

Built from django-simple-history's records of the rule (``PolicyRule.history``) and of its platforms, in a fixed
number of queries whatever the number of changes.
"""

import datetime

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approvals.models import PolicyRule
from channels.models import Platform
from core.history import Change, FieldChange, field_changes

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
        changed = field_changes(previous, record, fields)
        if platforms != previous_platforms or (previous is None and platforms):
            old_text = "" if previous is None else _platform_names(previous_platforms, names)
            changed.append(FieldChange(platforms_label, old_text, _platform_names(platforms, names)))
        reason = record.history_change_reason or ""
        if reason == BASELINE_REASON and record.history_user_id is None:
            reason = str(_("The rule as it stood when its history began."))
        last = changes[-1] if changes else None
        if last is not None and changed and _same_change(last, previous, record, reason):
            last.fields.extend(changed)  # the platforms, saved a moment after the fields
        elif previous is None or changed:
            changes.append(Change(record.history_date, record.history_user, record.history_type, reason, changed))
        previous, previous_platforms = record, platforms
    changes.reverse()
    return changes
