"""Normalising channel addresses: one canonical key per social media account or web page.

The registry stores every channel's address twice: as the editor typed it (for display and links) and as a
canonical *key* (for uniqueness per platform and for the public "is this account official?" check). Both the
model layer and the public check call this module, so a pasted address means the same thing everywhere.

The canonical key is::

    <canonical host>[/<path>][?<identifying query>]

- No scheme (``http://`` and ``https://`` mean the same account), and everything in lower case: account names
  are case-insensitive on every platform here. Identifiers that are case-sensitive on their platform (YouTube
  channel ids, WhatsApp channel ids) are lowered too: the key is only compared, never turned back into a link,
  and a collision between two such random ids differing only in case is not a practical risk.
- Host aliases are unified (``twitter.com`` -> ``x.com``, ``fb.com`` -> ``facebook.com``, ``instagr.am`` ->
  ``instagram.com``, ``threads.com`` -> ``threads.net``) and the ``www.``, ``m.``, ``mobile.``, ``web.`` and
  language (``fi.``, ``fi-fi.``) subdomains of the platforms are dropped. Websites only lose ``www.``: on other
  hosts ``m.`` may be a different site.
- Internationalised domain names are stored as punycode (``sipilä.fi`` -> ``xn--sipil-kra.fi``), because it is
  what DNS resolves and the browser copies either form; Python's ``idna`` codec (IDNA 2003) also folds
  compatibility forms, so every spelling of one domain gets one key.
- The path keeps only what names the account: ``facebook.com/suomussalmi``, ``instagram.com/suomussalmi``,
  ``x.com/suomussalmi``, ``youtube.com/@suomussalmi`` (also ``/c/name``, ``/user/name``, ``/channel/uc...`` and
  the legacy ``/name``, each kept as its own kind because YouTube does not tell us which of them are the same
  channel), ``tiktok.com/@suomussalmi``, ``threads.net/@suomussalmi``,
  ``bsky.app/profile/suomussalmi.bsky.social``, ``linkedin.com/company/suomussalmen-kunta``,
  ``whatsapp.com/channel/<id>`` or ``wa.me/<phone>``. Tabs (``/about``, ``/videos``, ``/featured``...) are cut
  off; addresses of single posts or videos are refused, because they are not accounts.
- Facebook accounts known by a number all become ``facebook.com/profile.php?id=<number>``:
  ``/profile.php?id=``, ``/people/<name>/<id>``, ``/pages/<name>/<id>``, ``/p/<name>-<id>`` and ``/<name>-<id>``
  name the same numeric id.
- Websites and blogs keep the whole lower-cased path and the query without tracking parameters (``utm_*``,
  ``fbclid`` and the like), sorted. The fragment is always dropped.
- Percent-encoding is normalised: escapes of unreserved ASCII and of visible non-ASCII characters are decoded
  (``p%C3%A4iv%C3%A4`` -> ``päivä``, NFC), every other escape is kept with lower-case hex. Repeated slashes are
  collapsed, dot segments resolved and the trailing slash dropped.

A key is always accepted as input and gives itself back (the functions are idempotent), and every failure is an
``InvalidAddress`` with a message for the person who typed the address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

__all__ = [
    "HANDLE_PLATFORMS",
    "MAX_ADDRESS_LENGTH",
    "PLATFORM_SLUGS",
    "InvalidAddress",
    "candidate_keys",
    "detect_platform",
    "normalise_address",
]

PLATFORM_SLUGS = (
    "website",
    "blog",
    "facebook",
    "instagram",
    "youtube",
    "x",
    "linkedin",
    "tiktok",
    "threads",
    "bluesky",
    "whatsapp",
)
# Platforms on which a bare "@name" identifies an account. LinkedIn and WhatsApp have no public handles,
# and a website or blog needs its address.
HANDLE_PLATFORMS = ("instagram", "x", "tiktok", "threads", "youtube", "bluesky", "facebook")

MAX_ADDRESS_LENGTH = 500


class InvalidAddress(ValueError):
    """Raised with a user-facing message (a gettext_lazy string from django.utils.translation, English source text).

    ``code`` names the kind of problem (as Django's ``ValidationError.code`` does), so forms can pass it on and
    tests can tell the failures apart without translating the message.
    """

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- Messages -----------------------------------------------------------------------------------------------

PLATFORM_NAMES = {
    "website": _("website"),
    "blog": _("blog"),
    "facebook": "Facebook",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "x": "X",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "threads": "Threads",
    "bluesky": "Bluesky",
    "whatsapp": "WhatsApp",
}

# Shown in messages so that the person sees the form that works.
EXAMPLE_ADDRESSES = {
    "website": "https://www.suomussalmi.fi",
    "blog": "https://blogi.suomussalmi.fi",
    "facebook": "https://www.facebook.com/suomussalmi",
    "instagram": "https://www.instagram.com/suomussalmi",
    "youtube": "https://www.youtube.com/@suomussalmi",
    "x": "https://x.com/suomussalmi",
    "linkedin": "https://www.linkedin.com/company/suomussalmen-kunta",
    "tiktok": "https://www.tiktok.com/@suomussalmi",
    "threads": "https://www.threads.net/@suomussalmi",
    "bluesky": "https://bsky.app/profile/suomussalmi.bsky.social",
    "whatsapp": "https://whatsapp.com/channel/0029VaExampleChannel123",
}

HANDLE_RULES = {
    "instagram": _(
        "Instagram usernames have 1-30 characters: letters a-z, digits, periods and underscores, "
        "and do not start or end with a period."
    ),
    "threads": _(
        "Threads usernames are Instagram usernames: 1-30 characters, letters a-z, digits, periods and "
        "underscores, not starting or ending with a period."
    ),
    "x": _("X usernames have 1-15 characters: letters a-z, digits and underscores."),
    "tiktok": _(
        "TikTok usernames have 2-24 characters: letters a-z, digits, periods and underscores, "
        "and do not end with a period."
    ),
    "youtube": _("YouTube handles have 3-30 characters: letters, digits, periods, hyphens and underscores."),
    "facebook": _("Facebook usernames have at least 5 characters: letters a-z, digits and periods."),
    "bluesky": _("Bluesky handles are domain names, such as suomussalmi.bsky.social."),
    "linkedin": _("LinkedIn page names have letters, digits, periods and hyphens."),
    "whatsapp": _("WhatsApp addresses are channel links or phone numbers in international form."),
}

MSG_EMPTY = _("Enter an address.")
MSG_TOO_LONG = format_lazy(
    _("The address is too long: it can have at most {limit} characters."), limit=MAX_ADDRESS_LENGTH
)
MSG_CONTROL = _(
    "The address contains control or invisible characters. Type it again, or copy it from the browser's address bar."
)
MSG_SPACES = _("An address cannot contain spaces.")
MSG_SCHEME = _("Only web addresses beginning with http:// or https:// can be used.")
MSG_INVALID_URL = _("This is not a valid web address.")
MSG_INVALID_HOST = _("The address does not have a valid domain name, such as suomussalmi.fi.")
MSG_PORT = _("Give the address without a port number.")
MSG_UNKNOWN_PLATFORM = _("Unknown platform.")
MSG_NO_PLATFORM = _("This is neither a web address nor a username on any of the supported services.")
MSG_SHORT_LINK = _(
    "Short links cannot be checked. Open the link and copy the address of the account's own page from the browser."
)


def _other_platform(found, expected):
    return InvalidAddress(
        format_lazy(
            _("This is a {found} address, not a {expected} address."),
            found=PLATFORM_NAMES[found],
            expected=PLATFORM_NAMES[expected],
        ),
        code="other_platform",
    )


def _wrong_host(platform):
    return InvalidAddress(
        format_lazy(
            _(
                "This is not a {platform} address. "
                "Give the address of the account on {platform}, for example {example}."
            ),
            platform=PLATFORM_NAMES[platform],
            example=EXAMPLE_ADDRESSES[platform],
        ),
        code="wrong_host",
    )


def _needs_url(platform):
    return InvalidAddress(
        format_lazy(
            _("Give the full web address of the {platform} page, for example {example}."),
            platform=PLATFORM_NAMES[platform],
            example=EXAMPLE_ADDRESSES[platform],
        ),
        code="needs_url",
    )


def _invalid_handle(platform):
    return InvalidAddress(
        format_lazy(
            _("This is not a valid {platform} name. {rule}"),
            platform=PLATFORM_NAMES[platform],
            rule=HANDLE_RULES[platform],
        ),
        code="invalid_handle",
    )


def _content(platform):
    return InvalidAddress(
        format_lazy(
            _(
                "This address points to a single post, video or other content, not to an account. "
                "Give the address of the account itself, for example {example}."
            ),
            example=EXAMPLE_ADDRESSES[platform],
        ),
        code="content",
    )


def _not_account(platform):
    return InvalidAddress(
        format_lazy(
            _(
                "This {platform} address does not point to an account. "
                "Give the address of the account, for example {example}."
            ),
            platform=PLATFORM_NAMES[platform],
            example=EXAMPLE_ADDRESSES[platform],
        ),
        code="not_account",
    )


def _short_link():
    return InvalidAddress(MSG_SHORT_LINK, code="short_link")


# --- Hosts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KnownHost:
    platform: str
    canonical_host: str
    # "account": paths name accounts; "video" and "short_link": no path names an account we can see;
    # "handle_domain": the host itself is the account (Bluesky's name.bsky.social);
    # "group_invite": WhatsApp group invitations, which are not channels; "send": WhatsApp's click-to-chat API.
    kind: str = "account"


_KNOWN_HOSTS = {
    "facebook.com": _KnownHost("facebook", "facebook.com"),
    "fb.com": _KnownHost("facebook", "facebook.com"),
    "fb.me": _KnownHost("facebook", "facebook.com"),  # fb.me/<page> redirects to the page
    "m.me": _KnownHost("facebook", "facebook.com"),  # Messenger link to a page: m.me/<page>
    "fb.watch": _KnownHost("facebook", "facebook.com", "video"),
    "instagram.com": _KnownHost("instagram", "instagram.com"),
    "instagr.am": _KnownHost("instagram", "instagram.com"),
    "x.com": _KnownHost("x", "x.com"),
    "twitter.com": _KnownHost("x", "x.com"),
    "youtube.com": _KnownHost("youtube", "youtube.com"),
    "youtu.be": _KnownHost("youtube", "youtube.com", "video"),
    "linkedin.com": _KnownHost("linkedin", "linkedin.com"),
    "lnkd.in": _KnownHost("linkedin", "linkedin.com", "short_link"),
    "tiktok.com": _KnownHost("tiktok", "tiktok.com"),
    "vm.tiktok.com": _KnownHost("tiktok", "tiktok.com", "short_link"),
    "vt.tiktok.com": _KnownHost("tiktok", "tiktok.com", "short_link"),
    "threads.net": _KnownHost("threads", "threads.net"),
    "threads.com": _KnownHost("threads", "threads.net"),
    "bsky.app": _KnownHost("bluesky", "bsky.app"),
    "bsky.social": _KnownHost("bluesky", "bsky.app", "handle_domain"),
    "whatsapp.com": _KnownHost("whatsapp", "whatsapp.com"),
    "wa.me": _KnownHost("whatsapp", "wa.me"),
    "api.whatsapp.com": _KnownHost("whatsapp", "wa.me", "send"),
    "chat.whatsapp.com": _KnownHost("whatsapp", "whatsapp.com", "group_invite"),
}

# Subdomains that show the same account: mobile and desktop sites, and language versions (fi.linkedin.com,
# fi-fi.facebook.com). Any other subdomain (help., developers., studio.) is a service of the platform, not an
# account page.
_SAME_SITE_SUBDOMAINS = frozenset({"www", "m", "mobile", "web", "touch", "mbasic"})
_LANGUAGE_SUBDOMAIN = re.compile(r"[a-z]{2}(?:-[a-z]{2})?")
_EXTRA_SUBDOMAINS = {"youtube": frozenset({"music"})}

_HOST = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")


def _lookup_host(host):
    """The known platform host that ``host`` is or is a subdomain of (longest match), and the subdomain part."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        known = _KNOWN_HOSTS.get(".".join(labels[start:]))
        if known is not None:
            return known, ".".join(labels[:start])
    return None, ""


def _normalise_host(authority):
    # user:password@host is a classic way to disguise the real host of a link.
    if "@" in authority:
        raise InvalidAddress(MSG_INVALID_URL, code="invalid_url")
    host, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if colon:
        if not re.fullmatch(r"[0-9]{0,5}", port):
            raise InvalidAddress(MSG_INVALID_URL, code="invalid_url")
        if port and int(port) not in (80, 443):
            raise InvalidAddress(MSG_PORT, code="port")
    host = host.lower().rstrip(".")
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


def _normalise_path(path):
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


_TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
        "mc_cid", "mc_eid", "igshid", "igsh", "si", "ref", "ref_src", "ref_url", "refsrc", "s", "t", "feature",
        "mibextid", "_rdr", "hl", "lang", "locale", "_ga", "_gl", "fref", "__tn__", "app", "sfnsn", "rdid",
        "share_url", "is_from_webapp", "sender_device", "sender_web_id", "_t", "_r", "spm", "trk", "trackingid",
        "lipi", "originalsubdomain", "pp", "ab_channel", "sub_confirmation", "view_as", "sk", "rcm", "source",
        "campaign", "cmpid", "ito", "wt_mc", "oly_enc_id", "oly_anon_id", "vero_id", "wickedid", "rb_clickid",
        "s_cid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "ocid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "piwik_", "matomo_", "__cft__", "__xts__", "_hs")


