"""Setting up a new install: the organisation, the first ICT secretary, the units, the platforms, the guideline.

``manage.py setup_organisation`` reads what to set up (options or a TOML file) into a ``Plan`` and calls ``run``,
which does each step given, in one transaction, and returns a line of report per step. Each step is idempotent: run
again with the same input, it changes nothing and says so. Bad input raises ``SetupError`` with a message for
whoever runs the command; the command then rolls everything back.

The first-run page (``somegov.setup_views``) shows the same steps with their state for a superuser in the browser.
"""

import dataclasses
import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from channels.models import Person, Platform, Unit
from channels.transfer import reading, units
from core import audit, organisation
from core.models import AuditAction
from core.roles import Role
from core.services import grant_role_on_server
from guideline import loading
from guideline.models import GuidelineSection, GuidelineVersion

COMMAND = "setup_organisation"

# The file's keys and the record's fields they give.
ORGANISATION_KEYS = {
    "name": "name",
    "genitive": "name_genitive",
    "name_sv": "name_sv",
    "name_sv_genitive": "name_sv_genitive",
    "name_en": "name_en",
    "short_name": "short_name",
    "website": "website",
    "registry_office_email": "registry_office_email",
    "registry_office_phone": "registry_office_phone",
    "dpo_email": "dpo_email",
    "accessibility_email": "accessibility_email",
}
SECRETARY_KEYS = ("username", "email", "first_name", "last_name", "title")
TOP_KEYS = ("units", "platforms", "guideline", "organisation", "ict_secretary")
GUIDELINE_SUFFIXES = (".md", ".markdown", ".docx")


class SetupError(Exception):
    """Input the set-up cannot use; the message says what and where."""


@dataclasses.dataclass
class Plan:
    organisation: dict = dataclasses.field(default_factory=dict)  # record field: value
    secretary: dict = dataclasses.field(default_factory=dict)  # SECRETARY_KEYS: value
    password: str | None = None
    units: Path | None = None
    platforms: list | None = None
    guideline: str = ""
    base: Path = Path()  # relative paths of the file are relative to the file's folder

    def is_empty(self):
        return not (self.organisation or self.secretary or self.units or self.platforms is not None or self.guideline)


@dataclasses.dataclass
class Result:
    lines: list = dataclasses.field(default_factory=list)
    password_link: str = ""


def read_file(path):
    """A ``Plan`` from a TOML file (see docs/setup-example.toml)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SetupError(f"Cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise SetupError(f"{path} is not UTF-8 text.") from error
    except tomllib.TOMLDecodeError as error:
        raise SetupError(f"{path} is not valid TOML: {error}") from error
    _known(data, TOP_KEYS, str(path))
    plan = Plan(base=path.resolve().parent)
    org = _table(data, "organisation")
    _known(org, ORGANISATION_KEYS, "[organisation]")
    plan.organisation = {ORGANISATION_KEYS[key]: _text(value, f"organisation.{key}") for key, value in org.items()}
    secretary = _table(data, "ict_secretary")
    _known(secretary, SECRETARY_KEYS, "[ict_secretary]")
    plan.secretary = {key: _text(value, f"ict_secretary.{key}") for key, value in secretary.items()}
    if "units" in data:
        plan.units = Path(_text(data["units"], "units"))
    if "platforms" in data:
        platforms = data["platforms"]
        if not isinstance(platforms, list) or not all(isinstance(slug, str) for slug in platforms):
            raise SetupError('"platforms" must be a list of platform slugs, e.g. ["facebook", "instagram"].')
        plan.platforms = platforms
    if "guideline" in data:
        plan.guideline = _text(data["guideline"], "guideline")
    return plan


def _table(data, key):
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise SetupError(f'"{key}" must be a table ([{key}]).')
    return value


def _known(data, keys, where):
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise SetupError(f"Unknown key(s) in {where}: {', '.join(unknown)}. Known: {', '.join(keys)}.")


def _text(value, where):
    if not isinstance(value, str):
        raise SetupError(f'"{where}" must be text (in quotes).')
    return value.strip()


def _path(plan, path):
    path = Path(path)
    return path if path.is_absolute() else plan.base / path


def run(plan):
    """Do every step ``plan`` gives, in the caller's transaction; a ``Result`` with a line per step."""
    if plan.is_empty():
        raise SetupError("Nothing to set up: give --file or at least one of the options (see --help).")
    result = Result()
    if plan.organisation:
        result.lines.append(set_organisation(plan.organisation))
    if plan.units:
        result.lines.append(import_units(_path(plan, plan.units)))
    if plan.secretary or plan.password is not None:
        line, result.password_link = set_ict_secretary(plan.secretary, plan.password)
        result.lines.append(line)
    if plan.platforms is not None:
        result.lines.append(choose_platforms(plan.platforms))
    if plan.guideline:
        result.lines.append(load_guideline(plan, plan.guideline))
    return result


