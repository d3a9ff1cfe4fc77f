"""Planning an import (what each row would create or change, every error by row and column) and applying it."""

import copy
import dataclasses
import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from channels import services, versioning
from channels.addresses import InvalidAddress, normalise_address
from channels.models import Channel, ChannelStatus, Purpose
from channels.transfer.columns import COLUMNS, HEADERS, Lookups, display_value
from channels.transfer.reading import cell_text


class ImportRefused(Exception):
    def __init__(self, plan):
        super().__init__("import refused")
        self.plan = plan


def _status_names():
    names = {}
    for status in ChannelStatus:
        names[status.value] = status
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(status.label).casefold()] = status
    return names


def _purpose_names():
    names = {}
    for purpose in Purpose:
        names[purpose.value] = purpose.value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(purpose.label).casefold()] = purpose.value
    return names


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")
PURPOSE_ORDER = Purpose.values


def _parse_date(text):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError


class CellError(Exception):
    pass


def _parse(column, value, lookups, names):
    """The Python value of one cell, or CellError with the message to show."""
    text = cell_text(value)
    kind = column.kind
    if kind == "id":
        if not text:
            return None
        if not re.fullmatch(r"[0-9]+", text):
            raise CellError(_("A number is expected here; leave it empty for a new channel."))
        if int(text) not in lookups.channels:
            raise CellError(_("There is no channel number %(number)s in the registry.") % {"number": text})
        return lookups.channels[int(text)]
    if kind == "platform":
        if not text:
            raise CellError(_("Give the platform."))
        platform = lookups.platforms.get(text.casefold())
        if platform is None:
            raise CellError(
                _("Unknown platform “%(value)s”. Known platforms: %(known)s.")
                % {"value": text, "known": ", ".join(sorted({p.name for p in lookups.platforms.values()}))}
            )
        return platform
    if kind == "unit":
        if not text:
            raise CellError(_("Give the owning unit."))
        unit = lookups.units_by_path.get(re.sub(r"\s*/\s*", " / ", text).casefold())
        if unit:
            return unit
        found = lookups.units_by_name.get(text.casefold(), [])
        if not found:
            raise CellError(_("Unknown unit “%(value)s”.") % {"value": text})
        if len(found) > 1:
            raise CellError(
                _("There are several units named “%(value)s”: write it with the unit above, e.g. “%(example)s”.")
                % {"value": text, "example": f"{found[0].parent.name} / {found[0].name}"}
            )
        return found[0]
    if kind == "person":
        if not text:
            return None
        match = re.fullmatch(r"(.*?)\s*<([^>]+)>", text)
        email = (match.group(2) if match else text if "@" in text else "").casefold()
        if email:
            person = lookups.people_by_email.get(email)
            if person is None:
                raise CellError(_("Nobody in the registry has the work e-mail “%(value)s”.") % {"value": email})
            return person
        found = lookups.people_by_name.get(" ".join(text.split()).casefold(), [])
        if not found:
            raise CellError(
                _("Unknown person “%(value)s”. Add the person in the administration first.") % {"value": text}
            )
        if len(found) > 1:
            raise CellError(
                _("There are several people named “%(value)s”: give the work e-mail instead.") % {"value": text}
            )
        return found[0]
    if kind == "status":
        if not text:
            return None
        status = names["status"].get(text.casefold())
        if status is None:
            raise CellError(
                _("Unknown status “%(value)s”. Use one of: %(known)s.")
                % {"value": text, "known": ", ".join(str(s.label).lower() for s in ChannelStatus)}
            )
        return status
    if kind == "purposes":
        values, unknown = [], []
        for part in re.split(r"[;\n]", text):
            part = part.strip().rstrip(",").strip()
            if not part:
                continue
            value = names["purposes"].get(part.casefold())
            if value is None:
                unknown.append(part)
            elif value not in values:
                values.append(value)
        if unknown:
            raise CellError(_("Unknown purposes: %(values)s.") % {"values": ", ".join(f"“{u}”" for u in unknown)})
        return [purpose for purpose in PURPOSE_ORDER if purpose in values]  # in the order of §2
    if kind == "date":
        if not text:
            return None
        try:
            return _parse_date(text)
        except ValueError:
            raise CellError(_("“%(value)s” is not a date: write it as 31.12.2026.") % {"value": text}) from None
    return text


@dataclasses.dataclass
class RowChange:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class RowPlan:
    number: int
    name: str = ""
    action: str = "error"  # create, update, unchanged, error
    channel: object = None  # the channel as it will be saved (unsaved for create)
    new_status: object = None  # for an update that changes the status
    assignments: dict = dataclasses.field(default_factory=dict)  # field: value, what the row sets on the channel
    changes: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)  # (column header, message)

    @property
    def action_label(self):
        return {
            "create": _("Will be added"),
            "update": _("Will be changed"),
            "unchanged": _("No changes"),
            "error": _("Error"),
        }[self.action]


