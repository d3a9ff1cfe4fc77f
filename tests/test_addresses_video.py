"""YouTube and TikTok addresses (``channels/addresses/video.py``).

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import normalise_address
from tests.address_examples import TIKTOK, YOUTUBE


@pytest.mark.parametrize(("raw", "expected"), YOUTUBE)
def test_it_normalises_youtube_addresses(raw, expected):
    assert normalise_address(raw, "youtube") == expected


@pytest.mark.parametrize(("raw", "expected"), TIKTOK)
def test_it_normalises_tiktok_addresses(raw, expected):
    assert normalise_address(raw, "tiktok") == expected


def test_it_keeps_youtube_kinds_of_channel_address_apart():
    keys = {
        normalise_address(raw, "youtube")
        for raw in (
            "https://www.youtube.com/@suomussalmi",
            "https://www.youtube.com/c/suomussalmi",
            "https://www.youtube.com/user/suomussalmi",
            "https://www.youtube.com/suomussalmi",
        )
    }
    assert len(keys) == 4
