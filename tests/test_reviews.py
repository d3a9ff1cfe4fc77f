"""Periodic reviews: the services (start, answer, submit and their refusals) and overdue arithmetic at
date boundaries."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals import review_services as services
from approvals.models import Review, ReviewAnswer, ReviewResult, ReviewStatus
from channels.models import Channel, ChannelStatus
from channels.services import add_months, next_review_date
from tests.registry_helpers import make_channel, make_right

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


@pytest.fixture
def channel(org):
    channel = make_channel(
        org.unit, responsible_person=org.people["staff"], holiday_cover_person=org.people["supervisor"]
    )
    make_right(channel, org.people["staff"])
    make_right(channel, org.people["supervisor"])
    return channel


def _all_met(channel):
    return {rule.code: ("met", "") for rule in services.rules_to_answer(channel)}


def test_it_starts_a_review_for_the_responsible_person_only(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    assert review.status == ReviewStatus.IN_PROGRESS and review.reviewer == org.users["staff"]
    # Starting again continues the same review.
    assert services.start_review(channel, actor=org.users["staff"]) == review
    for role in ("supervisor", "ict_secretary", "municipal_manager", "outsider"):
        with pytest.raises(PermissionDenied):
            services.start_review(channel, actor=org.users[role])
    assert Review.objects.count() == 1


def test_it_refuses_a_responsible_person_who_has_left(org, channel):
    org.people["staff"].left_on = timezone.localdate()
    org.people["staff"].save()
    with pytest.raises(PermissionDenied):
        services.start_review(Channel.objects.get(pk=channel.pk), actor=org.users["staff"])


def test_it_refuses_a_retired_channel(org):
    retired = make_channel(org.unit, responsible_person=org.people["staff"], status=ChannelStatus.RETIRED)
    with pytest.raises(services.ReviewError):
        services.start_review(retired, actor=org.users["staff"])


def test_it_submits_a_review_and_schedules_the_next(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    services.answer_rules(review, _all_met(channel), actor=org.users["staff"])
    on = datetime.date(2026, 3, 10)
    review = services.submit_review(review, actor=org.users["staff"], on=on)
    channel.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_on == on
    assert channel.last_reviewed_on == on
    assert channel.next_review_on == datetime.date(2027, 3, 10) == review.next_review_on
    assert "holiday-cover" in review.automatic_summary
    assert review.result in ReviewResult.values
    assert channel.history.first().history_change_reason


def test_it_uses_the_channels_own_interval(org, channel):
    channel.review_interval_months = 6
    channel.save()
    review = services.start_review(channel, actor=org.users["staff"])
    services.answer_rules(review, _all_met(channel), actor=org.users["staff"])
    services.submit_review(review, actor=org.users["staff"], on=datetime.date(2026, 8, 31))
    channel.refresh_from_db()
    assert channel.next_review_on == datetime.date(2027, 2, 28)


def test_it_records_gaps_when_a_rule_is_not_met(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    answers = _all_met(channel)
    answers["messages-answered"] = ("not_met", "Viesteihin vastataan viikon viiveellä.")
    services.answer_rules(review, answers, actor=org.users["staff"])
    review = services.submit_review(review, actor=org.users["staff"])
    assert review.result == ReviewResult.GAPS


def test_it_refuses_to_submit_twice_or_change_a_submitted_review(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    services.answer_rules(review, _all_met(channel), actor=org.users["staff"])
    services.submit_review(review, actor=org.users["staff"])
    with pytest.raises(services.ReviewError):
        services.submit_review(review, actor=org.users["staff"])
    with pytest.raises(services.ReviewError):
        services.answer_rules(review, {"messages-answered": ("not_met", "x")}, actor=org.users["staff"])
    assert not ReviewAnswer.objects.filter(answer="not_met").exists()
    # A new review can be started after the submitted one.
    assert services.start_review(channel, actor=org.users["staff"]).pk != review.pk


@pytest.mark.parametrize("answer", ["not_met", "not_applicable"])
def test_it_refuses_not_met_or_not_applicable_without_a_note(org, channel, answer):
    review = services.start_review(channel, actor=org.users["staff"])
    answers = _all_met(channel)
    answers["messages-answered"] = (answer, "  ")
    with pytest.raises(services.ReviewError) as error:
        services.answer_rules(review, answers, actor=org.users["staff"])
    assert "messages-answered" in error.value.message_dict
    assert review.answers.count() == 0  # all or nothing


def test_it_refuses_unknown_rules_and_answers(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    with pytest.raises(services.ReviewError):
        services.answer_rules(review, {"holiday-cover": ("met", "")}, actor=org.users["staff"])  # automatic
    with pytest.raises(services.ReviewError):
        services.answer_rules(review, {"messages-answered": ("maybe", "")}, actor=org.users["staff"])


def test_it_refuses_to_submit_with_unanswered_rules(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    with pytest.raises(services.ReviewError):
        services.submit_review(review, actor=org.users["staff"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS


def test_it_refuses_answers_from_others(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    with pytest.raises(PermissionDenied):
        services.answer_rules(review, _all_met(channel), actor=org.users["supervisor"])
    with pytest.raises(PermissionDenied):
        services.submit_review(review, actor=org.users["ict_secretary"])


def test_the_database_refuses_a_not_met_answer_without_a_note(org, channel):
    review = services.start_review(channel, actor=org.users["staff"])
    rule = services.rules_to_answer(channel)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAnswer.objects.create(review=review, rule=rule, answer="not_met", note="")


def test_the_database_allows_one_review_in_progress_per_channel(org, channel):
    services.start_review(channel, actor=org.users["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(channel=channel, reviewer=org.users["staff"], started_at=timezone.now())


# --- Overdue arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "overdue"),
    [
        (datetime.date(2026, 5, 10), datetime.date(2026, 5, 10), False),  # the day itself
        (datetime.date(2026, 5, 10), datetime.date(2026, 5, 11), True),  # the next day
        (datetime.date(2026, 5, 31), datetime.date(2026, 6, 1), True),  # month end
        (datetime.date(2028, 2, 29), datetime.date(2028, 2, 29), False),  # leap day
        (datetime.date(2028, 2, 29), datetime.date(2028, 3, 1), True),
        (datetime.date(2026, 12, 31), datetime.date(2027, 1, 1), True),  # year end
    ],
)
def test_it_counts_overdue_from_the_day_after(org, due, today, overdue):
    channel = make_channel(org.unit, next_review_on=due)
    assert services.is_overdue(channel, today) is overdue
    assert Channel.objects.review_overdue(today).filter(pk=channel.pk).exists() is overdue


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 5, 15), 12, datetime.date(2027, 5, 15)),
    ],
)
def test_it_moves_the_review_date_by_whole_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 23.30 UTC on 31 Dec is already 1 Jan in Helsinki (UTC+2 in winter).
        (datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC), datetime.date(2027, 1, 1)),
        (datetime.datetime(2026, 12, 31, 21, 59, tzinfo=datetime.UTC), datetime.date(2026, 12, 31)),
        # Summer time (UTC+3): 21.00 UTC on 30 June is 1 July in Helsinki.
        (datetime.datetime(2026, 6, 30, 21, 0, tzinfo=datetime.UTC), datetime.date(2026, 7, 1)),
    ],
)
def test_it_submits_on_the_helsinki_day(org, channel, monkeypatch, moment, day):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    review = services.start_review(channel, actor=org.users["staff"])
    services.answer_rules(review, _all_met(channel), actor=org.users["staff"])
    review = services.submit_review(review, actor=org.users["staff"])
    channel.refresh_from_db()
    assert review.submitted_on == day == channel.last_reviewed_on
    assert channel.next_review_on == next_review_date(channel, day)
    assert services.is_overdue(channel, channel.next_review_on) is False
    assert services.is_overdue(channel, channel.next_review_on + datetime.timedelta(days=1)) is True
