"""Meta's platforms: Facebook, Instagram, Threads and WhatsApp.

Facebook accounts known by a number all get the key ``facebook.com/profile.php?id=<number>``; Threads names are
Instagram names, so both are checked by one rule; WhatsApp has channels (``whatsapp.com/channel/<id>``) and
click-to-chat phone numbers (``wa.me/<phone>``) but no handles.
"""

import re

from channels.addresses.errors import not_account, short_link, single_content
from channels.addresses.parsing import account_path, bare_handle, checked_name, query_value

# --- Facebook -----------------------------------------------------------------------------------------------

_FACEBOOK_USERNAME = re.compile(r"[a-z0-9.]{5,50}")
# Page addresses are looser than usernames: old pages have "Name-With-Hyphens" and letters such as ä.
_FACEBOOK_PAGE_NAME = re.compile(r"(?=.*\w)[\w.\-]{1,100}")
_FACEBOOK_NAME_WITH_ID = re.compile(r"[\w.\-]*-([0-9]{8,20})")
_FACEBOOK_ID = re.compile(r"[0-9]{1,20}")

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


def _facebook_profile(number):
    return f"facebook.com/profile.php?id={int(number)}"


def facebook_key(url, known):
    segments = url.segments
    if not segments:
        raise not_account("facebook")
    first = segments[0]
    if first == "profile.php":
        number = query_value(url, "id")
        if not _FACEBOOK_ID.fullmatch(number):
            raise not_account("facebook")
        return _facebook_profile(number)
    if first in ("people", "pages") and len(segments) >= 3 and _FACEBOOK_ID.fullmatch(segments[2]):
        return _facebook_profile(segments[2])
    if first == "groups" and len(segments) >= 2:
        if any(segment in ("posts", "permalink") for segment in segments[2:]):
            raise single_content("facebook")
        return f"facebook.com/groups/{checked_name(segments[1], _FACEBOOK_PAGE_NAME, 'facebook')}"
    if first == "share":
        raise short_link()
    if first in ("pg", "p") and len(segments) >= 2:  # /pg/<page>/about is the old page layout; /p/<name>-<id>
        segments = segments[1:]
        first = segments[0]
    elif first in _FACEBOOK_CONTENT:
        raise single_content("facebook")
    elif first in _FACEBOOK_NOT_ACCOUNTS:
        raise not_account("facebook")
    rest = segments[1:]
    if rest and (rest[0] in _FACEBOOK_CONTENT_FILES or (rest[0] in _FACEBOOK_CONTENT_TABS and len(rest) > 1)):
        raise single_content("facebook")
    if _FACEBOOK_ID.fullmatch(first):
        return _facebook_profile(first)
    # Pages without a username are addressed as "Name-Of-Page-<numeric id>"; the id is what identifies them.
    with_id = _FACEBOOK_NAME_WITH_ID.fullmatch(first)
    if with_id:
        return _facebook_profile(with_id.group(1))
    return f"facebook.com/{checked_name(first, _FACEBOOK_PAGE_NAME, 'facebook')}"


def facebook_handle_address(text):
    handle = bare_handle(text)
    if _FACEBOOK_ID.fullmatch(handle):
        return _facebook_profile(handle)
    return f"facebook.com/{checked_name(handle, _FACEBOOK_USERNAME, 'facebook')}"


# --- Instagram and Threads ----------------------------------------------------------------------------------

_INSTAGRAM_NAME = re.compile(r"(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)")
_INSTAGRAM_CONTENT = frozenset({"p", "reel", "reels", "tv", "stories", "s"})
_INSTAGRAM_NOT_ACCOUNTS = frozenset(
    {
        "explore", "accounts", "direct", "about", "developer", "legal", "web", "challenge", "emails", "session",
        "oauth", "privacy", "press", "api", "static", "directory", "topics", "graphql", "ar", "nametag", "lite",
        "your_activity", "account", "download",
    }
)  # fmt: skip


def _instagram_name(name, platform):
    return checked_name(name.removeprefix("@"), _INSTAGRAM_NAME, platform)


def _instagram_account(name):
    return f"instagram.com/{_instagram_name(name, 'instagram')}"


def _threads_account(name):
    return f"threads.net/@{_instagram_name(name, 'threads')}"


def instagram_key(url, known):
    first, rest = account_path(url, "instagram")
    if first in _INSTAGRAM_CONTENT:
        raise single_content("instagram")
    if first in _INSTAGRAM_NOT_ACCOUNTS:
        raise not_account("instagram")
    # Post addresses may carry the account's name in front: instagram.com/<name>/p/<code>.
    if rest and rest[0] in ("p", "reel", "tv"):
        raise single_content("instagram")
    return _instagram_account(first)


def instagram_handle_address(text):
    return _instagram_account(bare_handle(text))


def threads_key(url, known):
    first, rest = account_path(url, "threads")
    if first == "t" or (rest and rest[0] == "post"):
        raise single_content("threads")
    if not first.startswith("@"):
        raise not_account("threads")
    return _threads_account(first[1:])


def threads_handle_address(text):
    return _threads_account(bare_handle(text))


# --- WhatsApp -----------------------------------------------------------------------------------------------

_WHATSAPP_CHANNEL_ID = re.compile(r"[a-z0-9]{10,40}")
_PHONE_NUMBER = re.compile(r"[1-9][0-9]{5,14}")  # E.164 without the plus
_WHATSAPP_MESSAGE_CODE = re.compile(r"[a-z0-9]{5,40}")


def whatsapp_key(url, known):
    segments = url.segments
    if known.kind == "send":  # api.whatsapp.com/send?phone=358...
        return _whatsapp_phone(query_value(url, "phone"))
    if known.canonical_host == "wa.me":
        if len(segments) >= 2 and segments[0] == "message":
            return f"wa.me/message/{checked_name(segments[1], _WHATSAPP_MESSAGE_CODE, 'whatsapp')}"
        if len(segments) == 1:
            return _whatsapp_phone(segments[0])
        raise not_account("whatsapp")
    if len(segments) >= 2 and segments[0] == "channel":
        if len(segments) > 2:  # whatsapp.com/channel/<id>/<number> is one update of the channel
            raise single_content("whatsapp")
        return f"whatsapp.com/channel/{checked_name(segments[1], _WHATSAPP_CHANNEL_ID, 'whatsapp')}"
    raise not_account("whatsapp")


def _whatsapp_phone(number):
    number = number.removeprefix("+").removeprefix("%2b")
    return f"wa.me/{checked_name(number, _PHONE_NUMBER, 'whatsapp')}"
