"""A record's history as people read it: who changed which field from what to what, when, and why.

The pieces every history page shares (``channels.history`` for a channel and its update rights,
``approvals.rule_history`` for a policy rule): one change (``Change``) with its field changes (``FieldChange``),
a stored value shown as people read it (``display``), and the fields that differ between two records of
django-simple-history (``field_changes``). ``templates/_history.html`` shows a list of changes.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


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
    summary: str = ""  # what happened, in a sentence, where the fields alone do not say it

    @property
    def kind_label(self):
        if self.summary:
            return self.summary
        return {"+": _("Added"), "~": _("Changed"), "-": _("Deleted")}[self.kind]


def display(field, value):
    """A stored value of ``field`` as people read it: choices by their label, yes/no, numbers and dates the
    Finnish way, "–" for nothing."""
    if value in (None, "", []):
        return "–"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return number_format(value, 1)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def field_changes(previous, record, fields, show=display):
    """What differs in ``fields`` between two history records; for the first record (``previous`` None), the
    values it was created with. ``show(field, value)`` writes a value for people."""
    changes = []
    for field in fields:
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and new in (None, "", [], False):
            continue
        if previous is not None and old == new:
            continue
        changes.append(
            FieldChange(
                capfirst(str(field.verbose_name)), "" if previous is None else show(field, old), show(field, new)
            )
        )
    return changes
