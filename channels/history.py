"""A channel's history as people read it: who changed which field from what to what, and why.

Built from django-simple-history's records of the channel and of its update rights, in a constant number of
queries: the records (with their users) in two, then one query per related model for the names of the people,
units and platforms they refer to.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, Person, Platform, Purpose, Unit, UpdateRight, UpdateRole
from core.history import Change, display, field_changes

# Bookkeeping that the status fields already tell, or that nobody reads.
HIDDEN_FIELDS = {"id", "normalised_address", "status_changed_at", "created_at", "updated_at"}
RELATED = {"platform": Platform, "owner_unit": Unit, "responsible_person": Person, "decided_by": Person,
           "holiday_cover_person": Person}  # fmt: skip
RIGHT_FIELDS = ("role", "weekly_hours")
# How an account is protected is a security arrangement, secret under the Openness Act (621/1999 §24(1)(7)):
# only those who manage the registry see these fields and their changes.
SECURITY_FIELDS = {"two_factor_method", "recovery_email_is_organisational", "recovery_phone_is_organisational",
                   "credentials_location", "content_exported_on"}  # fmt: skip


def _fields(include_security):
    hidden = HIDDEN_FIELDS if include_security else HIDDEN_FIELDS | SECURITY_FIELDS
    return [f for f in Channel._meta.concrete_fields if f.name not in hidden]


def _display(field, value, names):
    if value not in (None, "", []) and field.name in RELATED:
        return names.get((RELATED[field.name], value), f"#{value}")
    if value not in (None, "", []) and field.name == "purposes":
        labels = dict(Purpose.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return display(field, value)


def _names(channel_records, right_records):
    ids = {}
    for record in channel_records:
        for name, model in RELATED.items():
            value = getattr(record, f"{name}_id")
            if value is not None:
                ids.setdefault(model, set()).add(value)
    for record in right_records:
        ids.setdefault(Person, set()).add(record.person_id)
    names = {}
    for model, pks in ids.items():
        for obj in model.objects.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _channel_changes(records, names, include_security):
    fields = _fields(include_security)
    changes, previous = [], None
    for record in records:
        changed = field_changes(previous, record, fields, lambda field, value: _display(field, value, names))
        if changed or previous is None or record.history_change_reason:
            changes.append(
                Change(record.history_date, record.history_user, record.history_type,
                       record.history_change_reason or "", changed)
            )  # fmt: skip
        previous = record
    return changes


def _right_changes(records, names):
    role_labels = dict(UpdateRole.choices)
    fields = [UpdateRight._meta.get_field(name) for name in RIGHT_FIELDS]
    changes, previous_of = [], {}
    for record in records:
        person = names.get((Person, record.person_id), f"#{record.person_id}")
        previous = previous_of.get(record.id)
        values = {"person": person, "role": role_labels.get(record.role, record.role),
                  "hours": number_format(record.weekly_hours, 1)}  # fmt: skip
        if previous is None:
            summary = _("Update right granted: %(person)s, %(role)s, %(hours)s h a week") % values
            changes.append(Change(record.history_date, record.history_user, "+", "", [], str(summary)))
        elif previous.revoked_at is None and record.revoked_at is not None:
            summary = _("Update right revoked: %(person)s") % values
            changes.append(
                Change(record.history_date, record.history_user, "~", record.revoke_reason, [], str(summary))
            )
        else:
            changed = field_changes(previous, record, fields, lambda field, value: _display(field, value, names))
            if changed:
                summary = _("Update right changed: %(person)s") % values
                changes.append(Change(record.history_date, record.history_user, "~", "", changed, str(summary)))
        previous_of[record.id] = record
    return changes


def channel_changes(channel, limit=None, include_security=False):
    """The channel's history and its update rights' history, newest first, each with what it changed.

    Changes of the account security fields are left out unless ``include_security`` (a record that changed only
    those is left out whole, so that readers cannot tell when the security arrangements changed).
    """
    users = ("history_user", "history_user__person")
    channel_records = list(channel.history.select_related(*users).order_by("history_date", "history_id"))
    right_records = list(
        UpdateRight.history.filter(channel_id=channel.pk).select_related(*users).order_by("history_date", "history_id")
    )
    names = _names(channel_records, right_records)
    changes = _channel_changes(channel_records, names, include_security) + _right_changes(right_records, names)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit] if limit else changes
