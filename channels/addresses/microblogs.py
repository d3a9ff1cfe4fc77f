"""Microblogs outside Meta: X (formerly Twitter) and Bluesky.

X accounts are ``x.com/<name>``, or ``x.com/i/user/<number>`` when known by id, and pre-2012 ``#!/name`` links
still read. A Bluesky account is a domain name or a DID, given at ``bsky.app/profile/<handle>`` or as the host
``name.bsky.social`` itself; every form gets the key ``bsky.app/profile/<handle or did>``.
"""

import re

from channels.addresses.errors import invalid_handle, not_account, single_content
from channels.addresses.parsing import DOMAIN_LABEL, bare_handle, checked_name, normalise_path, query_value

# --- X ------------------------------------------------------------------------------------------------------

_X_NAME = re.compile(r"[a-z0-9_]{1,15}")
_X_NOT_ACCOUNTS = frozenset(
    {
        "home", "explore", "search", "notifications", "messages", "settings", "share", "hashtag", "login", "logout",
        "signup", "tos", "privacy", "compose", "account", "search-advanced", "jobs", "about", "download", "rules",
        "intent", "i", "following", "followers", "lists", "bookmarks", "communities", "premium", "verified-choose",
    }
)  # fmt: skip


def _x_account(name):
    return f"x.com/{checked_name(name, _X_NAME, 'x')}"


def x_key(url, known):
    segments = url.segments
    if not segments and url.fragment.startswith("!/"):
        # Links from before 2012 carry the path in the fragment: twitter.com/#!/esimerkkila
        segments = normalise_path(url.fragment[2:].partition("?")[0])
    if not segments:
        raise not_account("x")
    first, rest = segments[0], segments[1:]
    if first == "intent" and rest[:1] in (("user",), ("follow",)):
        if query_value(url, "user_id"):
            segments = ("i", "user", query_value(url, "user_id"))
            first, rest = segments[0], segments[1:]
        else:
            first, rest = query_value(url, "screen_name"), ()
    if first == "i":
        if len(rest) >= 2 and rest[0] == "user" and re.fullmatch(r"[0-9]{1,20}", rest[1]):
            return f"x.com/i/user/{int(rest[1])}"
        if rest and rest[0] in ("web", "status", "spaces", "broadcasts", "events", "moments", "lists"):
            raise single_content("x")
        raise not_account("x")
    if first in _X_NOT_ACCOUNTS:
        raise not_account("x")
    if rest and rest[0] in ("status", "statuses"):
        raise single_content("x")
    return _x_account(first.removeprefix("@"))


def x_handle_address(text):
    return _x_account(bare_handle(text))


# --- Bluesky ------------------------------------------------------------------------------------------------

# A domain name whose last label starts with a letter.
_BLUESKY_HANDLE = re.compile(r"(?=.{1,253}\Z)(?:" + DOMAIN_LABEL + r"\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_BLUESKY_DID = re.compile(r"did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.\-]+(?:%3a[0-9]+)?)")


def _bluesky_identifier(identifier):
    """A Bluesky handle (domain) or DID; a bare "name" is taken as name.bsky.social, Bluesky's default domain."""
    identifier = identifier.removeprefix("@").lower()
    if identifier.startswith("did:"):
        return checked_name(identifier, _BLUESKY_DID, "bluesky")
    identifier = identifier.removesuffix(".")  # a handle is a domain name: its trailing dot is the DNS root
    if "." not in identifier:
        identifier = f"{identifier}.bsky.social"
    labels = identifier.split(".")
    # bsky.social hands out names of 3-18 characters.
    if identifier.endswith(".bsky.social") and len(labels) == 3 and not 3 <= len(labels[0]) <= 18:
        raise invalid_handle("bluesky")
    if not _BLUESKY_HANDLE.match(identifier) or identifier == "bsky.social":
        raise invalid_handle("bluesky")
    return identifier


def bluesky_profile(identifier):
    """The key of a Bluesky account given by its handle, DID, or name under bsky.social."""
    return f"bsky.app/profile/{_bluesky_identifier(identifier)}"


def bluesky_key(url, known):
    segments = url.segments
    if len(segments) < 2 or segments[0] != "profile":
        raise not_account("bluesky")
    if len(segments) > 2 and segments[2] in ("post", "feed", "lists"):
        raise single_content("bluesky")
    return bluesky_profile(segments[1])


def bluesky_handle_address(text):
    return bluesky_profile(bare_handle(text))