def _is_tracking(name):
    return name in _TRACKING_PARAMETERS or name.startswith(_TRACKING_PREFIXES)


@dataclass(frozen=True)
class _Url:
    host: str  # ASCII (punycode), lower case, no trailing dot; subdomains not yet stripped
    segments: tuple  # normalised path segments, none empty
    query: tuple  # normalised (name, value) pairs in input order
    fragment: str  # as typed; only X's legacy "#!/name" form reads it


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")


def _split_url(text):
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
    return _Url(_normalise_host(authority), _normalise_path(path), _normalise_query(query), fragment)


def _query_value(url, name):
    for key, value in url.query:
        if key == name:
            return value
    return ""


# --- Input cleaning -----------------------------------------------------------------------------------------

# Copying from documents and chat apps brings these along at the ends of an address.
_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"
_WRAPPERS = ("<>", '""', "''", "\u201d\u201d", "\u201c\u201d", "\u00bb\u00bb", "\u00ab\u00bb")


def _clean(raw):
    """The address as typed, without surrounding spaces or quotes; refuses what can never be an address."""
    if not isinstance(raw, str):
        raise InvalidAddress(MSG_EMPTY, code="empty")
    text = raw.strip()
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(MSG_TOO_LONG, code="too_long")
    text = text.strip(_INVISIBLE_EDGES).strip()
    if len(text) >= 2 and text[0] + text[-1] in _WRAPPERS:
        text = text[1:-1].strip()
    if not text:
        raise InvalidAddress(MSG_EMPTY, code="empty")
    # Control, format (zero-width, bidi override), surrogate, private-use and unassigned characters: none
    # belongs in an address, and some are used to make a fake address look like a real one.
    if any(unicodedata.category(character)[0] == "C" for character in text):
        raise InvalidAddress(MSG_CONTROL, code="control")
    if any(character.isspace() for character in text):
        raise InvalidAddress(MSG_SPACES, code="spaces")
    return text


