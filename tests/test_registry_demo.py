"""The demo's channels: the four services of §7, one with a problem, one retired, idempotent."""

from channels.models import Channel, ChannelStatus, UpdateRight
from somegov import demo


def test_the_demo_has_the_channels_of_section_7_and_loads_twice(db):
    demo.load_all()
    first = (Channel.objects.count(), UpdateRight.objects.count(), Channel.history.count())
    demo.load_all()
    assert (Channel.objects.count(), UpdateRight.objects.count(), Channel.history.count()) == first
    platforms = set(Channel.objects.exclude(status=ChannelStatus.RETIRED).values_list("platform__slug", flat=True))
    # The blog comes from the demo proposal the head of area approved (approvals' part of the story).
    assert platforms == {"website", "facebook", "instagram", "youtube", "blog"}
    assert Channel.objects.get(platform__slug="facebook").owner_unit.name == "Hallintopalvelut"
    assert Channel.objects.filter(status=ChannelStatus.RETIRED).count() == 1
    for channel in Channel.objects.exclude(address=""):
        assert ".demo" in channel.address or ".invalid" in channel.address


def test_the_demo_shows_a_leaver_still_holding_a_right(db):
    demo.load_all()
    flagged = Channel.objects.with_problems().filter(has_problems=True)
    by_platform = {c.platform.slug: [p.code for p in c.problems()] for c in flagged}
    # Liisa has left but still holds a right on Facebook; Niko's authorisation has ended, so his rights on the
    # website and YouTube have no basis (§3) until the ICT secretary revokes them or his supervisor renews it.
    # The reviews' demo (load_reviews) leaves the website's periodic review overdue.
    assert by_platform == {
        "facebook": ["leaver_holds_right", "right_without_basis"],
        "website": ["review_overdue", "right_without_basis"],
        "youtube": ["right_without_basis"],
    }
