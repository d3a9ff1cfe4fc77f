"""The registry as the public sees it: the official channels, their public fields, and the check of an address.

Residents, journalists and other sites read the same data through the directory page, the verification page,
the JSON API and the CSV file. Everything here is built from one *snapshot* of the registry's public part,
which is cached until the registry changes:

- ``registry_version()`` is the registry's version (``channels.versioning``: one row, changed in the same
  transaction as every change of a channel, platform or unit). It costs one query by primary key and is read
  from the database, not from the cache, so every process of a multi-worker server sees a change at once even
  with the default per-process (locmem) cache.
- ``snapshot()`` caches the public fields of every channel that a resident may meet (active, paused, retired),
  keyed by the version and the language (purpose labels are translated). Only plain data is cached, never a
  rendered page: the pages carry a CSRF token and the user's navigation. Each process also keeps the snapshots
  it last used in memory, so a request does not unpickle thousands of channels from the cache: the key is the
  same (the version is still read from the database on every request), and the copy is used only while the
  shared cache still holds that key, so clearing the cache or a change made through another server is seen at once.

Nothing personal is public here: no responsible people, maintainers, phone numbers or security details.
"""

from __future__ import annotations

import dataclasses
import functools
import threading

from django.core.cache import cache
from django.utils.text import Truncator, get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from channels import versioning
from channels.addresses import (
    MAX_ADDRESS_LENGTH,
    MSG_EMPTY,
    MSG_TOO_LONG,
    PLATFORM_NAMES,
    InvalidAddress,
    candidate_keys,
    detect_platform,
)
from channels.models import Channel, ChannelStatus, Platform, Purpose, Unit, UnitKind

# The statuses a resident may meet on a platform: in use (active, paused) or formerly official (retired).
# Proposed and approved channels are not official yet, so the check treats their addresses as unknown.
VERIFIABLE_STATUSES = (ChannelStatus.ACTIVE, ChannelStatus.PAUSED, ChannelStatus.RETIRED)
SNAPSHOT_TIMEOUT = 24 * 60 * 60  # old versions' entries expire; a change makes a new key at once anyway
# Input longer than this is refused before any parsing (the normaliser's own limit applies after trimming).
MAX_INPUT_LENGTH = 2 * MAX_ADDRESS_LENGTH


class Verdict:
    """The answer of the check for one address: values of the API's ``status`` field."""

    OFFICIAL = "official"  # active or paused (the channel's own status tells which)
    RETIRED = "retired"  # was official; new posts there are not the municipality's
    UNKNOWN = "unknown"  # not in the registry


# --- The registry version ----------------------------------------------------------------------------------


def registry_version(request=None):
    """A short string that changes whenever a channel, platform or unit is saved or deleted.

    Memoised on ``request`` so that a request reads it once.
    """
    if request is not None and hasattr(request, "_somegov_registry_version"):
        return request._somegov_registry_version
    version = versioning.current()
    if request is not None:
        request._somegov_registry_version = version
    return version


# --- The snapshot ------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Snapshot:
    channels: tuple  # every verifiable channel as a dict of public fields, by name
    by_key: dict  # normalised address -> the channels registered with it (a website and a blog may share one)
    platforms: dict  # slug -> name of every platform (the API accepts any of them as a filter)
    units: dict  # id -> name of every unit (the API accepts any of them as a filter)

    # Derived lists are computed once per snapshot (cached_property writes to __dict__, so frozen is fine).
    @functools.cached_property
    def active(self):
        return [entry for entry in self.channels if entry["status"] == ChannelStatus.ACTIVE]

    @functools.cached_property
    def _platform_choices(self):
        seen = {entry["platform"]["slug"]: entry["platform"]["name"] for entry in self.active}
        return sorted(seen.items(), key=lambda item: item[1].lower())

    @functools.cached_property
    def _unit_choices(self):
        ids = {unit_id for entry in self.active for unit_id in entry["unit_path"]}
        return sorted(((unit_id, self.units[unit_id]) for unit_id in ids), key=lambda item: item[1].lower())

    def platform_choices(self):
        """(slug, name) of the platforms that have active channels, by name."""
        return list(self._platform_choices)

    def unit_choices(self):
        """(id, name) of the units that own active channels or have such units under them, by name."""
        return list(self._unit_choices)

    def __getstate__(self):
        # Only the data goes to the cache, not the derived lists.
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

    def __setstate__(self, state):
        self.__dict__.update(state)