def _looks_like_url(text, platform=None):
    """Whether ``text`` is meant as a web address rather than a bare handle."""
    if text.startswith("@"):
        return False
    if any(character in text for character in "/?#:") or text.lower().startswith("www."):
        return True
    if "." not in text:
        return False
    if platform is None or platform not in HANDLE_PLATFORMS:
        return True
    # "suomussalmi.kunta" is a valid Instagram name, but "instagram.com" or "x.com" typed for Instagram is a host.
    try:
        known, _subdomain = _lookup_host(_normalise_host(text))
    except InvalidAddress:
        return False
    return known is not None


# --- Handles ------------------------------------------------------------------------------------------------

_INSTAGRAM_NAME = re.compile(r"(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)")
_X_NAME = re.compile(r"[a-z0-9_]{1,15}")
_TIKTOK_NAME = re.compile(r"[a-z0-9._]{2,24}(?<!\.)")
_YOUTUBE_HANDLE = re.compile(r"[\w.\-]{3,30}")
_YOUTUBE_LEGACY_NAME = re.compile(r"[\w.\-]{1,100}")
_YOUTUBE_CHANNEL_ID = re.compile(r"uc[a-z0-9_\-]{22}")
_YOUTUBE_CHANNEL_ID_AS_TYPED = re.compile(r"UC[A-Za-z0-9_\-]{22}")
_FACEBOOK_USERNAME = re.compile(r"[a-z0-9.]{5,50}")
# Page addresses are looser than usernames: old pages have "Name-With-Hyphens" and letters such as ä.
_FACEBOOK_PAGE_NAME = re.compile(r"(?=.*\w)[\w.\-]{1,100}")
_FACEBOOK_NAME_WITH_ID = re.compile(r"[\w.\-]*-([0-9]{8,20})")
_FACEBOOK_ID = re.compile(r"[0-9]{1,20}")
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_BLUESKY_HANDLE = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?\Z"
)
_BLUESKY_DID = re.compile(r"did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.\-]+(?:%3a[0-9]+)?)")
_LINKEDIN_NAME = re.compile(r"(?=.*\w)[\w.\-%&]{1,150}")
_WHATSAPP_CHANNEL_ID = re.compile(r"[a-z0-9]{10,40}")
_PHONE_NUMBER = re.compile(r"[1-9][0-9]{5,14}")  # E.164 without the plus
_WHATSAPP_MESSAGE_CODE = re.compile(r"[a-z0-9]{5,40}")


