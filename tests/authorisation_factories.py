"""Builders for the authorisation tests: channels, rights and authorisations, saved, with defaults.

Rights and authorisations made here skip the services on purpose (they set up a state to test);
the tests of the services themselves call the services.
"""

import datetime
import itertools

from django.utils import timezone

from approvals.models import Authorisation, AuthorisationScope
from channels.models import Channel, ChannelStatus, Platform, UpdateRight

_seq = itertools.count(1)


PLATFORM_DEFAULTS = {
    "facebook": {"name": "Facebook", "kind": "social_network", "address_style": "handle", "short_label": "FB"},
    "instagram": {"name": "Instagram", "kind": "image", "address_style": "handle", "short_label": "IG"},
}


def make_channel(name=None, platform="facebook", unit=None, status=ChannelStatus.ACTIVE, **extra):
    n = next(_seq)
    # The platforms come from a data migration, which a transactional test's flush removes: put back
    # the one needed.
    platform_obj, _created = Platform.objects.get_or_create(slug=platform, defaults=PLATFORM_DEFAULTS[platform])
    channel = Channel(
        platform=platform_obj,
        name=name or f"Kanava {n}",
        address=extra.pop("address", f"https://www.facebook.com/testikanava{n}" if platform == "facebook" else ""),
        owner_unit=unit,
        status=status,
        **extra,
    )
    channel.full_clean()
    channel.save()
    return channel


def make_right(person, channel, role="editor", **extra):
    return UpdateRight.objects.create(person=person, channel=channel, role=role, weekly_hours=2, **extra)


def authorise(person, granted_by=None, *, channels=(), valid_from=None, valid_until=None, **extra):
    """A stored authorisation (all channels unless ``channels`` is given), valid from today by default."""
    authorisation = Authorisation.objects.create(
        person=person,
        granted_by=granted_by or person.supervisor,
        scope=AuthorisationScope.NAMED_CHANNELS if channels else AuthorisationScope.ALL_CHANNELS,
        valid_from=valid_from or timezone.localdate() - datetime.timedelta(days=30),
        valid_until=valid_until,
        **extra,
    )
    if channels:
        authorisation.channels.set(channels)
    return authorisation


def give_publishing_basis(*people):
    """A valid supervisor authorisation (all channels) and a signed commitment for each person, as §3 and §5
    require before anyone gets an update right (``channels.services.grant_right`` refuses otherwise)."""
    for person in people:
        if not Authorisation.objects.filter(person=person).valid().exists():
            authorise(person)
        if person.commitment_signed_on is None:
            person.commitment_signed_on = timezone.localdate() - datetime.timedelta(days=60)
            person.save(update_fields=["commitment_signed_on"])
