"""The platforms an address can belong to, their names, and the hosts each one answers on.

Which host means which platform (``twitter.com`` is X, ``youtu.be`` is YouTube's video links), which canonical host
the key uses, and which subdomains still show the same account.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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


@dataclass(frozen=True)
class KnownHost:
    platform: str
    canonical_host: str
    # "account": paths name accounts; "video" and "short_link": no path names an account we can see;
    # "handle_domain": the host itself is the account (Bluesky's name.bsky.social);
    # "group_invite": WhatsApp group invitations, which are not channels; "send": WhatsApp's click-to-chat API.
    kind: str = "account"


_KNOWN_HOSTS = {
    "facebook.com": KnownHost("facebook", "facebook.com"),
    "fb.com": KnownHost("facebook", "facebook.com"),
    "fb.me": KnownHost("facebook", "facebook.com"),  # fb.me/<page> redirects to the page
    "m.me": KnownHost("facebook", "facebook.com"),  # Messenger link to a page: m.me/<page>
    "fb.watch": KnownHost("facebook", "facebook.com", "video"),
    "instagram.com": KnownHost("instagram", "instagram.com"),
    "instagr.am": KnownHost("instagram", "instagram.com"),
    "x.com": KnownHost("x", "x.com"),
    "twitter.com": KnownHost("x", "x.com"),
    "youtube.com": KnownHost("youtube", "youtube.com"),
    "youtu.be": KnownHost("youtube", "youtube.com", "video"),
    "linkedin.com": KnownHost("linkedin", "linkedin.com"),
    "lnkd.in": KnownHost("linkedin", "linkedin.com", "short_link"),
    "tiktok.com": KnownHost("tiktok", "tiktok.com"),
    "vm.tiktok.com": KnownHost("tiktok", "tiktok.com", "short_link"),
    "vt.tiktok.com": KnownHost("tiktok", "tiktok.com", "short_link"),
    "threads.net": KnownHost("threads", "threads.net"),
    "threads.com": KnownHost("threads", "threads.net"),
    "bsky.app": KnownHost("bluesky", "bsky.app"),
    "bsky.social": KnownHost("bluesky", "bsky.app", "handle_domain"),
    "whatsapp.com": KnownHost("whatsapp", "whatsapp.com"),
    "wa.me": KnownHost("whatsapp", "wa.me"),
    "api.whatsapp.com": KnownHost("whatsapp", "wa.me", "send"),
    "chat.whatsapp.com": KnownHost("whatsapp", "whatsapp.com", "group_invite"),
}

# Subdomains that show the same account: mobile and desktop sites, and language versions (fi.linkedin.com,
# fi-fi.facebook.com). Any other subdomain (help., developers., studio.) is a service of the platform, not an
# account page.
_SAME_SITE_SUBDOMAINS = frozenset({"www", "m", "mobile", "web", "touch", "mbasic"})
_LANGUAGE_SUBDOMAIN = re.compile(r"[a-z]{2}(?:-[a-z]{2})?")
_EXTRA_SUBDOMAINS = {"youtube": frozenset({"music"})}


def lookup_host(host):
    """The known platform host that ``host`` is or is a subdomain of (longest match), and the subdomain part."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        known = _KNOWN_HOSTS.get(".".join(labels[start:]))
        if known is not None:
            return known, ".".join(labels[:start])
    return None, ""


def shows_accounts(subdomain, platform):
    """Whether account pages on ``platform`` under this subdomain (from ``lookup_host``) are the platform's own."""
    return (
        not subdomain
        or subdomain in _SAME_SITE_SUBDOMAINS
        or bool(_LANGUAGE_SUBDOMAIN.fullmatch(subdomain))
        or subdomain in _EXTRA_SUBDOMAINS.get(platform, ())
    )