@dataclasses.dataclass
class RowsPlan:
    """What an import of a file's rows would do: each row's plan (with ``action`` and ``errors``) and the file's own
    errors. The channel import and the units import (``channels.transfer.units``) share it."""

    rows: list
    file_errors: list = dataclasses.field(default_factory=list)

    @property
    def error_count(self):
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def has_errors(self):
        return self.error_count > 0

    def _count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self._count("create")

    @property
    def unchanged(self):
        return self._count("unchanged")


@dataclasses.dataclass
class ImportPlan(RowsPlan):
    ignored_columns: list = dataclasses.field(default_factory=list)

    @property
    def changed(self):
        return self._count("update")

    @property
    def change_count(self):
        return self.created + self.changed


FIELD_COLUMNS = {column.field: column.header for column in COLUMNS}


def plan_import(table, on=None):
    """What importing ``table`` would do, row by row, with every error by row and column. Changes nothing."""
    on = on or timezone.localdate()
    lookups = Lookups()
    names = {"status": _status_names(), "purposes": _purpose_names()}
    plan = ImportPlan(rows=[])
    columns = []
    for header in table.headers:
        column = HEADERS.get(header.casefold())
        if column is None or not column.imported:
            if header and column is None:
                plan.ignored_columns.append(header)
            columns.append(None)
        else:
            columns.append(column)
    present = {column.header for column in columns if column}
    duplicated = {c.header for c in columns if c and sum(1 for d in columns if d is c) > 1}
    for header in sorted(duplicated):
        plan.file_errors.append(_("The column “%(column)s” appears twice.") % {"column": header})
    for column in COLUMNS:
        if column.required and column.header not in present:
            plan.file_errors.append(_("The column “%(column)s” is missing.") % {"column": column.header})
    if plan.file_errors:
        return plan
    seen_addresses, seen_channels = {}, {}
    for number, cells in table.rows:
        plan.rows.append(_plan_row(number, cells, columns, lookups, names, seen_addresses, seen_channels, on))
    return plan


def _plan_row(number, cells, columns, lookups, names, seen_addresses, seen_channels, on):
    row = RowPlan(number)
    values = {}
    for index, column in enumerate(columns):
        if column is None:
            continue
        cell = cells[index] if index < len(cells) else None
        try:
            values[column.field] = _parse(column, cell, lookups, names)
        except CellError as exc:
            row.errors.append((column.header, exc.args[0]))
    row.name = values.get("name") or ""
    if "name" in values and not values["name"]:
        row.errors.append(("Nimi", _("Give the channel's name.")))
    failed = {FIELD_COLUMNS_REVERSE[header] for header, _message in row.errors}
    platform = values.get("platform")
    # Which channel the row is: its number, else its address on the platform, else its name on the platform.
    existing = values.get("pk")
    normalised = None
    if platform and values.get("address"):
        try:
            normalised = normalise_address(values["address"], platform.slug)
        except InvalidAddress as exc:
            row.errors.append(("Osoite", exc.message))
            failed.add("address")
    if existing is None and platform and "pk" not in failed:
        if normalised:
            existing = lookups.by_address.get((platform.pk, normalised))
        elif values.get("name"):
            same_name = lookups.by_name.get((platform.pk, values["name"].casefold()), [])
            existing = same_name[0] if len(same_name) == 1 else None
    if existing is not None:
        if existing.pk in seen_channels:
            row.errors.append(
                ("Tunniste", _("Row %(row)s is the same channel already.") % {"row": seen_channels[existing.pk]})
            )
            return row
        seen_channels[existing.pk] = number
    if normalised and platform:
        key = (platform.pk, normalised)
        if key in seen_addresses:
            row.errors.append(
                ("Osoite", _("The same address is on row %(row)s already.") % {"row": seen_addresses[key]})
            )
        else:
            seen_addresses[key] = number
    channel = _copy(existing) if existing is not None else Channel(status=values.get("status") or ChannelStatus.ACTIVE)
    old = {column.field: getattr(channel, column.field, None) for column in COLUMNS if column.imported}
    for field, value in values.items():
        if field in ("pk", "status") or field in failed:
            continue
        row.assignments[field] = value if value is not None or field not in TEXT_FIELDS else ""
        setattr(channel, field, row.assignments[field])
    new_status = values.get("status")
    if existing is not None and new_status and new_status != existing.status:
        if new_status not in services.TRANSITIONS[ChannelStatus(existing.status)]:
            row.errors.append(
                (
                    "Tila",
                    _("A channel that is %(current)s cannot become %(new)s.")
                    % {
                        "current": ChannelStatus(existing.status).label.lower(),
                        "new": ChannelStatus(new_status).label.lower(),
                    },
                )
            )
        else:
            row.new_status = new_status
            channel.status = new_status
    if channel.status == ChannelStatus.RETIRED and channel.retired_on is None:
        channel.retired_on = on
        if existing is None:
            row.assignments["retired_on"] = on
    try:
        _validate(channel, failed, lookups, normalised)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field in failed:
                continue  # already reported from the cell itself
            header = FIELD_COLUMNS.get(field) or ("Osoite" if field == "normalised_address" else "Nimi")
            for message in messages:
                row.errors.append((header, message))
    if existing is not None and row.new_status:
        channel.status = existing.status  # the status moves through services.change_status when applied
    row.channel = channel
    if row.errors:
        row.action = "error"
        return row
    if existing is None:
        row.action = "create"
        row.changes = [
            RowChange(column.header, "", display_value(column, values[column.field], lookups))
            for column in COLUMNS
            if column.imported and column.field in values and column.field != "pk" and values[column.field]
        ]
        if "status" not in values or not values["status"]:
            row.changes.append(RowChange("Tila", "", str(ChannelStatus.ACTIVE.label)))
        return row
    for column in COLUMNS:
        if not column.imported or column.field in ("pk",) or column.field not in values:
            continue
        before = old[column.field]
        after = row.new_status if column.field == "status" else getattr(channel, column.field)
        if column.field == "status" and not row.new_status:
            continue
        if _comparable(before) != _comparable(after):
            row.changes.append(
                RowChange(column.header, display_value(column, before, lookups), display_value(column, after, lookups))
            )
    row.action = "update" if row.changes else "unchanged"
    return row


