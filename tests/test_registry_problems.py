"""A channel's problems: computed in SQL for lists, the same for one channel, extensible by other apps."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from channels import problems
from channels.models import Channel, ChannelStatus
from tests.authorisation_factories import give_publishing_basis
from tests.factories import make_person
from tests.registry_helpers import healthy, make_channel, make_right

YESTERDAY = datetime.timedelta(days=1)


def with_basis(org, **fields):
    """A person holding an authorisation and the commitment, so only the registry's own problems show."""
    person = make_person(unit=org.unit, supervisor=org.people["supervisor"], **fields)
    give_publishing_basis(person)
    return person


def codes(channel):
    return {problem.code for problem in Channel.objects.get(pk=channel.pk).problems()}


def test_a_well_kept_channel_has_no_problems(org):
    channel = healthy(make_channel(org.unit), org)
    assert codes(channel) == set()
    assert Channel.objects.with_problems().get(pk=channel.pk).has_problems is False


def test_a_bare_active_channel_has_every_problem_of_a_channel_in_use(org):
    channel = make_channel(org.unit)
    assert codes(channel) == {"no_responsible", "no_maintainer", "too_few_administrators", "no_holiday_cover"}


def test_a_responsible_person_who_has_left_counts_as_none(org):
    channel = healthy(make_channel(org.unit), org)
    leaver = make_person(unit=org.unit, left_on=timezone.localdate() - YESTERDAY)
    channel.responsible_person = leaver
    channel.save()
    assert codes(channel) == {"no_responsible"}


def test_a_person_who_leaves_today_has_left(org):
    channel = healthy(make_channel(org.unit), org)
    leaver = with_basis(org, left_on=timezone.localdate())
    make_right(channel, leaver, role="editor")
    assert codes(channel) == {"leaver_holds_right"}


def test_a_person_who_leaves_tomorrow_has_not_left_yet(org):
    channel = healthy(make_channel(org.unit), org)
    make_right(channel, with_basis(org, left_on=timezone.localdate() + YESTERDAY), role="editor")
    assert codes(channel) == set()


def test_a_leaver_holding_the_only_rights_leaves_no_maintainer(org):
    channel = make_channel(org.unit, responsible_person=org.people["staff"])
    channel.holiday_cover_arrangement = "Sijainen sovitaan keväällä."
    channel.save()
    make_right(channel, with_basis(org, left_on=timezone.localdate() - YESTERDAY))
    assert codes(channel) == {"no_maintainer", "leaver_holds_right", "too_few_administrators"}


def test_revoked_rights_do_not_count(org):
    channel = healthy(make_channel(org.unit), org)
    make_right(channel, make_person(unit=org.unit, left_on=timezone.localdate() - YESTERDAY), revoked=True)
    assert codes(channel) == set()


def test_one_administrator_is_fewer_than_good_practice(org):
    channel = healthy(make_channel(org.unit), org)
    channel.rights.filter(person=org.people["supervisor"]).update(role="editor")
    assert codes(channel) == {"too_few_administrators"}
    assert problems.kind_by_code("too_few_administrators").is_good_practice


def test_review_overdue_counts_in_helsinki_days(org):
    channel = healthy(make_channel(org.unit), org)
    Channel.objects.filter(pk=channel.pk).update(next_review_on=timezone.localdate() - YESTERDAY)
    assert codes(channel) == {"review_overdue"}
    Channel.objects.filter(pk=channel.pk).update(next_review_on=timezone.localdate())
    assert codes(channel) == set()


@pytest.mark.parametrize("status", [ChannelStatus.PROPOSED, ChannelStatus.RETIRED])
def test_channels_not_in_use_are_not_blamed_for_missing_maintenance(org, status):
    extra = {"retired_on": timezone.localdate()} if status == ChannelStatus.RETIRED else {}
    channel = make_channel(org.unit, status=status, **extra)
    Channel.objects.filter(pk=channel.pk).update(next_review_on=timezone.localdate() - YESTERDAY)
    assert codes(channel) == set()


def test_an_approved_channel_needs_a_responsible_person(org):
    assert codes(make_channel(org.unit, status=ChannelStatus.APPROVED)) == {"no_responsible"}


def test_the_list_keeps_channels_whose_people_are_missing(org):
    make_channel(org.unit)  # no responsible person, no holiday cover
    healthy(make_channel(org.unit), org)
    annotated = Channel.objects.with_problems()
    assert annotated.count() == 2
    assert annotated.filter(has_problems=True).count() == 1
    assert annotated.filter(has_problems=False).count() == 1


def test_one_channel_and_the_list_agree(org, django_assert_num_queries):
    make_channel(org.unit)
    channel = Channel.objects.with_problems().get()
    with django_assert_num_queries(0):
        listed = {p.code for p in channel.problems()}
    assert listed == codes(channel)


def test_another_app_can_register_a_kind_of_problem(org):
    kind = problems.ProblemKind("missing_authorisation", "No authorisation", lambda on: Q(name__startswith="Luvaton"))
    problems.register_problem(kind)
    try:
        flagged = healthy(make_channel(org.unit, name="Luvaton kanava"), org)
        fine = healthy(make_channel(org.unit, name="Luvallinen kanava"), org)
        assert codes(flagged) == {"missing_authorisation"}
        assert codes(fine) == set()
        assert list(Channel.objects.with_problems().filter(has_problems=True)) == [flagged]
        assert ("missing_authorisation", "No authorisation") in problems.kind_choices()
    finally:
        problems.unregister_problem("missing_authorisation")
    assert problems.kind_by_code("missing_authorisation") is None
