"""The organisation's units from a spreadsheet: one row a unit, with its kind and the unit it belongs to.

Columns (Finnish or English headers): "Yksikkö"/"Unit", "Tyyppi"/"Kind" (a kind's name in any of the portal's
languages, or its code) and "Ylempi yksikkö"/"Parent" (the name of another unit in the file or in the registry;
empty only for the one top unit, the organisation itself).

``plan_units`` checks the whole file first and gives every error by row; ``apply_units`` saves a plan without
errors in one transaction, parents before their children. A unit that exists already with the same name (case
aside) under the same parent is kept as it is, so importing the same file twice adds nothing the second time.
Units are only added: a unit is renamed, moved or retired in the admin.

The import page keeps the file's rows (not the plan) in the session between the preview and the confirmation
(``remember_rows``); the confirmation plans them again against the registry as it is then, and saves nothing if
anything has become an error meanwhile.
"""

import dataclasses
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from channels import versioning
from channels.models import Unit, UnitKind
from channels.transfer.importing import RowsPlan
from channels.transfer.reading import cell_text
from core.validators import single_line

NAME_MAX = Unit._meta.get_field("name").max_length

# header (case aside) -> the field it gives
HEADERS = {
    "yksikkö": "name",
    "unit": "name",
    "tyyppi": "kind",
    "kind": "kind",
    "ylempi yksikkö": "parent",
    "parent": "parent",
}
COLUMN_LABELS = {"name": "Yksikkö", "kind": "Tyyppi", "parent": "Ylempi yksikkö"}


def _kind_names():
    names = {}
    for kind in UnitKind:
        names[kind.value] = kind
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(kind.label).casefold()] = kind
    return names


def _key(name):
    return " ".join(name.split()).casefold()


@dataclasses.dataclass
class UnitRow:
    number: int
    name: str
    kind_text: str
    parent_name: str
    kind: str = ""
    parent_row: object = None  # the UnitRow of the parent, when the parent is in the file
    parent_unit: object = None  # the Unit of the parent, when it is only in the registry
    existing: object = None  # the Unit this row is, when the registry has it already
    errors: list = dataclasses.field(default_factory=list)
    added: bool = False  # saved by ``apply_units``

    @property
    def action(self):
        if self.errors:
            return "error"
        return "unchanged" if self.existing is not None and not self.added else "create"

    @property
    def action_label(self):
        return {"create": _("Will be added"), "unchanged": _("Exists already"), "error": _("Error")}[self.action]

    @property
    def kind_label(self):
        return UnitKind(self.kind).label if self.kind else self.kind_text


@dataclasses.dataclass
class UnitPlan(RowsPlan):
    def errors_as_text(self):
        """Every error, one a line ("Rivi 3: ..."), in the active language: for the command line."""
        lines = [str(error) for error in self.file_errors]
        for row in self.rows:
            lines += [str(_("Row %(number)s: %(error)s") % {"number": row.number, "error": e}) for e in row.errors]
        return "\n".join(lines)


def rows_of(table):
    """``(file errors, [(row number, name, kind, parent)])`` from a ``reading.Table``."""
    errors, positions = [], {}
    for index, header in enumerate(table.headers):
        field = HEADERS.get(_key(header))
        if field is None:
            continue
        if field in positions:
            errors.append(_("The column “%(column)s” appears twice.") % {"column": COLUMN_LABELS[field]})
        positions[field] = index
    for field in ("name", "kind", "parent"):
        if field not in positions:
            errors.append(_("The column “%(column)s” is missing.") % {"column": COLUMN_LABELS[field]})
    if errors:
        return errors, []

    def cell(cells, field):
        index = positions[field]
        return cell_text(cells[index]) if index < len(cells) else ""

    return [], [
        (number, cell(cells, "name"), cell(cells, "kind"), cell(cells, "parent")) for number, cells in table.rows
    ]


def _one_line_error(text):
    """The message of ``single_line`` when ``text`` holds a line break or another control character, else None."""
    try:
        single_line(text)
    except ValidationError as error:
        return error.messages[0]
    return None


def plan_units(rows, file_errors=()):
    """What importing ``rows`` (``rows_of``) would do, with every error by row. Changes nothing."""
    plan = UnitPlan(rows=[UnitRow(number, name, kind, parent) for number, name, kind, parent in rows])
    plan.file_errors = list(file_errors)
    if plan.file_errors:
        return plan
    kinds = _kind_names()
    kind_list = ", ".join(str(kind.label) for kind in UnitKind)
    by_name = {}
    for row in plan.rows:
        if not row.name:
            row.errors.append(_("Give the unit's name."))
        elif len(row.name) > NAME_MAX:
            row.errors.append(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX})
        elif _one_line_error(row.name):
            row.errors.append(_one_line_error(row.name))
        else:
            by_name.setdefault(_key(row.name), []).append(row)
        kind = kinds.get(row.kind_text.casefold())
        if not row.kind_text:
            row.errors.append(_("Give the unit's kind: %(kinds)s.") % {"kinds": kind_list})
        elif kind is None:
            row.errors.append(
                _("Unknown kind “%(kind)s”. Use one of: %(kinds)s.") % {"kind": row.kind_text, "kinds": kind_list}
            )
        else:
            row.kind = kind.value
    registry = {}
    for unit in Unit.objects.select_related("parent"):
        registry.setdefault(_key(unit.name), []).append(unit)
    roots = [unit for units in registry.values() for unit in units if unit.parent_id is None]

    _resolve_parents(plan, by_name, registry)
    _check_tree(plan, roots)
    _match_existing(plan, registry)
    return plan


