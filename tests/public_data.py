"""Builders for the public directory's tests: channels in any status, with their address normalised."""

import datetime
import itertools

from channels.addresses import normalise_address
from channels.models import Channel, ChannelStatus, Platform

_seq = itertools.count(1)


def make_channel(unit, platform="instagram", address=None, status=ChannelStatus.ACTIVE, **extra):
    """A saved channel of ``unit``; ``address`` defaults to a unique Instagram-style handle."""
    n = next(_seq)
    platform_obj = Platform.objects.get(slug=platform)
    address = address or f"@kanava_{n}"
    defaults = {
        "name": f"Kanava {n}",
        "purposes": ["information"],
        "official_since": datetime.date(2020, 1, 1) if status != ChannelStatus.PROPOSED else None,
        "retired_on": datetime.date(2024, 5, 31) if status == ChannelStatus.RETIRED else None,
    }
    defaults.update(extra)
    return Channel.objects.create(
        platform=platform_obj,
        address=address,
        normalised_address=normalise_address(address, platform),
        owner_unit=unit,
        status=status,
        **defaults,
    )
