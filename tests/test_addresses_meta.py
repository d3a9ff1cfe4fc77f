"""Facebook, Instagram, Threads and WhatsApp addresses (``channels/addresses/meta.py``); Bluesky shares a table.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import normalise_address
from tests.address_examples import FACEBOOK, INSTAGRAM, OTHERS


@pytest.mark.parametrize(("raw", "expected"), FACEBOOK)
def test_it_normalises_facebook_addresses(raw, expected):
    assert normalise_address(raw, "facebook") == expected


@pytest.mark.parametrize(("raw", "expected"), INSTAGRAM)
def test_it_normalises_instagram_addresses(raw, expected):
    assert normalise_address(raw, "instagram") == expected


@pytest.mark.parametrize(("platform", "raw", "expected"), OTHERS)
def test_it_normalises_bluesky_threads_and_whatsapp_addresses(platform, raw, expected):
    assert normalise_address(raw, platform) == expected


def test_the_same_page_pasted_in_two_forms_gets_one_key():
    assert normalise_address("facebook.com/suomussalmi", "facebook") == normalise_address(
        "https://m.facebook.com/Suomussalmi/?ref=x", "facebook"
    )
