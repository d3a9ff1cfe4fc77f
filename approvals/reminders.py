"""Daily reminders: each person is e-mailed what is theirs to do, once.

What is due (``due_items``): reviews due within 30 days or overdue (to the responsible person), proposals
waiting for a decision (to each decider), authorisations ending within 30 days (to the person and their
supervisor), rights without basis (to the ICT secretaries). Each item is claimed by inserting a
``ReminderSent`` row (recipient, kind, object key, day) under a unique constraint before it is e-mailed:
a second run the same day, or a run at the same moment in another process, finds it claimed and sends
nothing for it. Each message, dates included, is in its recipient's ``Person.preferred_language``; e-mails to a
group (the deciders, the ICT secretaries) go to each member in their own.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from approvals.authorisation_services import rights_without_basis
from approvals.models import Authorisation, Proposal, ReminderKind, ReminderSent
from channels.models import Channel
from core import organisation
from core.db import retry_when_sqlite_locked
from core.mail import recipient as recipient_of
from core.roles import Role, active_users_with

DAYS_AHEAD = 30


@dataclasses.dataclass(frozen=True)
class Item:
    recipient: str  # e-mail address
    name: str
    language: str
    kind: str
    key: str
    text: str
    url: str


def _link(name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _date(day):
    """``day`` as the active language writes it (call inside ``translation.override``)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def _reviews(on):
    horizon = on + datetime.timedelta(days=DAYS_AHEAD)
    channels = (
        Channel.objects.in_use()
        .filter(next_review_on__lte=horizon, responsible_person__isnull=False)
        .filter(Q(responsible_person__left_on__isnull=True) | Q(responsible_person__left_on__gt=on))
        .select_related("responsible_person__user", "platform")
        .order_by("next_review_on", "pk")
    )
    for channel in channels:
        person = channel.responsible_person
        if (found := recipient_of(person=person)) is None:
            continue
        address, language = found
        with translation.override(language):
            overdue = channel.next_review_on < on
            text = (
                translation.gettext("Review of %(channel)s was due on %(date)s.")
                if overdue
                else translation.gettext("Review of %(channel)s is due on %(date)s.")
            ) % {"channel": channel.name, "date": _date(channel.next_review_on)}
        yield Item(
            address,
            str(person),
            language,
            ReminderKind.REVIEW_DUE,
            f"channel:{channel.pk}:{channel.next_review_on.isoformat()}",
            text,
            _link("approvals:review_channel", channel.pk),
        )


def _proposals(on):
    for user in active_users_with(Role.MUNICIPAL_MANAGER, Role.AREA_HEAD).select_related("person"):
        person = getattr(user, "person", None)
        if (found := recipient_of(user=user)) is None:
            continue
        address, language = found
        for proposal in Proposal.objects.awaiting(user).select_related("unit"):
            with translation.override(language):
                text = translation.gettext("Proposal %(name)s (%(unit)s) is waiting for your decision.") % {
                    "name": proposal.name,
                    "unit": proposal.unit,
                }
            yield Item(
                address,
                str(person or user),
                language,
                ReminderKind.PROPOSAL_WAITING,
                f"proposal:{proposal.pk}",
                text,
                _link("approvals:proposal_detail", proposal.pk),
            )


def _authorisations(on):
    horizon = on + datetime.timedelta(days=DAYS_AHEAD)
    ending = (
        Authorisation.objects.valid(on)
        .filter(valid_until__isnull=False, valid_until__lte=horizon)
        .select_related("person__user", "person__supervisor__user")
        .order_by("valid_until", "pk")
    )
    for authorisation in ending:
        person = authorisation.person
        for recipient in (person, person.supervisor):
            if recipient is None or recipient.has_left(on) or (found := recipient_of(person=recipient)) is None:
                continue
            address, language = found
            with translation.override(language):
                text = translation.gettext("The authorisation of %(person)s ends on %(date)s.") % {
                    "person": person,
                    "date": _date(authorisation.valid_until),
                }
            yield Item(
                address,
                str(recipient),
                language,
                ReminderKind.AUTHORISATION_ENDING,
                f"authorisation:{authorisation.pk}:{authorisation.valid_until.isoformat()}",
                text,
                _link("approvals:my_page"),
            )


def _rights(on):
    rights = list(rights_without_basis(on))
    if not rights:
        return
    for user in active_users_with(Role.ICT_SECRETARY).select_related("person"):
        person = getattr(user, "person", None)
        if (found := recipient_of(user=user)) is None:
            continue
        address, language = found
        for right in rights:
            with translation.override(language):
                text = translation.gettext("Revoke or restore the basis of the right of %(person)s on %(channel)s.") % {
                    "person": right.person,
                    "channel": right.channel.name,
                }
            yield Item(
                address,
                str(person or user),
                language,
                ReminderKind.RIGHT_TO_REVOKE,
                f"right:{right.pk}",
                text,
                _link("approvals:rights_problems"),
            )


def due_items(on=None):
    """Everything to remind about on ``on``: a list of ``Item``, one per recipient and thing to do."""
    on = on or timezone.localdate()
    return [*_reviews(on), *_proposals(on), *_authorisations(on), *_rights(on)]


def _retrying(func):
    """``func()``, again when SQLite reports the database locked (see ``retry_when_sqlite_locked``)."""
    return retry_when_sqlite_locked(func)()


def _claim(item, on):
    """Record the reminder as sent; False when it already was (this run or another, today)."""

    def insert():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(recipient=item.recipient, kind=item.kind, object_key=item.key, sent_on=on)
        except IntegrityError:
            return False
        return True

    return _retrying(insert)


def _by_recipient(items):
    grouped = {}
    for item in items:
        grouped.setdefault(item.recipient, []).append(item)
    return grouped


def send_reminders(on=None, dry_run=False):
    """Claim and e-mail today's reminders. Returns ``(sent_items, recipients, already_sent_count)``.

    With ``dry_run`` nothing is claimed or sent; the items that would be sent are returned.
    """
    on = on or timezone.localdate()
    # SQLite may report a table locked to a reader while another run writes its claims; reading again is safe.
    items = _retrying(lambda: due_items(on))
    already = _retrying(
        lambda: set(ReminderSent.objects.filter(sent_on=on).values_list("recipient", "kind", "object_key"))
    )
    fresh = [item for item in items if (item.recipient, item.kind, item.key) not in already]
    if dry_run:
        return fresh, _by_recipient(fresh), len(items) - len(fresh)
    claimed = [item for item in fresh if _claim(item, on)]
    grouped = _by_recipient(claimed)
    for recipient, own in grouped.items():
        language = own[0].language
        with translation.override(language):
            context = {
                "name": own[0].name,
                "items": own,
                "site_url": settings.SITE_URL,
                "on": _date(on),
                "organisation": organisation.InContext(organisation.current()),
            }
            subject = render_to_string("approvals/reminders/subject.txt", context).strip()
            body = render_to_string("approvals/reminders/body.txt", context)
        send_mail(subject, body, None, [recipient])
    return claimed, grouped, len(items) - len(claimed)


def forget_reminders_sent(person, addresses):
    """Delete the record of reminders sent to ``addresses`` (a person being anonymised): only today's rows stop a
    reminder being sent twice, so the rest is a send log of the person's address, not a record to keep."""
    if not addresses:
        return 0
    condition = Q()
    for address in addresses:
        condition |= Q(recipient__iexact=address)
    deleted, _by_model = ReminderSent.objects.filter(condition).delete()
    return deleted
