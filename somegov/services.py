"""Every operation on the accessibility feedback, one function each (Act 306/2019: answered within 14 days).

Views call these; each checks the actor and the current state, raises a ``ValidationError``/``PermissionDenied``
with a translatable message, and records who and when.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import require_ict_secretary
from core.mail import ict_secretary_recipients
from somegov.models import AccessibilityFeedback, FeedbackStatus, feedback_due_on

logger = logging.getLogger(__name__)


# --- Accessibility feedback ----------------------------------------------------------------------------


def _send_feedback_notice(feedback_pk):
    """One message to each ICT secretary, in their own language (nobody sees the others' addresses)."""
    feedback = AccessibilityFeedback.objects.get(pk=feedback_pk)
    recipients = ict_secretary_recipients()
    if not recipients:
        logger.warning("accessibility feedback %s: no ICT secretary with an e-mail address", feedback_pk)
        return
    link = settings.SITE_URL.rstrip("/") + reverse("accessibility_feedback_detail", args=[feedback.pk])
    for address, language in recipients:
        with translation.override(language):
            due = date_format(feedback.due_on, "SHORT_DATE_FORMAT")
            subject = _("Accessibility feedback: answer by %(date)s") % {"date": due}
            body = _(
                "Accessibility feedback has arrived through the portal's accessibility statement.\n\n"
                "The Act on the Provision of Digital Services (306/2019) asks for an answer within 14 days: "
                "by %(date)s.\n\nMessage:\n%(message)s\n\nPage address: %(page)s\n\n"
                "Answer the sender and mark the feedback answered in the portal:\n%(link)s\n"
            ) % {"date": due, "message": feedback.message, "page": feedback.page_url or "-", "link": link}
        try:
            EmailMessage(subject, body, to=[address]).send()
        except Exception:
            # The feedback is saved and listed; one failed address must not keep the message from the others.
            logger.exception("accessibility feedback %s: could not e-mail %s", feedback_pk, address)


def submit_feedback(*, message, name="", email="", page_url="", language="fi", received_at=None):
    """Store accessibility feedback and tell the ICT secretaries by e-mail (after the commit).

    The answer is due 14 days from the day of receipt (Europe/Helsinki). Side effects: one row;
    one e-mail to the ICT secretary group's addresses.
    """
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write your feedback."))
    received_at = received_at or timezone.now()
    with transaction.atomic():
        feedback = AccessibilityFeedback(
            name=(name or "").strip(),
            email=(email or "").strip(),
            message=message,
            page_url=(page_url or "").strip(),
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            received_at=received_at,
            due_on=feedback_due_on(received_at),
        )
        feedback.full_clean()
        feedback.save()
        transaction.on_commit(lambda: _send_feedback_notice(feedback.pk))
    return feedback


def mark_feedback_answered(actor, feedback, *, answered_on, note):
    """The ICT secretary has answered the feedback. Side effects: the feedback row (date, note, who, when)."""
    require_ict_secretary(actor)
    note = (note or "").strip()
    if not answered_on or not note:
        raise ValidationError(_("Give the date of the answer and a note on what was answered."))
    with transaction.atomic():
        locked = AccessibilityFeedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status != FeedbackStatus.OPEN:
            raise ValidationError(_("This feedback has been marked answered already."))
        if answered_on < locked.received_on:
            raise ValidationError(_("The answer cannot be dated before the feedback arrived."))
        if answered_on > timezone.localdate():
            raise ValidationError(_("The answer date cannot be in the future."))
        locked.status, locked.answered_on, locked.answer_note = FeedbackStatus.ANSWERED, answered_on, note
        locked.answered_by, locked.answered_marked_at = actor, timezone.now()
        locked.save(update_fields=["status", "answered_on", "answer_note", "answered_by", "answered_marked_at"])
    return locked
