"""Cleaning the input (``channels/addresses/parsing.py``): huge input is refused quickly, whitespace stripped.

Pure Python: runs without Django settings (the messages are lazy and never rendered here; tests compare codes).
"""

import pytest

from channels.addresses import InvalidAddress, candidate_keys, normalise_address


@pytest.mark.parametrize(
    "huge",
    [
        "a" * 1_000_000,
        " " * 1_000_000 + "suomus salmi",
        "\x00" * 100_000,
        "https://suomussalmi.fi/" + "%C3%A4" * 100_000,
        "@" * 100_000,
    ],
)
def test_it_refuses_huge_input_quickly(huge):
    with pytest.raises(InvalidAddress):
        normalise_address(huge, "website")
    with pytest.raises(InvalidAddress):
        candidate_keys(huge)


def test_it_strips_surrounding_whitespace_of_any_length():
    assert normalise_address("\n" * 100_000 + " @Suomussalmi \t", "instagram") == "instagram.com/suomussalmi"
