"""Reading what was typed: cleaning the input, and splitting a web address into normalised parts.

``clean`` takes off what copying brings along and refuses what can never be an address; ``looks_like_url`` tells
a web address from a bare handle; ``split_url`` gives the host (punycode, lower case) and the path segments and
query pairs with percent-encoding normalised. The platform modules read accounts from these parts, with the
checks they share: ``account_path`` (the segment that names the account), ``checked_name`` (a name against the
platform's rule) and ``checked_length``.
"""

import re
import unicodedata
from dataclasses import dataclass

from channels.addresses.errors import (
    MAX_ADDRESS_LENGTH,
    MSG_CONTROL,
    MSG_EMPTY,
    MSG_INVALID_HOST,
    MSG_INVALID_URL,
    MSG_PORT,
    MSG_SCHEME,
    MSG_SPACES,
    MSG_TOO_LONG,
    InvalidAddress,
    invalid_handle,
    not_account,
)
from channels.addresses.platforms import HANDLE_PLATFORMS, lookup_host

# --- Input cleaning -----------------------------------------------------------------------------------------

_WRAPPERS = ("<>", '""', "''", "\u201d\u201d", "\u201c\u201d", "\u00bb\u00bb", "\u00ab\u00bb")


def clean(raw):
    """The address as typed, without surrounding spaces or quotes; refuses what can never be an address."""
    if not isinstance(raw, str):
        raise InvalidAddress(MSG_EMPTY, code="empty")
    text = checked_length(raw.strip())
    if len(text) >= 2 and text[0] + text[-1] in _WRAPPERS:
        text = text[1:-1].strip()
    if not text:
        raise InvalidAddress(MSG_EMPTY, code="empty")
    # Control, format (zero-width, bidi override), surrogate, private-use and unassigned characters: none
    # belongs in an address, and some are used to make a fake address look like a real one. A zero-width character
    # is refused wherever it stands, also at the ends where copying brings it: an address that hides one is not
    # the address it looks like, and the same character must not be refused in the middle and accepted at the end.
    if any(unicodedata.category(character)[0] == "C" for character in text):
        raise InvalidAddress(MSG_CONTROL, code="control")
    if any(character.isspace() for character in text):
        raise InvalidAddress(MSG_SPACES, code="spaces")
    return text


def checked_length(text):
    """``text`` itself, if it is not longer than ``MAX_ADDRESS_LENGTH``.

    Both the input and the key are checked: punycode and lower-casing can lengthen an address, and a key longer
    than the limit would not be accepted back as input.
    """
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(MSG_TOO_LONG, code="too_long")
    return text


def checked_name(name, pattern, platform):
    """``name`` itself, if the whole of it matches ``pattern``, the platform's rule for names."""
    if not pattern.fullmatch(name):
        raise invalid_handle(platform)
    return name


def looks_like_url(text, platform=None):
    """Whether ``text`` is meant as a web address rather than a bare handle."""
    if text.startswith("@"):
        return False
    if any(character in text for character in "/?#:") or text.lower().startswith("www."):
        return True
    if "." not in text:
        return False
    if platform is None or platform not in HANDLE_PLATFORMS:
        return True
    # "esimerkkila.kaupunki" is a valid Instagram name, but "instagram.com" or "x.com" typed for Instagram is a host.
    try:
        known, _subdomain = lookup_host(normalise_host(text))
    except InvalidAddress:
        return False
    return known is not None


def bare_handle(text):
    """A handle as typed (``@Name`` or ``Name``), without the "@", in lower case and NFC."""
    return unicodedata.normalize("NFC", text.removeprefix("@").lower())


# --- Hosts --------------------------------------------------------------------------------------------------

# One label of a domain name (RFC 1035, with digits first allowed); Bluesky handles are built of the same labels.
DOMAIN_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(r"(?=.{1,253}\Z)(?:" + DOMAIN_LABEL + r"\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")