def _instagram_name(name, platform="instagram"):
    name = name.removeprefix("@")
    if not _INSTAGRAM_NAME.fullmatch(name):
        raise _invalid_handle(platform)
    return name


def _bluesky_identifier(identifier):
    """A Bluesky handle (domain) or DID; a bare "name" is taken as name.bsky.social, Bluesky's default domain."""
    identifier = identifier.removeprefix("@").lower()
    if identifier.startswith("did:"):
        if not _BLUESKY_DID.fullmatch(identifier):
            raise _invalid_handle("bluesky")
        return identifier
    if "." not in identifier:
        identifier = f"{identifier}.bsky.social"
    labels = identifier.split(".")
    # bsky.social hands out names of 3-18 characters.
    if identifier.endswith(".bsky.social") and len(labels) == 3 and not 3 <= len(labels[0]) <= 18:
        raise _invalid_handle("bluesky")
    if not _BLUESKY_HANDLE.match(identifier) or identifier == "bsky.social":
        raise _invalid_handle("bluesky")
    return identifier


def _facebook_profile(number):
    return f"facebook.com/profile.php?id={int(number)}"


def _key_from_handle(text, platform):
    key = _address_of_handle(text, platform)
    # The address of a handle goes through the same path rules as a pasted address, so that names the platform
    # keeps for itself ("@explore", "@reel") are refused and a key read back gives itself.
    try:
        return _key_from_url(key, platform)
    except InvalidAddress:
        raise _invalid_handle(platform) from None


