"""Builders for the public directory's tests: channels in any status, with their address normalised."""

import datetime
import importlib
import itertools

from channels.addresses import normalise_address
from channels.models import Channel, ChannelStatus, Platform

_seq = itertools.count(1)
# The platforms come from a data migration; transactional (browser) tests flush them, so they are recreated.
_SEED = {row[0]: row for row in importlib.import_module("channels.migrations.0003_seed_platforms").PLATFORMS}


def platform(slug):
    _slug, name, kind, style, label, terms = _SEED[slug]
    return Platform.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "kind": kind, "address_style": style, "short_label": label, "terms_url": terms},
    )[0]


def make_channel(unit, platform_slug="instagram", address=None, status=ChannelStatus.ACTIVE, **extra):
    """A saved channel of ``unit``; ``address`` defaults to a unique Instagram-style handle."""
    n = next(_seq)
    platform_obj = platform(platform_slug)
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
        normalised_address=normalise_address(address, platform_slug),
        owner_unit=unit,
        status=status,
        **defaults,
    )