def normalise_host(authority):
    # user:password@host is a classic way to disguise the real host of a link.
    if "@" in authority:
        raise InvalidAddress(MSG_INVALID_URL, code="invalid_url")
    host, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if colon:
        if not re.fullmatch(r"[0-9]{0,5}", port):
            raise InvalidAddress(MSG_INVALID_URL, code="invalid_url")
        if port and int(port) not in (80, 443):
            raise InvalidAddress(MSG_PORT, code="port")
    # One trailing dot is the DNS root ("www.esimerkkila.fi." is www.esimerkkila.fi); two are an empty label.
    host = host.lower().removesuffix(".")
    if not host:
        raise InvalidAddress(MSG_INVALID_HOST, code="invalid_host")
    try:
        # Punycode for internationalised names; the codec leaves ASCII labels as they are, so keys round-trip.
        host = host.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        raise InvalidAddress(MSG_INVALID_HOST, code="invalid_host") from None
    if not _HOST.match(host):
        raise InvalidAddress(MSG_INVALID_HOST, code="invalid_host")
    return host


# --- Paths and queries --------------------------------------------------------------------------------------

_UNRESERVED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
_PATH_CHARACTERS = _UNRESERVED | frozenset("!$&'()*+,;=:@%")
# Pasted Facebook and newsletter links carry literal [ ] | in their queries; browsers accept them.
_QUERY_CHARACTERS = _PATH_CHARACTERS | frozenset("/?[]|")
# In the key these are escaped, so that a query never ends the key with "/" and each has one spelling.
_QUERY_ESCAPES = str.maketrans({"/": "%2f", "?": "%3f", "[": "%5b", "]": "%5d", "|": "%7c"})
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _escape(character):
    return "".join(f"%{byte:02x}" for byte in character.encode("utf-8"))


def _decode_percent_run(match):
    decoded = bytes.fromhex(match.group().replace("%", "")).decode("utf-8", "surrogateescape")
    parts = []
    for character in decoded:
        if 0xDC80 <= ord(character) <= 0xDCFF:  # a byte that was not UTF-8: keep it escaped
            parts.append(f"%{ord(character) - 0xDC00:02x}")
        elif character in _UNRESERVED or (ord(character) > 127 and unicodedata.category(character)[0] in "LMNPS"):
            parts.append(character)
        else:
            parts.append(_escape(character))
    return "".join(parts)


def _normalise_component(text, allowed):
    """One path segment, query name or query value: checked, percent-normalised, lower-cased, NFC."""
    if any(ord(character) < 128 and character not in allowed for character in text) or _STRAY_PERCENT.search(text):
        raise InvalidAddress(MSG_INVALID_URL, code="invalid_url")
    text = _PERCENT_RUN.sub(_decode_percent_run, text)
    return unicodedata.normalize("NFC", text.lower())


def normalise_path(path):
    segments = []
    for raw_segment in path.split("/"):
        if not raw_segment:  # repeated and trailing slashes
            continue
        segment = _normalise_component(raw_segment, _PATH_CHARACTERS)
        if segment == ".":
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return tuple(segments)


def _normalise_query(query):
    pairs = []
    for part in query.split("&"):
        name, _equals, value = part.partition("=")
        name = _normalise_component(name, _QUERY_CHARACTERS).translate(_QUERY_ESCAPES)
        value = _normalise_component(value, _QUERY_CHARACTERS).translate(_QUERY_ESCAPES)
        if name:
            pairs.append((name, value))
    return tuple(pairs)


@dataclass(frozen=True)
class Url:
    host: str  # ASCII (punycode), lower case, no trailing dot; subdomains not yet stripped
    segments: tuple  # normalised path segments, none empty
    query: tuple  # normalised (name, value) pairs in input order
    fragment: str  # as typed; only X's legacy "#!/name" form reads it


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")


def split_url(text):
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            raise InvalidAddress(MSG_SCHEME, code="scheme")
        rest = text[scheme.end() :]
    elif text.startswith("//"):
        rest = text[2:]
    else:
        rest = text
    rest, _hash, fragment = rest.partition("#")
    rest, _question, query = rest.partition("?")
    authority, _slash, path = rest.partition("/")
    return Url(normalise_host(authority), normalise_path(path), _normalise_query(query), fragment)


def query_value(url, name):
    for key, value in url.query:
        if key == name:
            return value
    return ""


def account_path(url, platform):
    """The first path segment, which names the account on most platforms, and the segments after it."""
    if not url.segments:
        raise not_account(platform)
    return url.segments[0], url.segments[1:]
