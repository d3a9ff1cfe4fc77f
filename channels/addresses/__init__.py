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
- The path keeps only what names the account: ``facebook.com/esimerkkila``, ``instagram.com/esimerkkila``,
  ``x.com/esimerkkila``, ``youtube.com/@esimerkkila`` (also ``/c/name``, ``/user/name``, ``/channel/uc...`` and
  the legacy ``/name``, each kept as its own kind because YouTube does not tell us which of them are the same
  channel), ``tiktok.com/@esimerkkila``, ``threads.net/@esimerkkila``,
  ``bsky.app/profile/esimerkkila.bsky.social``, ``linkedin.com/company/esimerkkilan-kaupunki``,
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

The package is laid out by meaning, bottom to top: ``platforms`` (slugs, names, known hosts), ``errors``
(``InvalidAddress`` and its messages), ``parsing`` (cleaning the input, splitting a URL), one module per
platform family (``meta``: Facebook, Instagram, Threads, WhatsApp; ``video``: YouTube, TikTok; ``microblogs``:
X, Bluesky; ``linkedin``; ``websites``: websites and blogs), and ``keys``, which holds the public functions and
sends each address to its platform. Other code imports only the names below, from ``channels.addresses``.
"""

from channels.addresses.errors import MAX_ADDRESS_LENGTH, MSG_EMPTY, MSG_TOO_LONG, InvalidAddress
from channels.addresses.keys import candidate_keys, detect_platform, normalise_address
from channels.addresses.platforms import HANDLE_PLATFORMS, PLATFORM_NAMES, PLATFORM_SLUGS

__all__ = [
    "HANDLE_PLATFORMS",
    "MAX_ADDRESS_LENGTH",
    "MSG_EMPTY",
    "MSG_TOO_LONG",
    "PLATFORM_NAMES",
    "PLATFORM_SLUGS",
    "InvalidAddress",
    "candidate_keys",
    "detect_platform",
    "normalise_address",
]
