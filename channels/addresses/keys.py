"""From an address or handle to its canonical key: the three public functions and the dispatch to platforms.

``normalise_address`` reads one address on a given platform, ``candidate_keys`` every key an input could mean,
and ``detect_platform`` the platform a host implies. A web address goes to its host's platform module (or to
``websites`` for other hosts); a bare handle is first turned into the address it stands for, which then goes
through the same rules, so that both spellings give one key.
"""

from channels.addresses.errors import (
    MSG_NO_PLATFORM,
    MSG_UNKNOWN_PLATFORM,
    InvalidAddress,
    invalid_handle,
    needs_url,
    not_account,
    other_platform,
    short_link,
    single_content,
    wrong_host,
)
from channels.addresses.linkedin import linkedin_key
from channels.addresses.meta import (
    facebook_handle_address,
    facebook_key,
    instagram_handle_address,
    instagram_key,
    threads_handle_address,
    threads_key,
    whatsapp_key,
)
from channels.addresses.microblogs import bluesky_handle_address, bluesky_key, bluesky_profile, x_handle_address, x_key
from channels.addresses.parsing import checked_length, clean, looks_like_url, split_url
from channels.addresses.platforms import HANDLE_PLATFORMS, PLATFORM_SLUGS, lookup_host, shows_accounts
from channels.addresses.video import tiktok_handle_address, tiktok_key, youtube_handle_address, youtube_key
from channels.addresses.websites import website_key

# The key of an account address on each platform, from its parsed URL and known host.
_URL_KEYS = {
    "facebook": facebook_key,
    "instagram": instagram_key,
    "youtube": youtube_key,
    "x": x_key,
    "linkedin": linkedin_key,
    "tiktok": tiktok_key,
    "threads": threads_key,
    "bluesky": bluesky_key,
    "whatsapp": whatsapp_key,
}
# The address a bare handle stands for on each platform of HANDLE_PLATFORMS.
_HANDLE_ADDRESSES = {
    "instagram": instagram_handle_address,
    "x": x_handle_address,
    "tiktok": tiktok_handle_address,
    "threads": threads_handle_address,
    "youtube": youtube_handle_address,
    "bluesky": bluesky_handle_address,
    "facebook": facebook_handle_address,
}


def _key_from_url(text, platform):
    url = split_url(text)
    known, subdomain = lookup_host(url.host)
    if known is None:
        if platform in ("website", "blog"):
            return website_key(url)
        raise wrong_host(platform)
    if known.platform != platform:
        raise other_platform(known.platform, platform)
    if known.kind == "handle_domain":
        if not subdomain or url.segments:
            raise not_account(platform)
        return bluesky_profile(url.host)
    if known.kind == "short_link":
        raise short_link()
    if known.kind == "video":
        raise single_content(platform)
    if known.kind == "group_invite":
        raise not_account(platform)
    if not shows_accounts(subdomain, platform):
        raise not_account(platform)
    return _URL_KEYS[platform](url, known)


def _key_from_handle(text, platform):
    if platform not in HANDLE_PLATFORMS:
        raise needs_url(platform)
    key = _HANDLE_ADDRESSES[platform](text)
    # The address of a handle goes through the same path rules as a pasted address, so that names the platform
    # keeps for itself ("@explore", "@reel") are refused and a key read back gives itself.
    try:
        return _key_from_url(key, platform)
    except InvalidAddress:
        raise invalid_handle(platform) from None


def detect_platform(raw: str) -> str | None:
    """The platform slug implied by the address's host; None for other hosts, bare handles and garbage.

    Recognises facebook.com/fb.com/fb.me/m.me, twitter.com/x.com, youtube.com/youtu.be, linkedin.com,
    instagram.com/instagr.am, tiktok.com (also vm./vt. short links), threads.net/threads.com, bsky.app and
    name.bsky.social, whatsapp.com/wa.me, with any of their subdomains.
    """
    try:
        text = clean(raw)
        if not looks_like_url(text):
            return None
        known, _subdomain = lookup_host(split_url(text).host)
    except InvalidAddress:
        return None
    return known.platform if known else None


def normalise_address(raw: str, platform: str) -> str:
    """Canonical key of an address on the given platform, used for uniqueness and lookups.

    Accepts a web address (with or without scheme) or, on the platforms of ``HANDLE_PLATFORMS``, a bare handle
    (``@esimerkkila`` or ``esimerkkila``). Raises ``InvalidAddress`` for anything that is not an account address
    on ``platform``; see the package docstring for the form of the key.
    """
    if platform not in PLATFORM_SLUGS:
        raise InvalidAddress(MSG_UNKNOWN_PLATFORM, code="unknown_platform")
    text = clean(raw)
    if platform == "bluesky" and text.lower().startswith("did:"):
        return checked_length(bluesky_profile(text))
    if looks_like_url(text, platform):
        return checked_length(_key_from_url(text, platform))
    return checked_length(_key_from_handle(text, platform))


def candidate_keys(raw: str) -> list[str]:
    """The canonical keys the input could mean, for the public check where the platform is not given.

    A web address gives one key: on its detected platform, or as a website for other hosts (a blog's key is the
    same string as a website's). A bare handle gives one key per platform of ``HANDLE_PLATFORMS`` on which it is
    a valid name, in that order. Raises ``InvalidAddress`` when the input can mean nothing.
    """
    text = clean(raw)
    if text.lower().startswith("did:"):
        return [normalise_address(text, "bluesky")]
    if looks_like_url(text):
        platform = detect_platform(text) or "website"
        try:
            return [normalise_address(text, platform)]
        except InvalidAddress:
            # "esimerkkila.kaupunki" or ".kunta" typed without "@": not a web address after all, perhaps a name.
            if any(character in text for character in "/?#:") or platform != "website":
                raise
    keys = []
    for platform in HANDLE_PLATFORMS:
        try:
            key = checked_length(_key_from_handle(text, platform))
        except InvalidAddress:
            continue
        if key not in keys:
            keys.append(key)
    if not keys:
        raise InvalidAddress(MSG_NO_PLATFORM, code="no_platform")
    return keys
