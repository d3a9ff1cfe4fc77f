"""A channel's history as people read it: who changed which field from what to what, and why.

Built from django-simple-history's records in a constant number of queries: the records (with their users) in
one, then one query per related model for the names of the people, units and platforms they refer to.
"""

import dataclasses
import datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, Person, Platform, Purpose, Unit

# Bookkeeping that the status fields already tell, or that nobody reads.
HIDDEN_FIELDS = {"id", "normalised_address", "status_changed_at", "created_at", "updated_at"}
RELATED = {"platform": Platform, "owner_unit": Unit, "responsible_person": Person, "decided_by": Person,
           "holiday_cover_person": Person}  # fmt: skip


@dataclasses.dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class Change:
    when: datetime.datetime
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    fields: list

    @property
    def kind_label(self):
        return {"+": _("Added"), "~": _("Changed"), "-": _("Deleted")}[self.kind]


def _fields():
    return [f for f in Channel._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _display(field, value, names):
    if value in (None, "", []):
        return "–"
    if field.name in RELATED:
        return names.get((RELATED[field.name], value), f"#{value}")
    if field.name == "purposes":
        labels = dict(Purpose.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def channel_changes(channel, limit=None):
    """The channel's history, newest first, each record with the fields it changed."""
    records = list(
        channel.history.select_related("history_user", "history_user__person").order_by("history_date", "history_id")
    )
    fields = _fields()
    ids = {}
    for record in records:
        for name, model in RELATED.items():
            value = getattr(record, f"{name}_id")
            if value is not None:
                ids.setdefault(model, set()).add(value)
    names = {}
    for model, pks in ids.items():
        for obj in model.objects.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    changes, previous = [], None
    for record in records:
        field_changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous is not None else None
            if previous is None and new in (None, "", [], False):
                continue
            if previous is not None and old == new:
                continue
            field_changes.append(
                FieldChange(
                    capfirst(str(field.verbose_name)),
                    "" if previous is None else _display(field, old, names),
                    _display(field, new, names),
                )
            )
        changes.append(
            Change(
                when=record.history_date,
                who=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                fields=field_changes,
            )
        )
        previous = record
    changes.reverse()
    return changes[:limit] if limit else changes
