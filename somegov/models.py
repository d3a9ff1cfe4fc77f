"""The site's own data: accessibility feedback (Act on the Provision of Digital Services 306/2019)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import configured_languages
from core.validators import single_line

FEEDBACK_ANSWER_DAYS = 14  # Act on the Provision of Digital Services 306/2019: answer within 14 days


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class AccessibilityFeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FeedbackStatus.OPEN)

    def answered(self):
        return self.filter(status=FeedbackStatus.ANSWERED)

    def answered_before(self, day):
        """Answered feedback whose answer is dated before ``day``; open feedback is never in it."""
        return self.answered().filter(answered_on__lt=day)

    def overdue(self, today=None):
        """Open feedback whose answer is late: the due date has passed (dates in the portal's time zone)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


def feedback_due_on(received_at):
    """The last day to answer: 14 days from the day of receipt in the portal's time zone (Europe/Helsinki)."""
    return timezone.localdate(received_at) + datetime.timedelta(days=FEEDBACK_ANSWER_DAYS)


class AccessibilityFeedback(models.Model):
    """Feedback on the portal's accessibility, sent through the public form of the accessibility statement."""

    name = models.CharField(_("name"), max_length=200, blank=True, validators=[single_line])
    email = models.EmailField(_("e-mail"), blank=True)
    message = models.TextField(_("message"))
    page_url = models.CharField(_("page address"), max_length=500, blank=True, validators=[single_line])
    language = models.CharField(_("language"), max_length=10, choices=configured_languages, default="fi")
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("answer note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_marked_at = models.DateTimeField(_("marked answered at"), null=True, blank=True)

    objects = AccessibilityFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FeedbackStatus.OPEN, answered_on__isnull=True)
                | Q(status=FeedbackStatus.ANSWERED, answered_on__isnull=False),
                name="feedback_answered_has_answer_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="feedback_status_due_idx")]

    def __str__(self):
        return _("Accessibility feedback of %(date)s") % {"date": timezone.localdate(self.received_at).isoformat()}

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)

    def is_overdue(self, today=None):
        return self.status == FeedbackStatus.OPEN and self.due_on < (today or timezone.localdate())

    @property
    def was_answered_late(self):
        return self.answered_on is not None and self.answered_on > self.due_on

    def clean(self):
        if self.status == FeedbackStatus.ANSWERED and not self.answered_on:
            raise ValidationError({"answered_on": _("Give the date of the answer.")})
        if self.status == FeedbackStatus.OPEN and self.answered_on:
            raise ValidationError({"answered_on": _("Open feedback has no answer date.")})
        if self.answered_on and self.received_at and self.answered_on < self.received_on:
            raise ValidationError({"answered_on": _("The answer cannot be dated before the feedback arrived.")})