def _resolve_parents(plan, by_name, registry):
    for row in plan.rows:
        if not row.parent_name:
            continue
        in_file = by_name.get(_key(row.parent_name), [])
        in_registry = registry.get(_key(row.parent_name), [])
        if len(in_file) == 1:
            row.parent_row = in_file[0]
        elif len(in_file) > 1 or len(in_registry) > 1:
            row.errors.append(
                _("There are several units called “%(parent)s”; the parent cannot be told apart by its name.")
                % {"parent": row.parent_name}
            )
        elif in_registry:
            row.parent_unit = in_registry[0]
        else:
            row.errors.append(
                _("The parent unit “%(parent)s” is neither in the file nor in the registry.")
                % {"parent": row.parent_name}
            )


def _check_tree(plan, roots):
    """The top unit (one, of kind municipality, without a parent) and no unit inside itself."""
    top_rows = [row for row in plan.rows if not row.parent_name]
    for row in top_rows:
        if row.kind and row.kind != UnitKind.MUNICIPALITY:
            row.errors.append(
                _("Only the top unit (of the kind “%(kind)s”) has no parent; give this unit's parent.")
                % {"kind": UnitKind.MUNICIPALITY.label}
            )
    for row in plan.rows:
        if row.parent_name and row.kind == UnitKind.MUNICIPALITY:
            row.errors.append(
                _("A unit of the kind “%(kind)s” is the top of the tree and has no parent.")
                % {"kind": UnitKind.MUNICIPALITY.label}
            )
    tops = [row for row in top_rows if row.kind == UnitKind.MUNICIPALITY]
    for row in tops[1:]:
        row.errors.append(
            _("The file has two top units (“%(first)s” and “%(second)s”); there is only one.")
            % {"first": tops[0].name, "second": row.name}
        )
    for row in tops[:1]:
        others = [unit for unit in roots if _key(unit.name) != _key(row.name)]
        if others:
            row.errors.append(
                _("The registry's top unit is “%(existing)s” already; there is only one.")
                % {"existing": others[0].name}
            )
    for row in plan.rows:
        seen, current = set(), row
        while current is not None and current.parent_row is not None:
            if id(current) in seen:
                break
            seen.add(id(current))
            current = current.parent_row
            if current is row:
                row.errors.append(_("The unit is inside itself: its parents lead back to it."))
                break


def _match_existing(plan, registry):
    """Mark the rows whose unit is in the registry already (same name, same parent); others will be added."""
    seen = {}
    for row in _parent_first(plan.rows):
        if not row.name or row.errors:
            continue
        parent = _parent_identity(row)
        key = (parent, _key(row.name))
        if key in seen:
            row.errors.append(
                _("The unit “%(name)s” appears twice under the same parent (also on row %(row)s).")
                % {"name": row.name, "row": seen[key].number}
            )
            continue
        seen[key] = row
        parent_pk = parent[1] if parent and parent[0] == "unit" else None
        if parent is None or parent_pk is not None:
            row.existing = next(
                (unit for unit in registry.get(_key(row.name), []) if unit.parent_id == parent_pk),
                None,
            )


def _parent_identity(row):
    """The parent as a key: ("unit", pk) for a unit in the registry, ("row", number) for a new one, or None."""
    if row.parent_row is not None:
        parent = row.parent_row
        if parent.existing is not None:
            return ("unit", parent.existing.pk)
        return ("row", parent.number)
    if row.parent_unit is not None:
        return ("unit", row.parent_unit.pk)
    return None


def _parent_first(rows):
    """The rows in an order where every parent in the file comes before its children (cycles last)."""
    ordered, placed = [], set()
    remaining = list(rows)
    while remaining:
        ready = [r for r in remaining if r.parent_row is None or id(r.parent_row) in placed]
        if not ready:
            ordered.extend(remaining)
            break
        for row in ready:
            ordered.append(row)
            placed.add(id(row))
        remaining = [r for r in remaining if id(r) not in placed]
    return ordered


class UnitsRefused(Exception):
    def __init__(self, plan):
        super().__init__("units import refused")
        self.plan = plan


def apply_units(rows, file_errors=()):
    """Plan ``rows`` and add the new units, parents first, in one transaction; raises ``UnitsRefused`` (with the
    plan) on any error and then saves nothing. Returns the plan. The caller records it in the audit log."""
    with transaction.atomic():
        # The registry version's lock first, as every writer of several registry rows takes it
        # (channels.versioning); each unit's save bumps it again through the model's signal.
        versioning.bump()
        plan = plan_units(rows, file_errors)
        if plan.has_errors:
            raise UnitsRefused(plan)
        for row in _parent_first(plan.rows):
            if row.existing is not None:
                continue
            parent = row.parent_row.existing if row.parent_row is not None else row.parent_unit
            unit = Unit(name=" ".join(row.name.split()), kind=row.kind, parent=parent)
            unit.full_clean()
            unit.save()
            row.existing, row.added = unit, True
    return plan


# --- The previewed rows, kept until they are confirmed ---------------------------------------------------------

SESSION_KEY = "channels_units_import"


class PreviewExpired(Exception):
    """No previewed file has this token: none was previewed, another preview replaced it, or it was applied."""


def remember_rows(session, rows, *, name=""):
    token = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {"token": token, "name": name, "rows": [list(row) for row in rows]}
    return token


def previewed_name(session):
    return (session.get(SESSION_KEY) or {}).get("name", "")


def forget_rows(session):
    session.pop(SESSION_KEY, None)


def apply_previewed(session, token):
    """Apply the rows previewed under ``token`` (planned again now) and forget them; raises ``PreviewExpired`` or
    ``UnitsRefused``."""
    stored = session.get(SESSION_KEY)
    if not stored or not secrets.compare_digest(stored["token"].encode(), str(token).encode()):
        raise PreviewExpired
    forget_rows(session)
    return apply_units([tuple(row) for row in stored["rows"]])
