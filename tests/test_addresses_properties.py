"""Properties of the address normaliser over random input: a canonical key or ``InvalidAddress``, never anything
else, and normalising twice changes nothing.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import contextlib
from urllib.parse import parse_qsl

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from channels.addresses import (
    HANDLE_PLATFORMS,
    MAX_ADDRESS_LENGTH,
    PLATFORM_SLUGS,
    InvalidAddress,
    candidate_keys,
    detect_platform,
    normalise_address,
)

# Enough examples to find a broken rule, few enough to keep this module at a few seconds; no deadline, so a slow
# CI machine cannot make a property flaky.
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TRACKING = {"utm_source", "utm_medium", "fbclid", "gclid", "igshid", "igsh", "si", "ref", "ref_src", "s", "t"}
TRACKING |= {"feature", "mibextid", "_rdr", "hl", "lang", "locale"}


def assert_canonical(key):
    host = key.split("/")[0].split("?")[0]
    assert not key.startswith(("http:", "https:", "//"))
    assert key == key.lower()
    assert not key.endswith("/")
    assert "//" not in key
    assert "#" not in key
    assert not host.startswith("www.")
    assert len(key) <= MAX_ADDRESS_LENGTH
    query = key.partition("?")[2]
    assert not {name for name, _value in parse_qsl(query, keep_blank_values=True)} & TRACKING


tokens = st.sampled_from(
    ["suomussalmi", "Kunta", "a", "_", ".", "-", "~", "@", "%20", "%2F", "%C3%A4", "%e4", "%7E", "ä", "Ö", "1", "!"]
)
segments = st.lists(tokens, min_size=1, max_size=4).map("".join)
paths = st.lists(segments, max_size=4).map("/".join)
query_pairs = st.tuples(
    st.sampled_from([*sorted(TRACKING), "id", "v", "page", "q", "screen_name", "phone", "user_id"]),
    st.sampled_from(["", "1", "358401234567", "Suomussalmi", "a/b/", "%2B358401234567"]),
)
queries = st.lists(query_pairs, max_size=3).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))
hosts = st.sampled_from(
    [
        "facebook.com", "fb.com", "m.facebook.com", "instagram.com", "instagr.am", "x.com", "twitter.com",
        "mobile.twitter.com", "youtube.com", "m.youtube.com", "youtu.be", "fi.linkedin.com", "linkedin.com",
        "tiktok.com", "vm.tiktok.com", "threads.net", "threads.com", "bsky.app", "suomussalmi.bsky.social",
        "whatsapp.com", "wa.me", "api.whatsapp.com", "suomussalmi.fi", "SIPILÄ.fi", "kainuu.fi", "blogi.kunta.fi",
    ]
)  # fmt: skip
urls = st.builds(
    lambda scheme, www, host, path, slash, query, fragment: (
        f"{scheme}{www}{host}/{path}{slash}{'?' + query if query else ''}{fragment}"
    ),
    st.sampled_from(["", "http://", "https://", "HTTPS://", "//"]),
    st.sampled_from(["", "www.", "WWW."]),
    hosts,
    paths,
    st.sampled_from(["", "/", "//"]),
    queries,
    st.sampled_from(["", "#", "#top", "#!/Suomussalmi"]),
)
handles = st.builds(
    lambda at, name: at + name,
    st.sampled_from(["", "@"]),
    st.text(alphabet="abcXYZ019._-ä", min_size=1, max_size=32),
)


@FAST
@given(raw=st.text(max_size=600), platform=st.sampled_from(PLATFORM_SLUGS))
def test_random_text_gives_a_key_or_invalid_address(raw, platform):
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key


@FEW
@given(raw=st.text(min_size=400, max_size=3000, alphabet=st.characters(codec="utf-8")))
def test_long_random_text_never_raises_anything_else(raw):
    for platform in PLATFORM_SLUGS:
        with contextlib.suppress(InvalidAddress):
            normalise_address(raw, platform)
    with contextlib.suppress(InvalidAddress):
        candidate_keys(raw)
    detect_platform(raw)


@FAST
@given(raw=st.one_of(st.text(max_size=300), urls, handles))
def test_the_public_check_gives_keys_or_invalid_address(raw):
    try:
        keys = candidate_keys(raw)
    except InvalidAddress:
        return
    assert keys
    assert len(keys) == len(set(keys))
    for key in keys:
        assert_canonical(key)
        assert candidate_keys(key) == [key]


@FAST
@given(raw=st.one_of(urls, st.text(max_size=200)))
def test_detect_platform_never_raises(raw):
    assert detect_platform(raw) in (None, *PLATFORM_SLUGS)


@FAST
@given(raw=urls, fallback=st.sampled_from(PLATFORM_SLUGS))
def test_normalising_a_url_twice_changes_nothing(raw, fallback):
    platform = detect_platform(raw) or fallback
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key
    assert detect_platform(key) == (platform if platform not in ("website", "blog") else None)


@FAST
@given(raw=handles, platform=st.sampled_from(PLATFORM_SLUGS))
def test_normalising_a_handle_twice_changes_nothing(raw, platform):
    try:
        key = normalise_address(raw, platform)
    except InvalidAddress:
        return
    assert_canonical(key)
    assert normalise_address(key, platform) == key
    assert "." in raw or key in candidate_keys(raw)


# --- Invisible characters and the trailing dot, wherever they stand (issue 16) ---------------------------------

# Zero-width space, non-joiner and joiner, word joiner, byte-order mark; and the left-to-right and right-to-left
# marks, which copying brings along just the same. None is visible, so none may hide in an address.
INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f"])


def _code(raw, platform):
    try:
        return normalise_address(raw, platform)
    except InvalidAddress as refused:
        return ("refused", refused.code)


@FAST
@given(raw=st.one_of(urls, handles), platform=st.sampled_from(PLATFORM_SLUGS), invisible=INVISIBLE, data=st.data())
def test_an_invisible_character_is_refused_wherever_it_stands(raw, platform, invisible, data):
    """At the start, in the middle or at the end (also inside quotes or <>), with the same message."""
    position = data.draw(st.integers(min_value=0, max_value=len(raw)))
    typed = data.draw(st.sampled_from(["{}", "<{}>", '"{}"', " {} "])).format(
        raw[:position] + invisible + raw[position:]
    )
    assert _code(typed, platform) == ("refused", "control")
    try:
        candidate_keys(typed)
    except InvalidAddress as refused:
        assert refused.code == "control"
    else:
        raise AssertionError(f"{typed!r} was accepted by the public check")


dotted_hosts = st.sampled_from(
    ["www.esimerkkila.fi", "esimerkkila.fi", "SIPILÄ.fi", "blogi.kunta.fi", "facebook.com", "m.facebook.com",
     "instagram.com", "x.com", "twitter.com", "youtube.com", "tiktok.com", "bsky.app", "linkedin.com", "wa.me"]
)  # fmt: skip


@FAST
@given(
    scheme=st.sampled_from(["", "https://", "//"]),
    host=dotted_hosts,
    rest=st.sampled_from(["", "/", "/esimerkkila", "/palvelut/kirjasto?id=3", ":443/esimerkkila", "/@esimerkkila"]),
    platform=st.sampled_from(PLATFORM_SLUGS),
)
def test_a_trailing_dot_on_a_host_is_dropped_wherever_the_host_stands(scheme, host, rest, platform):
    """``www.esimerkkila.fi.`` is ``www.esimerkkila.fi`` (the dot is the DNS root): bare, with a scheme, before a
    path or a port, the key and any refusal are the same as without the dot. Two dots are no domain name.

    On a platform of handles a bare "esimerkkila.fi." is not a host but a name typed for that platform (only a
    platform's own host, a scheme, "www." or a path make it an address); the platform's rule for names decides it.
    """
    own_site = host.lower() in ("esimerkkila.fi", "sipilä.fi", "blogi.kunta.fi")
    assume(not (platform in HANDLE_PLATFORMS and own_site and not scheme and not rest))
    assert _code(f"{scheme}{host}.{rest}", platform) == _code(f"{scheme}{host}{rest}", platform)
    if scheme or rest or platform not in HANDLE_PLATFORMS:  # read as an address, not as a name
        assert _code(f"{scheme}{host}..{rest}", platform) in (("refused", "invalid_host"), ("refused", "needs_url"))


@FAST
@given(
    name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=18),
    form=st.sampled_from(["{}.bsky.social", "@{}.bsky.social", "https://bsky.app/profile/{}.bsky.social", "@{}.fi"]),
)
def test_a_bluesky_handle_is_a_domain_and_its_trailing_dot_is_dropped(name, form):
    typed = form.format(name)
    key = normalise_address(typed, "bluesky")
    assert normalise_address(typed + ".", "bluesky") == key
    assert key in candidate_keys(typed + ".")
