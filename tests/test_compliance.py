"""The automatic policy rules: each check met and not met, the rules' data, and the whole registry in a
fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals import compliance
from approvals.models import PolicyRule, RuleKind
from channels.models import Channel, UpdateRole
from tests.authorisation_factories import authorise
from tests.registry_helpers import make_channel, make_right, platform

TODAY = datetime.date(2026, 6, 15)


def _compliant(org):
    """A channel meeting every automatic rule on TODAY."""
    staff, supervisor = org.people["staff"], org.people["supervisor"]
    for person in (staff, supervisor, org.people["outsider"]):
        person.commitment_signed_on = TODAY - datetime.timedelta(days=100)
        person.save()
        authorise(person, org.people["area_head"], valid_from=TODAY - datetime.timedelta(days=100))
    channel = make_channel(
        org.unit,
        responsible_person=staff,
        holiday_cover_person=supervisor,
        decided_by=org.people["area_head"],
        decided_on=TODAY - datetime.timedelta(days=200),
        last_reviewed_on=TODAY - datetime.timedelta(days=30),
        next_review_on=TODAY + datetime.timedelta(days=300),
        content_exported_on=TODAY - datetime.timedelta(days=30),
    )
    make_right(channel, staff)
    make_right(channel, supervisor)
    make_right(channel, org.people["outsider"], role=UpdateRole.EDITOR)
    return channel


def _outcome(channel, check):
    channel = compliance.load_channels(Channel.objects.filter(pk=channel.pk), TODAY)[0]
    return compliance.CHECKS[check](channel, TODAY)


def test_it_names_a_check_for_every_automatic_rule(db):
    rules = PolicyRule.objects.filter(kind=RuleKind.AUTOMATIC)
    assert rules.count() == 10
    assert {rule.automatic_check for rule in rules} == set(compliance.CHECKS)
    assert PolicyRule.objects.filter(kind=RuleKind.ATTESTED).exclude(automatic_check="").count() == 0
    # Good practice stays marked as such.
    assert PolicyRule.objects.get(code="two-administrators").is_good_practice
    assert not PolicyRule.objects.get(code="review-on-time").is_good_practice


@pytest.mark.parametrize("check", sorted(compliance.CHECKS))
def test_it_finds_a_compliant_channel_compliant(org, check):
    assert _outcome(_compliant(org), check).met


def _no_responsible(channel, org):
    channel.responsible_person = None
    channel.save()


def _responsible_left(channel, org):
    org.people["staff"].left_on = TODAY - datetime.timedelta(days=1)
    org.people["staff"].save()


def _no_decision(channel, org):
    channel.decided_on = None
    channel.save()


def _hours_zero(channel, org):
    channel.rights.filter(person=org.people["outsider"]).update(weekly_hours=0)


def _unauthorised(channel, org):
    org.people["outsider"].authorisations.update(valid_until=TODAY - datetime.timedelta(days=1))


def _leaver_holds_right(channel, org):
    org.people["outsider"].left_on = TODAY
    org.people["outsider"].save()


def _no_commitment(channel, org):
    org.people["outsider"].commitment_signed_on = None
    org.people["outsider"].save()


def _no_cover(channel, org):
    channel.holiday_cover_person = None
    channel.save()


def _cover_left(channel, org):
    org.people["supervisor"].left_on = TODAY - datetime.timedelta(days=3)
    org.people["supervisor"].save()


def _review_overdue(channel, org):
    channel.next_review_on = TODAY - datetime.timedelta(days=1)
    channel.save()


def _no_review_scheduled(channel, org):
    channel.next_review_on = None
    channel.save()


def _one_admin(channel, org):
    channel.rights.filter(person=org.people["supervisor"]).update(role=UpdateRole.EDITOR)


def _all_admins(channel, org):
    channel.rights.update(role=UpdateRole.ADMINISTRATOR)


def _access_stale(channel, org):
    channel.last_reviewed_on = datetime.date(2026, 3, 14)  # three months and a day
    channel.save()


def _never_exported(channel, org):
    channel.content_exported_on = None
    channel.save()


def _exported_long_ago(channel, org):
    channel.content_exported_on = datetime.date(2025, 6, 14)
    channel.save()


@pytest.mark.parametrize(
    ("check", "spoil", "message"),
    [
        ("responsible_person_active", _no_responsible, "No responsible person"),
        ("responsible_person_active", _responsible_left, "has left"),
        ("decision_recorded", _no_decision, "decision"),
        ("maintainers_with_hours", _hours_zero, "Working time"),
        ("rights_authorised", _unauthorised, "Olli"),
        ("rights_authorised", _leaver_holds_right, "Olli"),
        ("commitments_signed", _no_commitment, "Olli"),
        ("holiday_cover", _no_cover, "No holiday cover"),
        ("holiday_cover", _cover_left, "has left"),
        ("review_not_overdue", _review_overdue, "due on"),
        ("review_not_overdue", _no_review_scheduled, "scheduled"),
        ("two_administrators", _one_admin, "at least two"),
        ("two_administrators", _all_admins, "Everyone"),
        ("access_reviewed", _access_stale, "three months"),
        ("content_exported", _never_exported, "twelve months"),
        ("content_exported", _exported_long_ago, "twelve months"),
    ],
)
def test_it_finds_each_rule_not_met(org, settings, check, spoil, message):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    channel = _compliant(org)
    spoil(channel, org)
    with translation.override("en"):
        outcome = _outcome(channel, check)
    assert outcome.status == compliance.Status.NOT_MET
    assert message in outcome.message


def test_it_counts_the_boundary_days_as_met(org):
    channel = _compliant(org)
    channel.next_review_on = TODAY  # due today: not yet overdue
    channel.last_reviewed_on = datetime.date(2026, 3, 15)  # exactly three months ago
    channel.content_exported_on = datetime.date(2025, 6, 15)  # exactly twelve months ago
    channel.save()
    for check in ("review_not_overdue", "access_reviewed", "content_exported"):
        assert _outcome(channel, check).met, check


def test_it_accepts_a_written_holiday_arrangement(org):
    channel = _compliant(org)
    channel.holiday_cover_person = None
    channel.holiday_cover_arrangement = "Viestintä hoitaa heinäkuun."
    channel.save()
    assert _outcome(channel, "holiday_cover").met


def test_it_skips_a_rule_for_other_platforms(org):
    channel = _compliant(org)
    rule = PolicyRule.objects.get(code="content-exported")
    rule.platforms.set([platform("instagram")])
    channel.content_exported_on = None
    channel.save()
    _rules, rows = compliance.evaluate_registry(Channel.objects.filter(pk=channel.pk), TODAY)
    outcomes = {rule.code: outcome for rule, outcome in rows[0].outcomes}
    assert outcomes["content-exported"].status == compliance.Status.NOT_APPLICABLE


def test_it_evaluates_one_channel_as_the_registry_does(org):
    channel = _compliant(org)
    single = compliance.evaluate_channel(channel, TODAY)
    assert single.is_compliant
    _no_cover(channel, org)
    assert [rule.code for rule, _o in compliance.evaluate_channel(channel, TODAY).gaps] == ["holiday-cover"]


def test_it_refuses_an_automatic_rule_without_a_known_check(db):
    rule = PolicyRule.objects.get(code="holiday-cover")
    rule.automatic_check = "no_such_check"
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "automatic_check" in error.value.message_dict
    attested = PolicyRule.objects.get(code="messages-answered")
    attested.automatic_check = "holiday_cover"
    with pytest.raises(ValidationError):
        attested.full_clean()


def test_it_keeps_the_history_of_an_edited_and_retired_rule(db):
    rule = PolicyRule.objects.get(code="messages-answered")
    rule.title = "Viesteihin vastataan kahden arkipäivän kuluessa"
    rule.save()
    rule.is_active = False
    rule.save()
    assert rule.history.count() >= 2
    assert PolicyRule.objects.filter(code="messages-answered").exists()
    assert not PolicyRule.objects.for_reviews().filter(code="messages-answered").exists()


def _registry(org, size):
    people = [org.people["staff"], org.people["supervisor"]]
    for person in people:
        authorise(person, org.people["area_head"])
    for n in range(size):
        channel = make_channel(org.unit, responsible_person=people[n % 2], next_review_on=timezone.localdate())
        make_right(channel, people[0])
        make_right(channel, people[1], role=UpdateRole.EDITOR)


@pytest.mark.parametrize("size", [10, 200])
def test_it_evaluates_the_whole_registry_in_four_queries(org, django_assert_num_queries, size):
    _registry(org, size)
    with django_assert_num_queries(4):
        rules, rows = compliance.evaluate_registry()
        cells = [outcome.status for row in rows for _rule, outcome in row.outcomes]
    assert len(rows) == size
    assert len(cells) == size * len(rules)