def _address_of_handle(text, platform):
    if platform not in HANDLE_PLATFORMS:
        raise _needs_url(platform)
    if platform == "youtube" and _YOUTUBE_CHANNEL_ID_AS_TYPED.fullmatch(text):
        return f"youtube.com/channel/{text.lower()}"
    handle = unicodedata.normalize("NFC", text.removeprefix("@").lower())
    if platform == "instagram":
        return f"instagram.com/{_instagram_name(handle)}"
    if platform == "threads":
        return f"threads.net/@{_instagram_name(handle, 'threads')}"
    if platform == "x":
        if not _X_NAME.fullmatch(handle):
            raise _invalid_handle("x")
        return f"x.com/{handle}"
    if platform == "tiktok":
        if not _TIKTOK_NAME.fullmatch(handle):
            raise _invalid_handle("tiktok")
        return f"tiktok.com/@{handle}"
    if platform == "youtube":
        if not _YOUTUBE_HANDLE.fullmatch(handle):
            raise _invalid_handle("youtube")
        return f"youtube.com/@{handle}"
    if platform == "bluesky":
        return f"bsky.app/profile/{_bluesky_identifier(handle)}"
    # facebook
    if _FACEBOOK_ID.fullmatch(handle):
        return _facebook_profile(handle)
    if not _FACEBOOK_USERNAME.fullmatch(handle):
        raise _invalid_handle("facebook")
    return f"facebook.com/{handle}"


# --- Platform paths -----------------------------------------------------------------------------------------

_FACEBOOK_CONTENT = frozenset(
    {
        "watch", "photo", "photo.php", "photos", "story.php", "permalink.php", "reel", "reels", "videos", "posts",
        "events", "media", "stories", "notes", "video.php", "live",
    }
)  # fmt: skip
_FACEBOOK_NOT_ACCOUNTS = frozenset(
    {
        "home.php", "login", "login.php", "logout.php", "marketplace", "gaming", "help", "settings", "hashtag",
        "search", "sharer", "sharer.php", "dialog", "plugins", "privacy", "policies", "policy.php", "business",
        "ads", "messages", "friends", "bookmarks", "notifications", "l.php", "recover", "reg", "r.php", "places",
        "me", "legal", "terms", "terms.php", "fundraisers", "jobs", "careers", "lite", "pages", "people",
        "profile.php", "pg", "p", "groups", "find-friends", "saved", "memories", "feeds", "offers", "donate",
        "latest", "composer", "checkpoint", "public",
    }
)  # fmt: skip
# After the page name: tabs that, followed by an id, address one post, photo or video.
_FACEBOOK_CONTENT_TABS = frozenset(
    {"posts", "videos", "photos", "reels", "reel", "photo", "permalink", "events", "notes", "story"}
)
_FACEBOOK_CONTENT_FILES = frozenset({"photo.php", "permalink.php", "story.php", "video.php", "videos.php"})


