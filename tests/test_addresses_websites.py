"""Website and blog addresses (``channels/addresses/websites.py``): whole paths, no tracking, one key per domain.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import normalise_address
from tests.address_examples import WEBSITE


@pytest.mark.parametrize(("raw", "expected"), WEBSITE)
@pytest.mark.parametrize("platform", ["website", "blog"])
def test_it_normalises_website_and_blog_addresses(raw, expected, platform):
    assert normalise_address(raw, platform) == expected


def test_it_strips_tracking_parameters():
    key = normalise_address(
        "https://www.suomussalmi.fi/tapahtumat?utm_source=fb&utm_campaign=kesa&fbclid=x&gclid=y&id=7&hl=fi",
        "website",
    )
    assert key == "suomussalmi.fi/tapahtumat?id=7"


def test_unicode_and_punycode_domains_get_one_key():
    assert normalise_address("https://sipilä.fi/", "website") == normalise_address("xn--sipil-kra.fi", "website")
