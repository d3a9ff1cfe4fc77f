"""Periodic reviews of channels (§4: maintained, updated and monitored regularly) and the reminders sent.

A review is started by the channel's responsible person, who answers the rules a person attests while
the automatic ones are shown evaluated from the registry, and submits. A submitted review is never
changed: its result and date are the channel's review history. Every change goes through
``approvals.review_services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models.proposals import ChecklistAnswer
from approvals.models.rules import PolicyRule
from channels.models import Channel
from core.validators import single_line

__all__ = ["ReminderKind", "ReminderSent", "Review", "ReviewAnswer", "ReviewResult", "ReviewStatus"]


class ReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class ReviewResult(models.TextChoices):
    COMPLIANT = "compliant", _("All rules met")
    GAPS = "gaps", _("Some rules not met")


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ReviewStatus.SUBMITTED)

    def in_progress(self):
        return self.filter(status=ReviewStatus.IN_PROGRESS)


class Review(models.Model):
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("reviewed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ReviewResult.choices, blank=True)
    automatic_summary = models.JSONField(
        _("automatic checks at submission"),
        default=dict,
        blank=True,
        help_text=_("The automatic rules' results when the review was submitted, by rule code."),
    )
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(status="in_progress"),
                name="review_one_in_progress_per_channel",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress", submitted_at__isnull=True, result="")
                | (Q(status="submitted", submitted_at__isnull=False) & ~Q(result="")),
                name="review_submitted_has_result",
            ),
        ]

    def __str__(self):
        return f"{self.channel} – {self.started_at:%Y-%m-%d}"

    def clean(self):
        if self.status == ReviewStatus.SUBMITTED and (self.submitted_at is None or not self.result):
            raise ValidationError(_("A submitted review has a submission time and a result."))

    @property
    def is_submitted(self):
        return self.status == ReviewStatus.SUBMITTED


class ReviewAnswer(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="answers")
    rule = models.ForeignKey(PolicyRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=20, choices=ChecklistAnswer.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review answer")
        verbose_name_plural = _("review answers")
        ordering = ["rule__position", "rule__code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "rule"], name="review_answer_one_per_rule"),
            models.CheckConstraint(condition=Q(answer="met") | ~Q(note=""), name="review_answer_not_met_has_note"),
        ]

    def __str__(self):
        return f"{self.rule.code}: {self.get_answer_display()}"

    def clean(self):
        if self.answer != ChecklistAnswer.MET and not self.note.strip():
            raise ValidationError({"note": _("Explain in a note why the rule is not met or does not apply.")})


class ReminderKind(models.TextChoices):
    REVIEW_DUE = "review_due", _("review due")
    PROPOSAL_WAITING = "proposal_waiting", _("proposal waiting for a decision")
    AUTHORISATION_ENDING = "authorisation_ending", _("authorisation ending")
    RIGHT_TO_REVOKE = "right_to_revoke", _("right to revoke")


class ReminderSent(models.Model):
    """One reminder sent: the same reminder is sent once a day at most, even when two jobs run at once."""

    recipient = models.EmailField(_("recipient"))
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    object_key = models.CharField(_("about"), max_length=100, validators=[single_line])
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "recipient", "kind", "object_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "sent_on"], name="reminder_sent_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.sent_on} {self.recipient} {self.kind} {self.object_key}"