def _facebook_key(url, known):
    segments = url.segments
    if not segments:
        raise _not_account("facebook")
    first = segments[0]
    if first == "profile.php":
        number = _query_value(url, "id")
        if not _FACEBOOK_ID.fullmatch(number):
            raise _not_account("facebook")
        return _facebook_profile(number)
    if first in ("people", "pages") and len(segments) >= 3 and _FACEBOOK_ID.fullmatch(segments[2]):
        return _facebook_profile(segments[2])
    if first == "groups" and len(segments) >= 2:
        if any(segment in ("posts", "permalink") for segment in segments[2:]):
            raise _content("facebook")
        if not _FACEBOOK_PAGE_NAME.fullmatch(segments[1]):
            raise _invalid_handle("facebook")
        return f"facebook.com/groups/{segments[1]}"
    if first == "share":
        raise _short_link()
    if first in ("pg", "p") and len(segments) >= 2:  # /pg/<page>/about is the old page layout; /p/<name>-<id>
        segments = segments[1:]
        first = segments[0]
    elif first in _FACEBOOK_CONTENT:
        raise _content("facebook")
    elif first in _FACEBOOK_NOT_ACCOUNTS:
        raise _not_account("facebook")
    rest = segments[1:]
    if rest and (rest[0] in _FACEBOOK_CONTENT_FILES or (rest[0] in _FACEBOOK_CONTENT_TABS and len(rest) > 1)):
        raise _content("facebook")
    if _FACEBOOK_ID.fullmatch(first):
        return _facebook_profile(first)
    # Pages without a username are addressed as "Name-Of-Page-<numeric id>"; the id is what identifies them.
    with_id = _FACEBOOK_NAME_WITH_ID.fullmatch(first)
    if with_id:
        return _facebook_profile(with_id.group(1))
    if not _FACEBOOK_PAGE_NAME.fullmatch(first):
        raise _invalid_handle("facebook")
    return f"facebook.com/{first}"


_INSTAGRAM_CONTENT = frozenset({"p", "reel", "reels", "tv", "stories", "s"})
_INSTAGRAM_NOT_ACCOUNTS = frozenset(
    {
        "explore", "accounts", "direct", "about", "developer", "legal", "web", "challenge", "emails", "session",
        "oauth", "privacy", "press", "api", "static", "directory", "topics", "graphql", "ar", "nametag", "lite",
        "your_activity", "account", "download",
    }
)  # fmt: skip


def _instagram_key(url, known):
    if not url.segments:
        raise _not_account("instagram")
    first, rest = url.segments[0], url.segments[1:]
    if first in _INSTAGRAM_CONTENT:
        raise _content("instagram")
    if first in _INSTAGRAM_NOT_ACCOUNTS:
        raise _not_account("instagram")
    # Post addresses may carry the account's name in front: instagram.com/<name>/p/<code>.
    if rest and rest[0] in ("p", "reel", "tv"):
        raise _content("instagram")
    return f"instagram.com/{_instagram_name(first)}"


def _threads_key(url, known):
    if not url.segments:
        raise _not_account("threads")
    first, rest = url.segments[0], url.segments[1:]
    if first == "t" or (rest and rest[0] == "post"):
        raise _content("threads")
    if not first.startswith("@"):
        raise _not_account("threads")
    return f"threads.net/@{_instagram_name(first[1:], 'threads')}"


def _tiktok_key(url, known):
    if not url.segments:
        raise _not_account("tiktok")
    first, rest = url.segments[0], url.segments[1:]
    if first == "t":
        raise _short_link()
    if first in ("video", "embed") or (rest and rest[0] in ("video", "photo")):
        raise _content("tiktok")
    if not first.startswith("@"):
        raise _not_account("tiktok")
    name = first[1:]
    if not _TIKTOK_NAME.fullmatch(name):
        raise _invalid_handle("tiktok")
    return f"tiktok.com/@{name}"


_X_NOT_ACCOUNTS = frozenset(
    {
        "home", "explore", "search", "notifications", "messages", "settings", "share", "hashtag", "login", "logout",
        "signup", "tos", "privacy", "compose", "account", "search-advanced", "jobs", "about", "download", "rules",
        "intent", "i", "following", "followers", "lists", "bookmarks", "communities", "premium", "verified-choose",
    }
)  # fmt: skip


def _x_key(url, known):
    segments = url.segments
    if not segments and url.fragment.startswith("!/"):
        # Links from before 2012 carry the path in the fragment: twitter.com/#!/suomussalmi
        segments = _normalise_path(url.fragment[2:].partition("?")[0])
    if not segments:
        raise _not_account("x")
    first, rest = segments[0], segments[1:]
    if first == "intent" and rest[:1] in (("user",), ("follow",)):
        if _query_value(url, "user_id"):
            segments = ("i", "user", _query_value(url, "user_id"))
            first, rest = segments[0], segments[1:]
        else:
            first, rest = _query_value(url, "screen_name"), ()
    if first == "i":
        if len(rest) >= 2 and rest[0] == "user" and re.fullmatch(r"[0-9]{1,20}", rest[1]):
            return f"x.com/i/user/{int(rest[1])}"
        if rest and rest[0] in ("web", "status", "spaces", "broadcasts", "events", "moments", "lists"):
            raise _content("x")
        raise _not_account("x")
    if first in _X_NOT_ACCOUNTS:
        raise _not_account("x")
    if rest and rest[0] in ("status", "statuses"):
        raise _content("x")
    name = first.removeprefix("@")
    if not _X_NAME.fullmatch(name):
        raise _invalid_handle("x")
    return f"x.com/{name}"