# The snapshots this process used last, by cache key (one per language); see the module's docstring.
_local = {}
_local_lock = threading.Lock()
LOCAL_SNAPSHOTS = 4


def snapshot(request=None):
    """The public part of the registry, cached per registry version and language."""
    key = f"somegov:public-registry:{registry_version(request)}:{get_language()}"
    data = _local.get(key)
    if data is not None and cache.has_key(key):
        return data
    data = cache.get(key)
    if data is None:
        data = _build_snapshot()
        cache.set(key, data, SNAPSHOT_TIMEOUT)
    with _local_lock:
        if len(_local) >= LOCAL_SNAPSHOTS:
            _local.clear()
        _local[key] = data
    return data


def _build_snapshot():
    units = {unit.pk: unit for unit in Unit.objects.only("id", "name", "kind", "parent_id").order_by()}
    platforms = dict(Platform.objects.order_by("name").values_list("slug", "name"))
    channels = (
        Channel.objects.filter(status__in=VERIFIABLE_STATUSES, normalised_address__isnull=False)
        .select_related("platform", "owner_unit")
        .only(
            "id",
            "name",
            "address",
            "normalised_address",
            "status",
            "purposes",
            "goals",
            "official_since",
            "retired_on",
            "last_reviewed_on",
            "platform__slug",
            "platform__name",
            "owner_unit__id",
            "owner_unit__name",
        )
        .order_by("name", "pk")
    )
    entries, by_key = [], {}
    for channel in channels:
        entry = _entry(channel, _unit_path(channel.owner_unit_id, units))
        entries.append(entry)
        by_key.setdefault(entry["normalised_address"], []).append(entry)
    return Snapshot(
        channels=tuple(entries),
        by_key=by_key,
        platforms=platforms,
        units={pk: unit.name for pk, unit in units.items()},
    )


def _unit_path(unit_id, units):
    """The owning unit and the units above it, without the municipality itself.

    A filter by a unit matches the channels of the units under it too; the municipality's own filter matches
    only the channels it owns directly (otherwise it would match everything).
    """
    path, seen = [unit_id], {unit_id}
    parent_id = units[unit_id].parent_id
    while parent_id is not None and parent_id not in seen:
        parent = units[parent_id]
        if parent.kind == UnitKind.MUNICIPALITY:
            break
        path.append(parent_id)
        seen.add(parent_id)
        parent_id = parent.parent_id
    return path


def channel_url(address, normalised_address):
    """A link to the account: the address as the registry keeps it when it is a web address (letter case can
    matter in a path), otherwise the canonical key, which is always ``host/path``. The normaliser accepted both,
    so only http and https links come out of here."""
    typed = address.strip()
    if typed.lower().startswith(("https://", "http://")):
        return typed
    if "/" in typed or typed.lower().startswith("www."):
        return f"https://{typed}"
    return f"https://{normalised_address}"


def _summary(purposes, goals):
    """The channel's purpose in a sentence: its goals (shortened), or else the list of its §2 purposes."""
    if goals.strip():
        return Truncator(" ".join(goals.split())).chars(200)
    if purposes:
        return _("Used for %(purposes)s.") % {"purposes": get_text_list([str(p["label"]) for p in purposes], _("and"))}
    return ""


def _entry(channel, unit_path):
    labels = dict(Purpose.choices)
    purposes = [{"code": code, "label": str(labels[code])} for code in channel.purposes or [] if code in labels]
    return {
        "id": channel.pk,
        "name": channel.name,
        "status": channel.status,
        "platform": {"slug": channel.platform.slug, "name": channel.platform.name},
        "url": channel_url(channel.address, channel.normalised_address),
        "normalised_address": channel.normalised_address,
        "unit": {"id": channel.owner_unit_id, "name": channel.owner_unit.name},
        "unit_path": unit_path,
        "purposes": purposes,
        "goals": channel.goals.strip(),
        "summary": _summary(purposes, channel.goals),
        "official_since": channel.official_since,
        "retired_on": channel.retired_on,
        "last_reviewed_on": channel.last_reviewed_on,
    }


