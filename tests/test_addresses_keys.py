"""The public functions (``channels/addresses/keys.py``): platform detection, the public check's candidates, and
every key in the example tables being its own key.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import HANDLE_PLATFORMS, InvalidAddress, candidate_keys, detect_platform, normalise_address
from tests.address_examples import ALL_VALID


@pytest.mark.parametrize(("platform", "raw", "key"), ALL_VALID)
def test_every_key_in_the_tables_is_its_own_key(platform, raw, key):
    assert normalise_address(key, platform) == key


# --- Platform detection -------------------------------------------------------------------------------------

DETECTED = [
    ("https://www.facebook.com/suomussalmi", "facebook"),
    ("fb.com/suomussalmi", "facebook"),
    ("https://m.facebook.com/Suomussalmi/?fbclid=x", "facebook"),
    ("https://twitter.com/suomussalmi", "x"),
    ("x.com/suomussalmi", "x"),
    ("https://mobile.twitter.com/suomussalmi", "x"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
    ("https://www.youtube.com/@suomussalmi", "youtube"),
    ("https://m.youtube.com/@suomussalmi", "youtube"),
    ("https://www.linkedin.com/company/suomussalmen-kunta", "linkedin"),
    ("https://fi.linkedin.com/company/suomussalmen-kunta", "linkedin"),
    ("https://instagr.am/suomussalmi", "instagram"),
    ("instagram.com/suomussalmi", "instagram"),
    ("https://www.tiktok.com/@suomussalmi", "tiktok"),
    ("https://vm.tiktok.com/ZMabc123/", "tiktok"),
    ("https://www.threads.net/@suomussalmi", "threads"),
    ("https://www.threads.com/@suomussalmi", "threads"),
    ("https://bsky.app/profile/suomussalmi.bsky.social", "bluesky"),
    ("suomussalmi.bsky.social", "bluesky"),
    ("https://whatsapp.com/channel/0029VaFVAYy0rGiJ1ukZ3E2k", "whatsapp"),
    ("https://wa.me/358401234567", "whatsapp"),
    ("https://www.suomussalmi.fi", None),
    ("https://notfacebook.com/suomussalmi", None),
    ("https://facebook.com.evil.example/suomussalmi", None),
    ("@suomussalmi", None),
    ("suomussalmi", None),
    ("", None),
    ("\x00", None),
    ("https://", None),
]


@pytest.mark.parametrize(("raw", "platform"), DETECTED)
def test_it_detects_the_platform_from_the_host(raw, platform):
    assert detect_platform(raw) == platform


# --- The public check ---------------------------------------------------------------------------------------

EVERY_HANDLE_KEY = [
    "instagram.com/suomussalmi",
    "x.com/suomussalmi",
    "tiktok.com/@suomussalmi",
    "threads.net/@suomussalmi",
    "youtube.com/@suomussalmi",
    "bsky.app/profile/suomussalmi.bsky.social",
    "facebook.com/suomussalmi",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@suomussalmi", EVERY_HANDLE_KEY),
        ("suomussalmi", EVERY_HANDLE_KEY),
        ("  @Suomussalmi ", EVERY_HANDLE_KEY),
        ("https://m.facebook.com/Suomussalmi/?ref=x", ["facebook.com/suomussalmi"]),
        ("https://www.Suomussalmi.fi/Kirjasto/", ["suomussalmi.fi/kirjasto"]),
        ("suomussalmi.fi", ["suomussalmi.fi"]),
        ("twitter.com/Suomussalmi", ["x.com/suomussalmi"]),
        ("suomussalmi.bsky.social", ["bsky.app/profile/suomussalmi.bsky.social"]),
        ("did:plc:abcdefghijklmnopqrstuvwx", ["bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx"]),
        (
            "@suomussalmi_kunta",
            [
                "instagram.com/suomussalmi_kunta",
                "tiktok.com/@suomussalmi_kunta",
                "threads.net/@suomussalmi_kunta",
                "youtube.com/@suomussalmi_kunta",
            ],
        ),
        ("@abcdefghijklmnopqrstuvwxyz0123456789", ["facebook.com/abcdefghijklmnopqrstuvwxyz0123456789"]),
    ],
)
def test_it_lists_the_keys_an_input_could_mean(raw, expected):
    assert candidate_keys(raw) == expected


def test_a_bluesky_handle_is_checked_on_bluesky_but_not_on_x():
    keys = candidate_keys("@suomussalmi.bsky.social")
    assert "bsky.app/profile/suomussalmi.bsky.social" in keys
    assert not any(key.startswith("x.com/") for key in keys)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("@", "no_platform"),
        ("@!!!", "no_platform"),
        ("Suomussalmen kunta", "spaces"),
        ("suomussalmi\x00", "control"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "content"),
        ("ftp://suomussalmi.fi", "scheme"),
    ],
)
def test_it_refuses_garbage_in_the_public_check(raw, code):
    with pytest.raises(InvalidAddress) as refusal:
        candidate_keys(raw)
    assert refusal.value.code == code


def test_handle_candidates_are_keys_of_their_platforms():
    for platform, key in zip(HANDLE_PLATFORMS, candidate_keys("@suomussalmi"), strict=True):
        assert normalise_address(key, platform) == key
        assert normalise_address("@suomussalmi", platform) == key
