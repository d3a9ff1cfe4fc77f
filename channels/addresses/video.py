"""Video platforms: YouTube and TikTok.

A YouTube channel is named in four ways (``/@handle``, ``/c/name``, ``/user/name``, ``/channel/uc...``, and the
legacy ``/name``); each is kept as its own key, because YouTube does not tell which of them are the same channel.
Tabs after the channel are cut off; addresses of single videos and short links are refused.
"""

import re

from channels.addresses.errors import not_account, short_link, single_content
from channels.addresses.parsing import account_path, bare_handle, checked_name

# --- YouTube ------------------------------------------------------------------------------------------------

_YOUTUBE_HANDLE = re.compile(r"[\w.\-]{3,30}")
_YOUTUBE_LEGACY_NAME = re.compile(r"[\w.\-]{1,100}")
_YOUTUBE_CHANNEL_ID = re.compile(r"uc[a-z0-9_\-]{22}")
_YOUTUBE_CHANNEL_ID_AS_TYPED = re.compile(r"UC[A-Za-z0-9_\-]{22}")

_YOUTUBE_CONTENT = frozenset({"watch", "shorts", "live", "embed", "v", "clip", "post", "playlist", "attribution_link"})
_YOUTUBE_NOT_ACCOUNTS = frozenset(
    {
        "results", "feed", "account", "premium", "gaming", "music", "kids", "about", "howyoutubeworks", "redirect",
        "hashtag", "signin", "logout", "upload", "subscription_manager", "t", "creators", "ads", "trending",
        "youtubei", "s", "yts", "static", "select_site", "supported_browsers", "new", "index", "channels", "movies",
        "premium_restrictions", "paid_memberships", "reporthistory", "podcasts", "source", "sw.js",
    }
)  # fmt: skip


def _youtube_handle_account(handle):
    return f"youtube.com/@{checked_name(handle, _YOUTUBE_HANDLE, 'youtube')}"


def youtube_key(url, known):
    first, rest = account_path(url, "youtube")
    if first in _YOUTUBE_CONTENT:
        raise single_content("youtube")
    # The channel is the first one or two segments; anything after them is a tab (/videos, /featured...).
    if first.startswith("@"):
        return _youtube_handle_account(first[1:])
    if first in ("c", "user", "channel"):
        if not rest:
            raise not_account("youtube")
        pattern = _YOUTUBE_CHANNEL_ID if first == "channel" else _YOUTUBE_LEGACY_NAME
        return f"youtube.com/{first}/{checked_name(rest[0], pattern, 'youtube')}"
    if first in _YOUTUBE_NOT_ACCOUNTS:
        raise not_account("youtube")
    # youtube.com/<name>: the legacy custom address, still working for old channels.
    return f"youtube.com/{checked_name(first, _YOUTUBE_LEGACY_NAME, 'youtube')}"


def youtube_handle_address(text):
    # A channel id is recognised as typed ("UC" in capitals), before lower-casing makes it look like a handle.
    if _YOUTUBE_CHANNEL_ID_AS_TYPED.fullmatch(text):
        return f"youtube.com/channel/{text.lower()}"
    return _youtube_handle_account(bare_handle(text))


# --- TikTok -------------------------------------------------------------------------------------------------

_TIKTOK_NAME = re.compile(r"[a-z0-9._]{2,24}(?<!\.)")


def _tiktok_account(name):
    return f"tiktok.com/@{checked_name(name, _TIKTOK_NAME, 'tiktok')}"


def tiktok_key(url, known):
    first, rest = account_path(url, "tiktok")
    if first == "t":
        raise short_link()
    if first in ("video", "embed") or (rest and rest[0] in ("video", "photo")):
        raise single_content("tiktok")
    if not first.startswith("@"):
        raise not_account("tiktok")
    return _tiktok_account(first[1:])


def tiktok_handle_address(text):
    return _tiktok_account(bare_handle(text))
