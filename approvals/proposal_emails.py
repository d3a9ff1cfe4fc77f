"""E-mail about channel proposals: who is told what at each step, in their own language.

The services call ``on_commit`` inside their transaction: the recipients are chosen from the data the
transaction saw, and the messages are rendered and sent only after it has committed (a refused or rolled
back operation sends nothing). Each recipient gets their own message, so nobody sees the others' addresses
and each message (dates included) is in its reader's language: the person's ``preferred_language``; a login
without a person in the registry gets the proposal's language if they drafted it, else Finnish.
"""

import contextlib
import contextvars
import dataclasses
import functools
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from approvals.models import Proposal, ProposalEventKind
from approvals.models.proposals import person_of
from core import organisation
from core.mail import recipient as recipient_of
from core.roles import Role, active_users_with

logger = logging.getLogger(__name__)

# Set by ``muted()``: operations run inside it send no e-mail (the demo data, loaded in bulk).
_muted = contextvars.ContextVar("proposal_emails_muted", default=False)

TEMPLATES = {
    ProposalEventKind.SUBMITTED: "submitted",
    ProposalEventKind.RETURNED: "returned",
    ProposalEventKind.APPROVED: "approved",
    ProposalEventKind.REJECTED: "rejected",
}


@dataclasses.dataclass
class Recipient:
    email: str
    name: str
    language: str
    # Why the message concerns them: proposer, decider, ict_secretary, responsible, maintainer, holiday_cover.
    reasons: list = dataclasses.field(default_factory=list)
    maintainer_id: int | None = None


class _Recipients:
    """Recipients keyed by e-mail address, so a person named in several ways gets one message."""

    def __init__(self):
        self.by_email = {}

    def add(self, found, name, reason, maintainer_id=None):
        """Add ``found``, the ``(address, language)`` that ``core.mail.recipient`` chose (None: no address)."""
        if found is None:
            logger.warning("No e-mail address for %s: not told that they are %s on a proposal", name, reason)
            return
        email, language = found
        recipient = self.by_email.setdefault(email.lower(), Recipient(email=email, name=name, language=language))
        if reason not in recipient.reasons:
            recipient.reasons.append(reason)
        recipient.maintainer_id = recipient.maintainer_id or maintainer_id

    def add_person(self, person, reason, maintainer_id=None):
        if person is None or person.has_left():
            return
        self.add(recipient_of(person=person), person.full_name, reason, maintainer_id)

    def add_user(self, user, reason, language=None):
        """A login: as their person when they have one; else their own address, in ``language`` (the
        proposal's) or the portal's default."""
        person = person_of(user)
        if person is not None:
            self.add_person(person, reason)
        else:
            name = user.get_full_name() or user.get_username()
            self.add(recipient_of(user=user, language=language), name, reason)

    def all(self):
        return list(self.by_email.values())


def recipients_for(proposal, kind, deciders=()):
    """Who is told about ``kind`` happening to ``proposal``."""
    recipients = _Recipients()
    if kind == ProposalEventKind.SUBMITTED:
        for user in deciders:
            recipients.add_user(user, "decider")
        return recipients.all()
    recipients.add_person(proposal.proposer, "proposer")
    if proposal.created_by.is_active and proposal.created_by_id != proposal.proposer.user_id:
        recipients.add_user(proposal.created_by, "proposer", proposal.language)
    if kind == ProposalEventKind.APPROVED:
        for user in active_users_with(Role.ICT_SECRETARY).select_related("person"):
            recipients.add_user(user, "ict_secretary")
        recipients.add_person(proposal.responsible_person, "responsible")
        for maintainer in proposal.maintainers.select_related("person__user").order_by("pk"):
            recipients.add_person(maintainer.person, "maintainer", maintainer_id=maintainer.pk)
        recipients.add_person(proposal.holiday_cover_person, "holiday_cover")
    return recipients.all()


@contextlib.contextmanager
def muted():
    """Operations inside send no e-mail (checked when the e-mail is queued, not when it is sent)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def on_commit(proposal, kind, deciders=()):
    """Choose the recipients now; render and send once the caller's transaction has committed."""
    if _muted.get():
        return
    recipients = recipients_for(proposal, kind, deciders)
    if recipients:
        # robust: the operation has committed; a failure to send is logged, never turned into an error page.
        transaction.on_commit(functools.partial(send, proposal.pk, kind, recipients), robust=True)


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def send(proposal_pk, kind, recipients):
    """Render one message per recipient in their language and send it; a failure is logged, not raised
    (the decision is already saved: a mail server being down must not turn it into an error page)."""
    proposal = Proposal.objects.select_related(
        "unit", "platform", "proposer", "responsible_person", "holiday_cover_person", "decided_by", "channel"
    ).get(pk=proposal_pk)
    event = proposal.events.filter(kind=kind).last()
    maintainers = {m.pk: m for m in proposal.maintainers.select_related("person")}
    name = TEMPLATES[kind]
    for recipient in recipients:
        context = {
            "proposal": proposal,
            "event": event,
            "recipient": recipient,
            "reasons": recipient.reasons,
            "maintainer": maintainers.get(recipient.maintainer_id),
            "proposal_url": absolute_url(reverse("approvals:proposal_detail", args=[proposal.pk])),
            "queue_url": absolute_url(reverse("approvals:decision_queue")),
            "organisation": organisation.InContext(organisation.current()),
        }
        with translation.override(recipient.language):
            subject = " ".join(render_to_string(f"approvals/emails/proposal_{name}_subject.txt", context).split())
            body = render_to_string(f"approvals/emails/proposal_{name}_body.txt", context)
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception:
            logger.exception("Could not send the %s e-mail of proposal %s to %s", name, proposal.pk, recipient.email)