TEXT_FIELDS = {column.field for column in COLUMNS if column.kind == "text"}
FIELD_COLUMNS_REVERSE = {column.header: column.field for column in COLUMNS}


FOREIGN_KEYS = [field.name for field in Channel._meta.concrete_fields if field.is_relation]


def _validate(channel, failed, lookups, normalised):
    """``full_clean`` without a query per row: everything it would ask the database is in ``lookups`` already.

    - The address is normalised once: ``normalised`` is the row's address normalised already (None: not done).
    - The duplicate address (``Channel.clean``) is looked up among the channels in memory.
    - A unit, platform or person given is one read from the database (by ``Lookups`` or with the channel), so
      checking that it exists (one query each) is left out.
    - The database's check constraints (one query each) are left out: ``Channel.clean`` gives their messages
      (a channel in use needs its address), the planning gives a retired channel its date, and the review
      interval is not imported. The services check all of them again when the plan is applied.
    """
    # Instance attributes in front of the model's methods of the same names, for this one check.
    channel.address_clash = lambda: lookups.address_clash(channel)
    if normalised is not None:
        channel.address_key = lambda: normalised
    given = [field for field in FOREIGN_KEYS if getattr(channel, Channel._meta.get_field(field).attname) is not None]
    try:
        # validate_unique: a channel has no unique field but its number; the address is checked in clean().
        channel.full_clean(
            exclude=[*failed, *given, "status_changed_at"], validate_unique=False, validate_constraints=False
        )
    finally:
        channel.__dict__.pop("address_clash", None)
        channel.__dict__.pop("address_key", None)


def _comparable(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    return value


def _copy(channel):
    clone = copy.copy(channel)
    clone.purposes = list(channel.purposes or [])
    return clone


def apply_import(table, *, actor, on=None):
    """Plan ``table`` and save it, all or nothing; raises ``ImportRefused`` (with the plan) on any error.

    For the command line, which has no preview to confirm; the import page applies the previewed plan
    (``apply_previewed``)."""
    with transaction.atomic():
        # The version's row lock first: the rows below lock channel after channel (see channels.versioning).
        versioning.current(lock=True)
        plan = plan_import(table, on)
        if plan.has_errors:
            raise ImportRefused(plan)
        try:
            _apply_rows(_stored_rows(plan), actor=actor, on=on)
        except _RowRefused as exc:
            row = next(row for row in plan.rows if row.number == exc.number)
            row.errors.extend(("", message) for message in exc.messages)
            row.action = "error"
            raise ImportRefused(plan) from exc
    return plan


# --- The previewed plan, kept until it is confirmed ------------------------------------------------------------
# The preview keeps the plan it showed in the session, with the registry's version it was computed against
# (``channels.versioning``), under a random token that the confirmation form sends back. Confirming applies that
# plan, without reading the file again, if the registry is still at that version; otherwise nothing is saved
# and the file must be previewed again. People are not in the version: a plan's person who has been removed
# meanwhile makes the services refuse the row, and so the whole file.

SESSION_KEY = "channels_import_plan"


class PreviewExpired(Exception):
    """No previewed plan has this token: none was made, another preview replaced it, or it was applied."""


class RegistryChanged(Exception):
    """The registry has changed since the preview: the previewed plan may no longer be what the file means."""


@dataclasses.dataclass(frozen=True)
class ImportSummary:
    created: int
    changed: int
    unchanged: int


def current_version():
    """The registry's version to keep with a plan: read before the plan, so that a change made while planning
    makes the confirmation refuse rather than apply a plan computed half before and half after it."""
    return versioning.current()


def remember_plan(session, plan, version, *, name=""):
    """Keep ``plan`` (without errors) for its confirmation; returns the token for the confirmation form."""
    token = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "version": version,
        "summary": [plan.created, plan.changed, plan.unchanged],
        "rows": _stored_rows(plan),
    }
    return token