_YOUTUBE_CONTENT = frozenset({"watch", "shorts", "live", "embed", "v", "clip", "post", "playlist", "attribution_link"})
_YOUTUBE_NOT_ACCOUNTS = frozenset(
    {
        "results", "feed", "account", "premium", "gaming", "music", "kids", "about", "howyoutubeworks", "redirect",
        "hashtag", "signin", "logout", "upload", "subscription_manager", "t", "creators", "ads", "trending",
        "youtubei", "s", "yts", "static", "select_site", "supported_browsers", "new", "index", "channels", "movies",
        "premium_restrictions", "paid_memberships", "reporthistory", "podcasts", "source", "sw.js",
    }
)  # fmt: skip


def _youtube_key(url, known):
    if not url.segments:
        raise _not_account("youtube")
    first, rest = url.segments[0], url.segments[1:]
    if first in _YOUTUBE_CONTENT:
        raise _content("youtube")
    # The channel is the first one or two segments; anything after them is a tab (/videos, /featured...).
    if first.startswith("@"):
        if not _YOUTUBE_HANDLE.fullmatch(first[1:]):
            raise _invalid_handle("youtube")
        return f"youtube.com/{first}"
    if first in ("c", "user", "channel"):
        if not rest:
            raise _not_account("youtube")
        name = rest[0]
        pattern = _YOUTUBE_CHANNEL_ID if first == "channel" else _YOUTUBE_LEGACY_NAME
        if not pattern.fullmatch(name):
            raise _invalid_handle("youtube")
        return f"youtube.com/{first}/{name}"
    if first in _YOUTUBE_NOT_ACCOUNTS:
        raise _not_account("youtube")
    # youtube.com/<name>: the legacy custom address, still working for old channels.
    if not _YOUTUBE_LEGACY_NAME.fullmatch(first):
        raise _invalid_handle("youtube")
    return f"youtube.com/{first}"


_LINKEDIN_ACCOUNT_KINDS = frozenset({"company", "school", "showcase", "in", "groups"})
_LINKEDIN_CONTENT = frozenset({"posts", "pulse", "events", "jobs", "video", "embed", "newsletters"})


def _linkedin_key(url, known):
    if not url.segments:
        raise _not_account("linkedin")
    first, rest = url.segments[0], url.segments[1:]
    if first in _LINKEDIN_CONTENT or (first == "feed" and rest[:1] == ("update",)):
        raise _content("linkedin")
    if first not in _LINKEDIN_ACCOUNT_KINDS or not rest:
        raise _not_account("linkedin")
    if not _LINKEDIN_NAME.fullmatch(rest[0]):
        raise _invalid_handle("linkedin")
    return f"linkedin.com/{first}/{rest[0]}"


def _bluesky_key(url, known):
    segments = url.segments
    if len(segments) < 2 or segments[0] != "profile":
        raise _not_account("bluesky")
    if len(segments) > 2 and segments[2] in ("post", "feed", "lists"):
        raise _content("bluesky")
    return f"bsky.app/profile/{_bluesky_identifier(segments[1])}"


def _whatsapp_key(url, known):
    segments = url.segments
    if known.kind == "send":  # api.whatsapp.com/send?phone=358...
        return _whatsapp_phone(_query_value(url, "phone"))
    if known.canonical_host == "wa.me":
        if len(segments) >= 2 and segments[0] == "message":
            if not _WHATSAPP_MESSAGE_CODE.fullmatch(segments[1]):
                raise _invalid_handle("whatsapp")
            return f"wa.me/message/{segments[1]}"
        if len(segments) == 1:
            return _whatsapp_phone(segments[0])
        raise _not_account("whatsapp")
    if len(segments) >= 2 and segments[0] == "channel":
        if len(segments) > 2:  # whatsapp.com/channel/<id>/<number> is one update of the channel
            raise _content("whatsapp")
        if not _WHATSAPP_CHANNEL_ID.fullmatch(segments[1]):
            raise _invalid_handle("whatsapp")
        return f"whatsapp.com/channel/{segments[1]}"
    raise _not_account("whatsapp")


def _whatsapp_phone(number):
    number = number.removeprefix("+").removeprefix("%2b")
    if not _PHONE_NUMBER.fullmatch(number):
        raise _invalid_handle("whatsapp")
    return f"wa.me/{number}"


