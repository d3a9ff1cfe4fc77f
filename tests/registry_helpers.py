"""Builders for registry test data (channels and rights), on top of tests/factories.py."""

import importlib
import itertools
from decimal import Decimal

from django.apps import apps as django_apps

from channels import services
from channels.models import Channel, ChannelStatus, Platform, UpdateRight, UpdateRole
from tests.authorisation_factories import give_publishing_basis

_seq = itertools.count(1)


def ensure_platforms():
    """The platforms seeded by migration 0003; a transactional (browser) test's flush removes them."""
    seed = importlib.import_module("channels.migrations.0003_seed_platforms")
    if Platform.objects.count() < len(seed.PLATFORMS):
        seed.seed(django_apps, None)


def platform(slug="facebook"):
    ensure_platforms()
    return Platform.objects.get(slug=slug)


def make_channel(unit, name=None, slug="facebook", address=None, status=ChannelStatus.ACTIVE, **extra):
    """A channel created through the service (validated, address normalised); keyword arguments override."""
    n = next(_seq)
    if address is None:
        address = f"https://suomussalmi{n}.invalid/" if slug in ("website", "blog") else f"suomussalmi.kanava{n}"
    channel = Channel(
        platform=platform(slug),
        name=name or f"Kanava {n}",
        address=address,
        owner_unit=unit,
        status=status,
        **extra,
    )
    return services.create_channel(channel, actor=None)


def make_right(channel, person, role=UpdateRole.ADMINISTRATOR, hours="2", revoked=False, actor=None):
    right = UpdateRight.objects.create(
        channel=channel, person=person, role=role, weekly_hours=Decimal(hours), granted_by=actor
    )
    if revoked:
        right = services.revoke_right(right, actor=actor, reason="Testi")
    return right


def healthy(channel, org):
    """Make ``channel`` problem-free: responsible person, two administrators (each with an authorisation and the
    commitment, §3 and §5), holiday cover."""
    channel.responsible_person = org.people["staff"]
    channel.holiday_cover_person = org.people["supervisor"]
    channel.save()
    give_publishing_basis(org.people["staff"], org.people["supervisor"])
    make_right(channel, org.people["staff"])
    make_right(channel, org.people["supervisor"])
    return channel
