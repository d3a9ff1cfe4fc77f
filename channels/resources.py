"""Import from and export to the spreadsheet the ICT secretary kept before the portal (CSV or XLSX).

The columns have Finnish headers (the file's language, whatever the portal's), and platforms, units and
people are matched by name, so the secretary's own spreadsheet can be read. The export writes the same
columns, so an exported file imports back with no changes.

An import is planned first (``plan_import``: what each row would create or change, and every error by row and
column) and applied only when the plan has no errors, in one transaction (``apply_import``), through the same
services as the browser. Update rights are not imported: each grant must pass ``services.grant_right``'s checks
(authorisation, commitment), so they are granted on the channel page; the export lists them for reading only.
"""

import base64
import csv
import dataclasses
import datetime
import io
import re
import secrets
import zipfile
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from channels import services, versioning
from channels.addresses import InvalidAddress, normalise_address
from channels.models import Channel, ChannelStatus, Person, Platform, Purpose, Unit

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a registry of a few hundred channels is a few tens of kilobytes
MAX_ROWS = 5000
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LIST_SEPARATOR = "; "


@dataclasses.dataclass(frozen=True)
class Column:
    header: str  # Finnish, as in the file
    field: str
    kind: str  # text, id, platform, unit, person, status, purposes, date, url, export
    help: str
    required: bool = False

    @property
    def imported(self):
        return self.kind != "export"


COLUMNS = [
    Column("Tunniste", "pk", "id", _("The portal's number for the channel; empty for a new channel.")),
    Column("Palvelu", "platform", "platform", _("The platform's name, e.g. Facebook or Internetsivut."), True),
    Column("Nimi", "name", "text", _("The channel's name."), True),
    Column("Osoite", "address", "text", _("The web address or handle of the account.")),
    Column("Yksikkö", "owner_unit", "unit", _("The owning unit's name."), True),
    Column("Tila", "status", "status", _("Proposed, approved, active, paused or retired; empty means active.")),
    Column("Tarkoitukset", "purposes", "purposes", _("The purposes of §2, separated by semicolons.")),
    Column("Tavoitteet", "goals", "text", _("What the channel aims for.")),
    Column("Kohderyhmä", "target_audience", "text", _("Who the channel is for.")),
    Column("Vastuuhenkilö", "responsible_person", "person", _("The responsible person's name or work e-mail.")),
    Column("Päätöksen tekijä", "decided_by", "person", _("Who decided on introducing the channel.")),
    Column("Päätöspäivä", "decided_on", "date", _("The decision's date, e.g. 26.1.2016.")),
    Column("Päätöksen viite", "decision_reference", "text", _("The decision's number and section.")),
    Column("Linkki kunnan sivuilla", "website_link_url", "text", _("The municipal web page that links to it.")),
    Column("Lomasijainen", "holiday_cover_person", "person", _("Who looks after the channel during holidays.")),
    Column("Lomajärjestely", "holiday_cover_arrangement", "text", _("How it is looked after in holidays.")),
    Column("Viimeksi tarkistettu", "last_reviewed_on", "date", _("The date of the last review.")),
    Column("Seuraava tarkistus", "next_review_on", "date", _("The date of the next review.")),
    Column("Virallinen alkaen", "official_since", "export", _("Written by the export; not read.")),
    Column("Lopetettu", "retired_on", "export", _("Written by the export; not read.")),
    Column("Päivitysoikeudet", "rights", "export", _("Written by the export; not read.")),
    Column("Puutteet", "problems", "export", _("Written by the export; not read.")),
]  # fmt: skip
HEADERS = {column.header.casefold(): column for column in COLUMNS}


class ImportRefused(Exception):
    def __init__(self, plan):
        super().__init__("import refused")
        self.plan = plan


# --- Reading a file ----------------------------------------------------------------------------------------


@dataclasses.dataclass
class Table:
    headers: list
    rows: list  # (spreadsheet row number, [cells])


