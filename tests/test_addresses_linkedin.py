"""LinkedIn addresses (``channels/addresses/linkedin.py``): companies, schools, showcases, people and groups.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import normalise_address
from tests.address_examples import LINKEDIN


@pytest.mark.parametrize(("raw", "expected"), LINKEDIN)
def test_it_normalises_linkedin_addresses(raw, expected):
    assert normalise_address(raw, "linkedin") == expected
