"""Websites and blogs: any host that is not a known platform's.

The key keeps the whole (normalised) path and the query without tracking parameters, sorted; only ``www.`` is
dropped from the host, because on other hosts ``m.`` may be a different site.
"""

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


def website_key(url):
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