def read_table(name, raw):
    """A ``Table`` from an uploaded file's bytes, or ``ValidationError`` with a message for the secretary."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": number_format(len(raw) / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not raw.strip():
        raise ValidationError(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise ValidationError(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again."))
    if extension == "xlsx":
        rows = _xlsx_rows(raw)
    elif extension in ("csv", "txt"):
        rows = _csv_rows(raw)
    else:
        raise ValidationError(_("Only CSV and Excel (.xlsx) files can be imported."))
    rows = [(number, cells) for number, cells in rows if any(_text(cell) for cell in cells)]
    if not rows:
        raise ValidationError(_("The file is empty."))
    (_header_number, headers), data = rows[0], rows[1:]
    if not data:
        raise ValidationError(_("The file has column headers but no channels."))
    if len(data) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS})
    return Table([_text(header) for header in headers], data)


def _xlsx_rows(raw):
    import openpyxl

    if not raw.startswith(b"PK"):
        raise ValidationError(_("The file is not an Excel workbook, although its name ends in .xlsx."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(_("The Excel file cannot be read. Save it again in Excel and retry.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=60), start=1):
        if number > MAX_ROWS + 1:
            raise ValidationError(_("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS})
        rows.append((number, list(values)))
    workbook.close()
    return rows


def decode_text(raw):
    """Text of a CSV file: UTF-8 (with or without the BOM Excel writes), else Windows-1252, Excel's default
    for "CSV" in Finland, in which ä and ö are single bytes that are not valid UTF-8."""
    if b"\x00" in raw:
        raise ValidationError(_("The file is not a text (CSV) file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file's character encoding was not recognised. Save it as CSV UTF-8.")) from exc


def _csv_rows(raw):
    text = decode_text(raw)
    first_line = text.lstrip().split("\n", 1)[0]
    # Finnish Excel writes semicolons (the comma is the decimal separator); others write commas or tabs.
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


# A cell that starts with one of these is a formula to Excel (and to openpyxl): a name like "=HYPERLINK(...)" typed
# into the registry must not run in the secretary's Excel. The export writes such text with a leading apostrophe,
# as Excel itself does, and the import takes it off again, so the round trip still changes nothing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("At most 2 MB. CSV may be separated by semicolons or commas, in UTF-8 or Windows-1252."),
    )

    def __init__(self, *args, **kwargs):
        from crispy_forms.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        raw = upload.read()
        self.cleaned_data["raw"] = raw
        self.cleaned_data["table"] = read_table(upload.name, raw)
        return upload


def remember_upload(session, name, raw):
    token = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {"token": token, "name": name, "raw": base64.b64encode(raw).decode("ascii")}
    return token


def recall_upload(session, token):
    stored = session.get(SESSION_KEY)
    if not stored or not token or not secrets.compare_digest(stored["token"], token):
        return None
    return stored["name"], base64.b64decode(stored["raw"])


def forget_upload(session):
    session.pop(SESSION_KEY, None)


SESSION_KEY = "channels_import"


# --- Matching names ----------------------------------------------------------------------------------------


class Lookups:
    """Platforms, units, people and channels loaded once (a few queries), for matching every row by name."""

    def __init__(self):
        self.platforms = {}
        for platform in Platform.objects.all():
            self.platforms[platform.name.casefold()] = platform
            self.platforms[platform.slug.casefold()] = platform
        units = list(Unit.objects.select_related("parent"))
        self.units_by_name, self.units_by_path = {}, {}
        for unit in units:
            self.units_by_name.setdefault(unit.name.casefold(), []).append(unit)
            if unit.parent:
                self.units_by_path[f"{unit.parent.name} / {unit.name}".casefold()] = unit
        self.people_by_name, self.people_by_email = {}, {}
        for person in Person.objects.all():
            self.people_by_name.setdefault(person.full_name.casefold(), []).append(person)
            if person.work_email:
                self.people_by_email[person.work_email.casefold()] = person
        self.channels = {channel.pk: channel for channel in Channel.objects.select_related("platform")}
        self.by_address = {
            (channel.platform_id, channel.normalised_address): channel
            for channel in self.channels.values()
            if channel.normalised_address
        }
        self.by_name = {}
        for channel in self.channels.values():
            self.by_name.setdefault((channel.platform_id, channel.name.casefold()), []).append(channel)

    def unit_label(self, unit):
        if unit is None:
            return ""
        if len(self.units_by_name.get(unit.name.casefold(), [])) > 1 and unit.parent:
            return f"{unit.parent.name} / {unit.name}"
        return unit.name

    def person_label(self, person):
        if person is None:
            return ""
        if len(self.people_by_name.get(person.full_name.casefold(), [])) > 1 and person.work_email:
            return f"{person.full_name} <{person.work_email}>"
        return person.full_name


def _status_names():
    names = {}
    for status in ChannelStatus:
        names[status.value] = status
        for language in ("fi", "en"):
            with translation.override(language):
                names[str(status.label).casefold()] = status
    return names


def _purpose_names():
    names = {}
    for purpose in Purpose:
        names[purpose.value] = purpose.value
        for language in ("fi", "en"):
            with translation.override(language):
                names[str(purpose.label).casefold()] = purpose.value
    return names


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")


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
    text = _text(value)
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
        return [purpose for purpose in Purpose.values if purpose in values]  # in the order of §2
    if kind == "date":
        if not text:
            return None
        try:
            return _parse_date(text)
        except ValueError:
            raise CellError(_("“%(value)s” is not a date: write it as 31.12.2026.") % {"value": text}) from None
    return text


# --- Planning ----------------------------------------------------------------------------------------------


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
class ImportPlan:
    rows: list
    file_errors: list = dataclasses.field(default_factory=list)
    ignored_columns: list = dataclasses.field(default_factory=list)

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
    def changed(self):
        return self._count("update")

    @property
    def unchanged(self):
        return self._count("unchanged")

    @property
    def change_count(self):
        return self.created + self.changed


def _finnish_date(value):
    return f"{value.day}.{value.month}.{value.year}"


def _display(column, value, lookups):
    if value in (None, "", []):
        return "–"
    if column.kind == "platform":
        return value.name
    if column.kind == "unit":
        return lookups.unit_label(value)
    if column.kind == "person":
        return lookups.person_label(value)
    if column.kind == "status":
        return str(ChannelStatus(value).label)
    if column.kind == "purposes":
        labels = dict(Purpose.choices)
        return LIST_SEPARATOR.join(str(labels[v]) for v in value)
    if column.kind == "date":
        return _finnish_date(value)
    return str(value)


# Model field errors are shown under the column they came from.
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
        setattr(channel, field, value if value is not None or field not in TEXT_FIELDS else "")
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
    try:
        channel.full_clean(exclude=[*failed, "status_changed_at"])
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
            RowChange(column.header, "", _display(column, values[column.field], lookups))
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
                RowChange(column.header, _display(column, before, lookups), _display(column, after, lookups))
            )
    row.action = "update" if row.changes else "unchanged"
    return row


TEXT_FIELDS = {column.field for column in COLUMNS if column.kind == "text"}
FIELD_COLUMNS_REVERSE = {column.header: column.field for column in COLUMNS}


def _comparable(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    return value


def _copy(channel):
    import copy

    clone = copy.copy(channel)
    clone.purposes = list(channel.purposes or [])
    return clone


def apply_import(table, *, actor, on=None):
    """Plan ``table`` again and save it, all or nothing; raises ``ImportRefused`` (with the plan) on any error."""
    with transaction.atomic():
        plan = plan_import(table, on)
        if plan.has_errors:
            raise ImportRefused(plan)
        # The version's row lock first: the rows below lock channel after channel (see channels.versioning).
        versioning.bump()
        reason = _("Imported from a spreadsheet")
        for row in plan.rows:
            try:
                if row.action == "create":
                    services.create_channel(row.channel, actor=actor, reason=reason, on=on)
                elif row.action == "update":
                    if any(change.label != "Tila" for change in row.changes):
                        services.update_channel(row.channel, actor=actor, reason=reason)
                    if row.new_status:
                        services.change_status(row.channel, row.new_status, actor=actor, reason=reason, on=on)
            except ValidationError as exc:
                for message in exc.messages:
                    row.errors.append(("", message))
                row.action = "error"
                raise ImportRefused(plan) from exc
    return plan


# --- Export ------------------------------------------------------------------------------------------------


def export_rows(channels):
    """The header row and one row per channel, with values as Python objects (dates stay dates)."""
    lookups = Lookups()
    if "has_problems" not in channels.query.annotations:
        channels = channels.with_problems()
    channels = channels.select_related(
        "platform", "owner_unit", "owner_unit__parent", "responsible_person", "decided_by", "holiday_cover_person"
    ).prefetch_related("rights__person")
    rows = [[column.header for column in COLUMNS]]
    with translation.override("fi"):
        for channel in channels:
            row = []
            for column in COLUMNS:
                value = channel.pk if column.field == "pk" else getattr(channel, column.field, None)
                if column.field == "rights":
                    value = LIST_SEPARATOR.join(
                        f"{lookups.person_label(right.person)} ({right.get_role_display()}, "
                        f"{_hours(right.weekly_hours)} h/vko)"
                        for right in channel.rights.all()
                        if right.is_current
                    )
                elif column.field == "problems":
                    value = LIST_SEPARATOR.join(str(problem.label) for problem in channel.problems())
                elif column.kind in ("date", "export") and isinstance(value, datetime.date):
                    pass
                elif column.kind != "id":
                    value = "" if value in (None, "", []) else _display(column, value, lookups)
                row.append(value)
            rows.append(row)
    return rows


def _hours(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def export_channels(channels, file_format):
    rows = export_rows(channels)
    if file_format == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for row in rows:
            writer.writerow(
                [_finnish_date(value) if isinstance(value, datetime.date) else _safe_cell(value) for value in row]
            )
        # UTF-8 with a BOM: Excel then reads ä and ö right, and the import reads it back.
        return out.getvalue().encode("utf-8-sig"), EXPORT_FORMATS["csv"]
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Somekanavat"
    for row in rows:
        sheet.append([_safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        for cell in column_cells[1:]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d.m.yyyy"
        width = max(len(str(cell.value or "")) for cell in column_cells)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), EXPORT_FORMATS["xlsx"]
