"""``InvalidAddress`` and the messages that tell the person who typed an address what is wrong with it.

Every refusal in the package is one of these: a fixed message (``MSG_*``) or one built for a platform by the
functions below, which name the platform and show an address of the form that works.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from channels.addresses.platforms import PLATFORM_NAMES

# The longest address accepted, as typed and as a key.
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


# Shown in messages so that the person sees the form that works.
EXAMPLE_ADDRESSES = {
    "website": "https://www.esimerkkila.fi",
    "blog": "https://blogi.esimerkkila.fi",
    "facebook": "https://www.facebook.com/esimerkkila",
    "instagram": "https://www.instagram.com/esimerkkila",
    "youtube": "https://www.youtube.com/@esimerkkila",
    "x": "https://x.com/esimerkkila",
    "linkedin": "https://www.linkedin.com/company/esimerkkilan-kaupunki",
    "tiktok": "https://www.tiktok.com/@esimerkkila",
    "threads": "https://www.threads.net/@esimerkkila",
    "bluesky": "https://bsky.app/profile/esimerkkila.bsky.social",
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
    "bluesky": _("Bluesky handles are domain names, such as esimerkkila.bsky.social."),
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
MSG_INVALID_HOST = _("The address does not have a valid domain name, such as esimerkkila.fi.")
MSG_PORT = _("Give the address without a port number.")
MSG_UNKNOWN_PLATFORM = _("Unknown platform.")
MSG_NO_PLATFORM = _("This is neither a web address nor a username on any of the supported services.")
MSG_SHORT_LINK = _(
    "Short links cannot be checked. Open the link and copy the address of the account's own page from the browser."
)


def other_platform(found, expected):
    return InvalidAddress(
        format_lazy(
            _("This is a {found} address, not a {expected} address."),
            found=PLATFORM_NAMES[found],
            expected=PLATFORM_NAMES[expected],
        ),
        code="other_platform",
    )


def _about_platform(message, platform, code):
    """An ``InvalidAddress`` about an address on ``platform``.

    The message may name the platform (``{platform}``), show an address of the form that works (``{example}``) and
    state the platform's rule for names (``{rule}``).
    """
    return InvalidAddress(
        format_lazy(
            message,
            platform=PLATFORM_NAMES[platform],
            example=EXAMPLE_ADDRESSES[platform],
            rule=HANDLE_RULES.get(platform, ""),
        ),
        code=code,
    )


def wrong_host(platform):
    message = _(
        "This is not a {platform} address. Give the address of the account on {platform}, for example {example}."
    )
    return _about_platform(message, platform, "wrong_host")


def needs_url(platform):
    message = _("Give the full web address of the {platform} page, for example {example}.")
    return _about_platform(message, platform, "needs_url")


def invalid_handle(platform):
    return _about_platform(_("This is not a valid {platform} name. {rule}"), platform, "invalid_handle")


def single_content(platform):
    """The address of one post, video or other content: not an account."""
    message = _(
        "This address points to a single post, video or other content, not to an account. "
        "Give the address of the account itself, for example {example}."
    )
    return _about_platform(message, platform, "content")


def not_account(platform):
    message = _(
        "This {platform} address does not point to an account. Give the address of the account, for example {example}."
    )
    return _about_platform(message, platform, "not_account")


def short_link():
    return InvalidAddress(MSG_SHORT_LINK, code="short_link")