def previewed_name(session):
    """The name of the file whose plan waits for its confirmation ("" when none does)."""
    return (session.get(SESSION_KEY) or {}).get("name", "")


def forget_plan(session):
    session.pop(SESSION_KEY, None)


def apply_previewed(session, token, *, actor, on=None):
    """Apply the plan previewed under ``token`` in one transaction, and forget it. Raises ``PreviewExpired``,
    ``RegistryChanged`` or ``ImportRefused`` (a row the services refused) and then saves nothing."""
    stored = session.get(SESSION_KEY)
    if not stored or not secrets.compare_digest(stored["token"].encode(), str(token).encode()):
        raise PreviewExpired
    try:
        with transaction.atomic():
            # Locks the version's row until the commit: no other change can come between the check and the rows.
            if versioning.current(lock=True) != stored["version"]:
                raise RegistryChanged
            _apply_rows(stored["rows"], actor=actor, on=on)
    except RegistryChanged:
        forget_plan(session)
        raise
    except _RowRefused as exc:
        forget_plan(session)
        row = RowPlan(exc.number, exc.name, errors=[("", message) for message in exc.messages])
        raise ImportRefused(ImportPlan(rows=[row])) from exc
    forget_plan(session)
    return ImportSummary(*stored["summary"])


class _RowRefused(Exception):
    def __init__(self, number, name, messages):
        super().__init__(number)
        self.number, self.name, self.messages = number, name, messages


def _stored_rows(plan):
    """The plan's changes as JSON-ready dicts: what each row sets, as the preview showed it."""
    rows = []
    for row in plan.rows:
        if row.action == "create":
            assignments = {**row.assignments, "status": row.channel.status}
        elif row.action == "update":
            changed = {FIELD_COLUMNS_REVERSE[change.label] for change in row.changes}
            assignments = {field: value for field, value in row.assignments.items() if field in changed}
        else:
            continue
        rows.append(
            {
                "number": row.number,
                "name": row.name,
                "pk": None if row.action == "create" else row.channel.pk,
                "set": {field: _to_json(value) for field, value in assignments.items()},
                "new_status": row.new_status,
            }
        )
    return rows


def _to_json(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _assign(channel, assignments):
    for name, value in assignments.items():
        field = Channel._meta.get_field(name)
        if field.is_relation:
            setattr(channel, field.attname, value)
        elif isinstance(field, DateField) and value is not None:
            setattr(channel, name, datetime.date.fromisoformat(value))
        else:
            setattr(channel, name, value)


def _apply_rows(rows, *, actor, on):
    """Save the stored rows through the services, in the caller's transaction, which holds the version's row
    lock already (taken before any channel's: see channels.versioning)."""
    versioning.bump()
    reason = _("Imported from a spreadsheet")
    existing = Channel.objects.in_bulk([row["pk"] for row in rows if row["pk"] is not None])
    for row in rows:
        try:
            if row["pk"] is None:
                channel = Channel()
                _assign(channel, row["set"])
                services.create_channel(channel, actor=actor, reason=reason, on=on)
                continue
            channel = existing.get(row["pk"])
            if channel is None:
                raise ValidationError(_("The channel has been removed from the registry."))
            details = {field: value for field, value in row["set"].items() if field != "status"}
            if details:
                _assign(channel, details)
                services.update_channel(channel, actor=actor, reason=reason)
            if row["new_status"]:
                services.change_status(channel, row["new_status"], actor=actor, reason=reason, on=on)
        except ValidationError as exc:
            raise _RowRefused(row["number"], row["name"], exc.messages) from exc
