"""The demo's channels: the four services of §7, one with a problem, one retired, idempotent."""

from channels.models import Channel, ChannelStatus, UpdateRight
from somegov import demo


def test_the_demo_has_the_channels_of_section_7_and_loads_twice(db):
    demo.load_all()
    first = (Channel.objects.count(), UpdateRight.objects.count(), Channel.history.count())
    demo.load_all()
    assert (Channel.objects.count(), UpdateRight.objects.count(), Channel.history.count()) == first
    platforms = set(Channel.objects.exclude(status=ChannelStatus.RETIRED).values_list("platform__slug", flat=True))
    assert platforms == {"website", "facebook", "instagram", "youtube"}
    assert Channel.objects.get(platform__slug="facebook").owner_unit.name == "Hallintopalvelut"
    assert Channel.objects.filter(status=ChannelStatus.RETIRED).count() == 1
    for channel in Channel.objects.all():
        assert ".demo" in channel.address or ".invalid" in channel.address


def test_the_demo_shows_a_leaver_still_holding_a_right(db):
    demo.load_all()
    flagged = Channel.objects.with_problems().filter(has_problems=True)
    assert [c.platform.slug for c in flagged] == ["facebook"]
    assert [p.code for p in flagged[0].problems()] == ["leaver_holds_right"]
