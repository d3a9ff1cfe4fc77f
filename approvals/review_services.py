"""Periodic reviews: start, answer, submit. Each a function that checks state and actor, locks its rows
and records who and when. Only the channel's responsible person (their login) reviews it; a submitted
review never changes. Submitting records the review in the registry (``channels.services.record_review``: the
channel's ``last_reviewed_on`` and ``next_review_on``, from the submission day in Europe/Helsinki).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.compliance import evaluate_channel
from approvals.models import ChecklistAnswer, PolicyRule, Review, ReviewAnswer, ReviewResult, ReviewStatus
from channels import services as registry
from channels.models import Channel
from core.access import require_role


class ReviewError(ValidationError):
    """A review action the state or the input does not allow; the message says why."""


def is_responsible(user, channel):
    person = channel.responsible_person
    return (
        user is not None
        and user.is_authenticated
        and person is not None
        and person.user_id == user.pk
        and not person.has_left()
    )


def _check_responsible(user, channel):
    require_role(user)  # a login without a role reviews nothing, even a channel that names its person
    if not is_responsible(user, channel):
        raise PermissionDenied(_("Only the channel's responsible person reviews it."))


def rules_to_answer(channel):
    """The attested rules of a periodic review that apply to the channel's platform."""
    rules = PolicyRule.objects.for_reviews().filter(kind="attested").prefetch_related("platforms")
    return [rule for rule in rules if rule.applies_to(channel)]


def _locked_channel(channel):
    # Lock the channel row only: the responsible person is a nullable join PostgreSQL will not lock.
    return (
        Channel.objects.select_for_update(of=("self",))
        .select_related("platform", "responsible_person")
        .get(pk=channel.pk)
    )


def _locked_review(review):
    return Review.objects.select_for_update().select_related("channel__platform").get(pk=review.pk)


@transaction.atomic
def start_review(channel, *, actor):
    """Start (or continue) the channel's review; returns the review in progress."""
    channel = _locked_channel(channel)
    _check_responsible(actor, channel)
    if channel.status not in ("active", "paused"):
        raise ReviewError(_("Only a channel in use is reviewed."))
    existing = Review.objects.in_progress().filter(channel=channel).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Review.objects.create(channel=channel, reviewer=actor, started_at=timezone.now())
    except IntegrityError:  # pragma: no cover - another request started it at the same moment
        return Review.objects.in_progress().get(channel=channel)


def _check_open(review, actor):
    if review.status == ReviewStatus.SUBMITTED:
        raise ReviewError(_("The review has been submitted and can no longer be changed."))
    _check_responsible(actor, review.channel)


@transaction.atomic
def answer_rules(review, answers, *, actor):
    """Save answers: ``{rule_code: (answer, note)}``. Not met / not applicable need a note.

    All or nothing: one bad answer and nothing is saved.
    """
    review = _locked_review(review)
    _check_open(review, actor)
    rules = {rule.code: rule for rule in rules_to_answer(review.channel)}
    errors = {}
    cleaned = []
    for code, (answer, note) in answers.items():
        rule = rules.get(code)
        note = (note or "").strip()
        if rule is None:
            errors[code] = _("This rule is not part of the review.")
        elif answer not in ChecklistAnswer.values:
            errors[code] = _("Choose met, not met or not applicable.")
        elif answer != ChecklistAnswer.MET and not note:
            errors[code] = _("Explain in a note why the rule is not met or does not apply.")
        else:
            cleaned.append((rule, answer, note))
    if errors:
        raise ReviewError(errors)
    for rule, answer, note in cleaned:
        ReviewAnswer.objects.update_or_create(review=review, rule=rule, defaults={"answer": answer, "note": note})
    return review


@transaction.atomic
def submit_review(review, *, actor, on=None):
    """Submit: every rule answered; records the result and the automatic checks, schedules the next review."""
    review = _locked_review(review)
    _check_open(review, actor)
    channel = _locked_channel(review.channel)
    answered = {answer.rule_id: answer for answer in review.answers.all()}
    missing = [rule for rule in rules_to_answer(channel) if rule.pk not in answered]
    if missing:
        raise ReviewError(
            _("Answer every rule before submitting: %(rules)s.")
            % {"rules": "; ".join(rule.display_title for rule in missing)}
        )
    now = timezone.now()
    on = on or timezone.localdate(now)
    compliance = evaluate_channel(channel, on)
    attested_gap = any(answer.answer == ChecklistAnswer.NOT_MET for answer in answered.values())
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = now
    review.submitted_on = on
    review.result = ReviewResult.GAPS if attested_gap or not compliance.is_compliant else ReviewResult.COMPLIANT
    review.automatic_summary = {
        rule.code: {"status": outcome.status, "message": outcome.message} for rule, outcome in compliance.outcomes
    }
    channel = registry.record_review(channel, on, actor=actor, reason=str(_("Periodic review submitted")))
    review.next_review_on = channel.next_review_on
    review.save(
        update_fields=["status", "submitted_at", "submitted_on", "result", "automatic_summary", "next_review_on"]
    )
    return review


def is_overdue(channel, on=None):
    """Overdue from the day after the due day (the due day itself is not overdue)."""
    on = on or timezone.localdate()
    return channel.next_review_on is not None and channel.next_review_on < on
