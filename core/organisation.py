"""The organisation that runs the portal, as pages, messages and files name it.

``current()`` is the one place that says who the organisation is: the saved record (``core.models.Organisation``,
edited by the ICT secretary) when there is one, otherwise the first values from the environment
(``settings.ORGANISATION``: ``ORGANISATION_NAME``, ``ORGANISATION_NAME_GENITIVE``...). It is cached (one query per
``CACHE_SECONDS`` at most); saving the record clears the cache of this process, and other processes see the change
within ``CACHE_SECONDS`` (at once with a shared cache such as Redis).

Messages name the organisation with two placeholders (docs/architecture.md, "Naming the organisation"):
``%(organisation)s`` is the name as a sentence's subject, ``%(organisation_genitive)s`` the form for "of the
organisation" — the genitive in Finnish ("Suomussalmen kunnan") and Swedish ("… kommuns"), and the plain name in
English, so an English message puts it after "of".
"""

import dataclasses
import io
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language, pgettext

from core.models import Organisation

CACHE_KEY = "core.organisation"
CACHE_SECONDS = 60

FIELDS = [
    "name",
    "name_genitive",
    "name_sv",
    "name_sv_genitive",
    "name_en",
    "short_name",
    "website",
    "registry_office_email",
    "registry_office_phone",
    "dpo_email",
    "accessibility_email",
]


@dataclasses.dataclass(frozen=True)
class Profile:
    """Who the organisation is, in every language the portal speaks; read it with ``current()``."""

    name: str = ""
    name_genitive: str = ""
    name_sv: str = ""
    name_sv_genitive: str = ""
    name_en: str = ""
    short_name: str = ""
    website: str = ""
    registry_office_email: str = ""
    registry_office_phone: str = ""
    dpo_email: str = ""
    accessibility_email: str = ""
    has_logo: bool = False
    version: str = ""  # changes whenever the record is saved: the logo's address carries it
    saved: bool = False  # False until the ICT secretary (or set-up) has saved the record

    def names(self, language=None):
        """``(name, genitive)`` in ``language`` (the active one by default)."""
        language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language == "sv":
            name = self.name_sv or self.name
            genitive = self.name_sv_genitive or (name if not self.name_sv else swedish_genitive(self.name_sv))
            return name or pgettext("organisation not named yet", "Organisation"), genitive or pgettext(
                "organisation not named yet, genitive", "Organisation"
            )
        if language == "en":
            name = self.name_en or self.name
            return (name or pgettext("organisation not named yet", "Organisation"),) * 2
        return (
            self.name or pgettext("organisation not named yet", "Organisation"),
            self.name_genitive or self.name or pgettext("organisation not named yet, genitive", "Organisation"),
        )

    @property
    def file_stem(self):
        """A name for downloaded files: the short name in lower case, ASCII letters, digits and hyphens."""
        text = unicodedata.normalize("NFKD", (self.short_name or self.name).lower())
        text = "".join(c if c.isascii() and c.isalnum() else "-" for c in text if not unicodedata.combining(c))
        return "-".join(part for part in text.split("-") if part) or "organisation"

    @property
    def handle_example(self):
        """An account name for examples in hints ("@esimerkkila"): the file stem without hyphens."""
        return self.file_stem.replace("-", "")


def swedish_genitive(name):
    """Swedish s-genitive: "Esimerkkilä stad" → "Esimerkkilä stads"; a name ending in s, x or z takes none."""
    return name if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


def from_environment():
    values = getattr(settings, "ORGANISATION", {}) or {}
    return Profile(**{field: str(values.get(field) or "") for field in FIELDS})


def current():
    """The organisation as it is now (the saved record, else the environment's first values)."""
    profile = cache.get(CACHE_KEY)
    if profile is None:
        record = Organisation.objects.filter(pk=1).defer("logo").annotate(logo_size=Length("logo")).first()
        if record is None:
            profile = from_environment()
        else:
            profile = Profile(
                **{field: getattr(record, field) for field in FIELDS},
                has_logo=bool(record.logo_size),
                version=f"{record.updated_at:%Y%m%d%H%M%S%f}",
                saved=True,
            )
        cache.set(CACHE_KEY, profile, CACHE_SECONDS)
    return profile


def record_or_first_values():
    """The record to edit: the saved one, or an unsaved one holding the environment's first values."""
    record = Organisation.objects.filter(pk=1).first()
    if record is None:
        profile = from_environment()
        record = Organisation(**{field: getattr(profile, field) for field in FIELDS})
    return record


def save(request, record, changed_fields, *, logo=None, remove_logo=False):
    """Save the organisation's record as the ICT secretary edited it, with its logo (re-encoded PNG bytes) given
    or removed, and write the change to the audit log; the history (``Organisation.history``) keeps each version.
    Returns the fields that changed."""
    from core import audit
    from core.models import AuditAction

    changed = list(changed_fields)
    if logo is not None:
        record.logo = logo
        changed.append("logo")
    elif remove_logo and record.logo:
        record.logo = b""
        changed.append("logo")
    with transaction.atomic():
        first = record.pk is None or not Organisation.objects.filter(pk=1).exists()
        record.save()
        audit.record(
            request,
            AuditAction.CHANGE,
            record,
            detail=("created: " if first else "changed: ") + ", ".join(changed or ["nothing"]),
        )
    return changed


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="core.organisation.forget")
def forget(**kwargs):
    cache.delete(CACHE_KEY)


@receiver(setting_changed, dispatch_uid="core.organisation.setting_changed")
def _setting_changed(setting, **kwargs):
    """Tests that change ``settings.ORGANISATION`` see the change at once."""
    if setting == "ORGANISATION":
        forget()


class InContext:
    """``organisation`` in templates: the names in the language active when a template reads them."""

    def __init__(self, profile):
        self.profile = profile

    def __getattr__(self, attribute):
        return getattr(self.profile, attribute)

    @property
    def name(self):
        return self.profile.names()[0]

    @property
    def genitive(self):
        return self.profile.names()[1]

    @property
    def fi_name(self):
        return self.profile.names("fi")[0]

    @property
    def fi_genitive(self):
        return self.profile.names("fi")[1]

    @property
    def en_name(self):
        return self.profile.names("en")[0]

    @property
    def short(self):
        """The short name, else the name (active language)."""
        return self.profile.short_name or self.name

    def __str__(self):
        return self.name


# --- The logo ----------------------------------------------------------------------------------------------
# PNG or WebP only (no SVG: it can carry scripts), at most LOGO_MAX_BYTES, decoded with Pillow and encoded again as
# a PNG of at most LOGO_MAX_SIDE pixels a side, so what the portal serves is a plain image it made itself.

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 512
LOGO_MAX_PIXELS = 4096 * 4096


class LogoError(ValueError):
    """The file is not a logo the portal takes; the message says why, in the user's language."""


def reencode_logo(data):
    """PNG bytes of the image in ``data`` (PNG or WebP), scaled to fit LOGO_MAX_SIDE; LogoError otherwise."""
    from django.utils.translation import gettext
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(gettext("The logo file is too large: at most %(size)s kB.") % {"size": LOGO_MAX_BYTES // 1024})
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "WEBP"]) as image:
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise LogoError(gettext("The logo is too large in pixels: at most 4096 × 4096."))
            image.load()
            image = image.convert("RGBA")
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise LogoError(gettext("The logo must be a PNG or WebP image. This file could not be read as one.")) from error
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
