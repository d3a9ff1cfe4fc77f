"""X addresses (``channels/addresses/microblogs.py``); Bluesky's are tested with Threads' in ``test_addresses_meta``.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import normalise_address
from tests.address_examples import X


@pytest.mark.parametrize(("raw", "expected"), X)
def test_it_normalises_x_addresses(raw, expected):
    assert normalise_address(raw, "x") == expected