def _website_key(url):
    host = url.host
    # Only www. is dropped from websites (m. may be another site); "www.fi" itself stays a domain.
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    key = host
    if url.segments:
        key += "/" + "/".join(url.segments)
    query = sorted(f"{name}={value}" if value else name for name, value in url.query if not _is_tracking(name))
    if query:
        key += "?" + "&".join(query)
    return key


_PLATFORM_KEYS = {
    "facebook": _facebook_key,
    "instagram": _instagram_key,
    "youtube": _youtube_key,
    "x": _x_key,
    "linkedin": _linkedin_key,
    "tiktok": _tiktok_key,
    "threads": _threads_key,
    "bluesky": _bluesky_key,
    "whatsapp": _whatsapp_key,
}


def _key_from_url(text, platform):
    url = _split_url(text)
    known, subdomain = _lookup_host(url.host)
    if known is None:
        if platform in ("website", "blog"):
            return _website_key(url)
        raise _wrong_host(platform)
    if known.platform != platform:
        raise _other_platform(known.platform, platform)
    if known.kind == "handle_domain":
        if not subdomain or url.segments:
            raise _not_account(platform)
        return f"bsky.app/profile/{_bluesky_identifier(url.host)}"
    if known.kind == "short_link":
        raise _short_link()
    if known.kind == "video":
        raise _content(platform)
    if known.kind == "group_invite":
        raise _not_account(platform)
    if subdomain and not (
        subdomain in _SAME_SITE_SUBDOMAINS
        or _LANGUAGE_SUBDOMAIN.fullmatch(subdomain)
        or subdomain in _EXTRA_SUBDOMAINS.get(platform, ())
    ):
        raise _not_account(platform)
    return _PLATFORM_KEYS[platform](url, known)


def _checked_length(key):
    # Punycode and lower-casing can lengthen an address; a key longer than the limit would not be accepted
    # back as input, so it is refused here too.
    if len(key) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(MSG_TOO_LONG, code="too_long")
    return key


# --- Public API ---------------------------------------------------------------------------------------------


def detect_platform(raw: str) -> str | None:
    """The platform slug implied by the address's host; None for other hosts, bare handles and garbage.

    Recognises facebook.com/fb.com/fb.me/m.me, twitter.com/x.com, youtube.com/youtu.be, linkedin.com,
    instagram.com/instagr.am, tiktok.com (also vm./vt. short links), threads.net/threads.com, bsky.app and
    name.bsky.social, whatsapp.com/wa.me, with any of their subdomains.
    """
    try:
        text = _clean(raw)
        if not _looks_like_url(text):
            return None
        known, _subdomain = _lookup_host(_split_url(text).host)
    except InvalidAddress:
        return None
    return known.platform if known else None


def normalise_address(raw: str, platform: str) -> str:
    """Canonical key of an address on the given platform, used for uniqueness and lookups.

    Accepts a web address (with or without scheme) or, on the platforms of ``HANDLE_PLATFORMS``, a bare handle
    (``@suomussalmi`` or ``suomussalmi``). Raises ``InvalidAddress`` for anything that is not an account address
    on ``platform``; see the module docstring for the form of the key.
    """
    if platform not in PLATFORM_SLUGS:
        raise InvalidAddress(MSG_UNKNOWN_PLATFORM, code="unknown_platform")
    text = _clean(raw)
    if platform == "bluesky" and text.lower().startswith("did:"):
        return _checked_length(f"bsky.app/profile/{_bluesky_identifier(text)}")
    if _looks_like_url(text, platform):
        return _checked_length(_key_from_url(text, platform))
    return _checked_length(_key_from_handle(text, platform))


def candidate_keys(raw: str) -> list[str]:
    """The canonical keys the input could mean, for the public check where the platform is not given.

    A web address gives one key: on its detected platform, or as a website for other hosts (a blog's key is the
    same string as a website's). A bare handle gives one key per platform of ``HANDLE_PLATFORMS`` on which it is
    a valid name, in that order. Raises ``InvalidAddress`` when the input can mean nothing.
    """
    text = _clean(raw)
    if text.lower().startswith("did:"):
        return [normalise_address(text, "bluesky")]
    if _looks_like_url(text):
        platform = detect_platform(text) or "website"
        try:
            return [normalise_address(text, platform)]
        except InvalidAddress:
            # "suomussalmi.kunta" or ".kunta" typed without "@": not a web address after all, perhaps a name.
            if any(character in text for character in "/?#:") or platform != "website":
                raise
    keys = []
    for platform in HANDLE_PLATFORMS:
        try:
            key = _checked_length(_key_from_handle(text, platform))
        except InvalidAddress:
            continue
        if key not in keys:
            keys.append(key)
    if not keys:
        raise InvalidAddress(MSG_NO_PLATFORM, code="no_platform")
    return keys