def _errors(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def set_organisation(values):
    """Save the organisation's record with ``values`` (the fields not given keep what they have)."""
    record = organisation.record_or_first_values()
    first = record.pk is None
    changed = [field for field, value in values.items() if getattr(record, field) != value]
    for field, value in values.items():
        setattr(record, field, value)
    try:
        record.full_clean()
    except ValidationError as error:
        raise SetupError(f"The organisation: {_errors(error)}") from error
    if not first and not changed:
        return f"Organisation: “{record.name}” is saved already; nothing changed."
    organisation.save(None, record, changed)
    if first:
        return f"Organisation: saved “{record.name}”."
    return f"Organisation: changed {', '.join(changed)} of “{record.name}”."


def import_units(path):
    """Add the units of a CSV/XLSX file (``channels.transfer.units``); existing ones are kept."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SetupError(f"Cannot read the units file {path}: {error.strerror or error}") from error
    try:
        table = reading.read_table(path.name, raw, no_rows_message="The file has column headers but no units.")
    except ValidationError as error:
        raise SetupError(f"The units file {path.name}: {' '.join(str(m) for m in error.messages)}") from error
    file_errors, rows = units.rows_of(table)
    try:
        plan = units.apply_units(rows, file_errors)
    except units.UnitsRefused as refusal:
        errors = refusal.plan.errors_as_text()
        raise SetupError(f"The units file {path.name} has errors; nothing was saved:\n{errors}") from None
    audit.record(
        None,
        AuditAction.IMPORT,
        object_type=Unit._meta.label,
        object_repr=path.name,
        detail=f"{COMMAND}: {plan.created} added, {plan.unchanged} existed",
    )
    return f"Units: {plan.created} added, {plan.unchanged} existed already (from {path.name})."


def set_ict_secretary(values, password):
    """The first ICT secretary's login (made if missing), role and Person (in the top unit); ``password`` sets the
    password. Returns the report line and, for a login without a usable password, a one-time set-password link."""
    username = values.get("username", "")
    if not username:
        raise SetupError("The ICT secretary: give the username (ict_secretary.username or --secretary-username).")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    done = []
    if user is None:
        email = values.get("email", "")
        first_name, last_name = values.get("first_name", ""), values.get("last_name", "")
        if not (email and first_name and last_name):
            raise SetupError("The ICT secretary: a new login needs email, first_name and last_name.")
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise SetupError(f"The ICT secretary: {_errors(error)}") from error
        user.save()
        done.append("login created")
    elif not user.is_active:
        raise SetupError(f"The ICT secretary: the login {username} is deactivated; activate it in the admin first.")
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise SetupError(f"The ICT secretary's password: {' '.join(error.messages)}") from error
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            done.append("password set")
    if grant_role_on_server(user, Role.ICT_SECRETARY, command=COMMAND):
        done.append("ICT secretary role given")
    if not Person.objects.filter(user=user).exists():
        top = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        if top is None:
            raise SetupError("The ICT secretary's person belongs to the top unit: give the units too (units = ...).")
        person = Person(
            first_name=user.first_name or values.get("first_name", ""),
            last_name=user.last_name or values.get("last_name", ""),
            title=values.get("title", ""),
            work_email=user.email,
            unit=top,
            user=user,
        )
        try:
            person.full_clean()
        except ValidationError as error:
            raise SetupError(f"The ICT secretary's person: {_errors(error)}") from error
        person.save()
        done.append(f"person added to {top.name}")
    link = ""
    if not user.has_usable_password():
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
        )
        link = settings.SITE_URL.rstrip("/") + path
    return f"ICT secretary {username}: {', '.join(done) or 'set up already; nothing changed'}.", link


def choose_platforms(slugs):
    """The platforms in use: those named are switched on, the others off."""
    wanted = {slug.strip() for slug in slugs if slug.strip()}
    if not wanted:
        raise SetupError("The platforms: name at least one platform in use.")
    platforms = list(Platform.objects.order_by("slug"))
    unknown = sorted(wanted - {platform.slug for platform in platforms})
    if unknown:
        raise SetupError(f"Unknown platform(s): {', '.join(unknown)}. Known: {', '.join(p.slug for p in platforms)}.")
    switched = []
    for platform in platforms:
        if platform.is_active != (platform.slug in wanted):
            platform.is_active = platform.slug in wanted
            platform.save(update_fields=["is_active"])
            switched.append(f"{platform.slug} {'on' if platform.is_active else 'off'}")
    audit.record(
        None,
        AuditAction.CHANGE,
        object_type=Platform._meta.label,
        object_repr="platforms in use",
        detail=f"{COMMAND}: {', '.join(sorted(wanted))}; switched: {', '.join(switched) or 'none'}",
    )
    return f"Platforms: {len(wanted)} in use ({', '.join(sorted(wanted))}); " + (
        f"switched {', '.join(switched)}." if switched else "nothing changed."
    )


def load_guideline(plan, value):
    """A bundled guideline (put in force) or a Markdown/Word file (imported as a draft to publish in the portal)."""
    try:
        if value in loading.BUNDLED:
            version, created = loading.load_bundled(GuidelineVersion, GuidelineSection, value)
            if not created:
                return f"Guideline: “{version}” ({value}) is loaded already; nothing changed."
            audit.record(None, AuditAction.IMPORT, version, detail=f"{COMMAND}: {value}")
            return f"Guideline: loaded “{version}” ({value}) as the guideline in force."
        path = _path(plan, value)
        if path.suffix.lower() not in GUIDELINE_SUFFIXES:
            raise SetupError(
                f"The guideline “{value}” is neither a bundled one ({', '.join(sorted(loading.BUNDLED))}) "
                "nor a Markdown (.md) or Word (.docx) file."
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SetupError(f"Cannot read the guideline {path}: {error.strerror or error}") from error
        parsed = loading.parse_file(data, path.name)
        if GuidelineVersion.objects.filter(title=parsed.title, is_translation=False).exists():
            return f"Guideline: “{parsed.title}” is in the portal already; nothing changed."
        draft = loading.create_draft(GuidelineVersion, GuidelineSection, parsed)
        audit.record(None, AuditAction.IMPORT, draft, detail=f"{COMMAND}: {path.name}")
        return (
            f"Guideline: imported “{draft}” from {path.name} as a draft; the ICT secretary publishes it in the "
            "portal (Ohje → Versiot)."
        )
    except loading.ImportRefused as error:
        raise SetupError(f"The guideline: {' '.join(str(m) for m in error.messages)}") from error