def public_fields(entry):
    """A snapshot entry as the API and CSV publish it (dates as ISO strings, no internal fields)."""
    return {
        "id": entry["id"],
        "name": entry["name"],
        "status": entry["status"],
        "platform": dict(entry["platform"]),
        "url": entry["url"],
        "address": entry["normalised_address"],
        "unit": dict(entry["unit"]),
        "purposes": [dict(purpose) for purpose in entry["purposes"]],
        "goals": entry["goals"],
        "summary": entry["summary"],
        "official_since": _iso(entry["official_since"]),
        "retired_on": _iso(entry["retired_on"]),
        "last_reviewed_on": _iso(entry["last_reviewed_on"]),
    }


def _iso(day):
    return day.isoformat() if day else None


def filter_active(data, platform=None, unit=None):
    """The active channels, optionally of one platform (slug) and of one unit (id, with the units under it)."""
    entries = data.active
    if platform:
        entries = [entry for entry in entries if entry["platform"]["slug"] == platform]
    if unit:
        entries = [entry for entry in entries if unit in entry["unit_path"]]
    return entries


# --- The check ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Match:
    """One thing the address could mean: a platform and the canonical key there, and what the registry says."""

    platform: str  # slug
    key: str
    verdict: str
    channel: dict | None  # the snapshot entry, or None when the key is not registered

    @property
    def platform_name(self):
        if self.channel:
            return self.channel["platform"]["name"]
        return str(PLATFORM_NAMES.get(self.platform, self.platform))

    @property
    def is_paused(self):
        return bool(self.channel) and self.channel["status"] == ChannelStatus.PAUSED


@dataclasses.dataclass(frozen=True)
class Verification:
    address: str
    matches: tuple

    @property
    def registered(self):
        return [match for match in self.matches if match.channel is not None]

    @property
    def unregistered(self):
        return [match for match in self.matches if match.channel is None]

    @property
    def verdict(self):
        """The strongest answer over the matches: official before retired before unknown."""
        verdicts = {match.verdict for match in self.matches}
        for verdict in (Verdict.OFFICIAL, Verdict.RETIRED):
            if verdict in verdicts:
                return verdict
        return Verdict.UNKNOWN

    @property
    def channel(self):
        """The registered channel when exactly one matched (otherwise see the matches)."""
        registered = self.registered
        return registered[0].channel if len(registered) == 1 else None

    @property
    def kind(self):
        """What the page says: official, paused, retired, several (registered on more than one) or unknown."""
        registered = self.registered
        if len(registered) > 1:
            return "several"
        if not registered:
            return "unknown"
        match = registered[0]
        if match.verdict == Verdict.RETIRED:
            return "retired"
        return "paused" if match.is_paused else "official"

    @property
    def tone(self):
        """The result's colour and symbol on the page (always with words): the kind, or for several the verdict."""
        kind = self.kind
        return self.verdict if kind == "several" else kind

    @property
    def unregistered_names(self):
        return get_text_list([match.platform_name for match in self.unregistered], _("and"))

    @property
    def is_handle(self):
        """Whether the input was a bare username (then it was checked on every service that has usernames)."""
        return self.address.startswith("@") or not any(character in self.address for character in "/?#:.")


def clean_input(raw):
    """The address as given, refused early when it is absurdly long (before any parsing)."""
    if raw is None:
        raise InvalidAddress(MSG_EMPTY, code="empty")
    if len(raw) > MAX_INPUT_LENGTH:
        raise InvalidAddress(MSG_TOO_LONG, code="too_long")
    return raw.strip()


def candidates(raw):
    """(platform slug, canonical key) for each thing the input could mean; raises InvalidAddress."""
    text = clean_input(raw)
    found = []
    for key in candidate_keys(text):
        # Every key is "host/path"; its host names the platform (other hosts are websites).
        found.append((detect_platform(key) or "website", key))
    return found


def verify(raw, request=None):
    """Check an address or handle against the registry. Raises InvalidAddress for input that means nothing."""
    pairs = candidates(raw)
    data = snapshot(request)
    matches = []
    for platform, key in pairs:
        entries = data.by_key.get(key, [])
        if not entries:
            matches.append(Match(platform, key, Verdict.UNKNOWN, None))
        for entry in entries:
            verdict = Verdict.RETIRED if entry["status"] == ChannelStatus.RETIRED else Verdict.OFFICIAL
            matches.append(Match(entry["platform"]["slug"], key, verdict, entry))
    return Verification(address=raw.strip(), matches=tuple(matches))
