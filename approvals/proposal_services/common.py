"""What every proposal operation shares: the fields, the errors, the locks, the event record, who decides."""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from approvals.models import (
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
)
from approvals.models.proposals import person_of
from channels.addresses import normalise_address
from channels.models import Channel, Unit
from core.access import require_role
from core.db import retry_when_sqlite_locked
from core.roles import Role, active_users_with

logger = logging.getLogger(__name__)

# The fields a proposer fills in; ``create_draft`` and ``update_draft`` take them as a dict.
PROPOSAL_FIELDS = [
    "unit",
    "platform",
    "name",
    "address",
    "purposes",
    "goals",
    "target_audience",
    "strategy_support",
    "why_new_channel",
    "responsible_person",
    "holiday_cover_person",
    "holiday_cover_arrangement",
    "response_plan",
    "response_time",
]


class ProposalError(ValidationError):
    """A refused operation on a proposal; the message says what is wrong, for the person who tried.

    ``code`` tells the kinds apart (``wrong_state``, ``not_allowed``, ``grant_refused``, ``incomplete``...),
    also when the error carries a list or a dict of messages.
    """

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        if not hasattr(self, "code"):
            self.code = code


class ProposalIncomplete(ProposalError):
    """Submission refused: ``message_dict`` says, field by field, what is missing."""

    def __init__(self, missing):
        super().__init__(missing, code="incomplete")


def error_messages(exc):
    """Every message of a ``ValidationError``, whether it holds a list or a dict of them."""
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)


# --- Helpers ---------------------------------------------------------------------------------------------


_serialised = retry_when_sqlite_locked


def _locked(proposal):
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _actor_name(user):
    person = person_of(user)
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.get_username()


def _record(proposal, kind, actor, comment=""):
    return ProposalEvent.objects.create(
        proposal=proposal, kind=kind, actor=actor, actor_name=_actor_name(actor), comment=comment
    )


def _language(language):
    """A supported language code for e-mail (the current one when none is given)."""
    try:
        return translation.get_supported_language_variant(language or translation.get_language() or "")
    except LookupError:
        from django.conf import settings

        return settings.LANGUAGE_CODE


def proposable_units(user):
    """The units a person may propose a channel for: their own unit and the units below it."""
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    ids = frontier = {person.unit_id}
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids = ids | frontier
    return Unit.objects.active().filter(pk__in=ids)


def registry_clash(platform, address, exclude_channel=None):
    """The normalised address and the registry's channel already holding it (None when free).

    Raises ``InvalidAddress`` when the address is not an account address on the platform.
    """
    key = normalise_address(address, platform.slug)
    clash = Channel.objects.filter(platform=platform, normalised_address=key)
    if exclude_channel is not None:
        clash = clash.exclude(pk=exclude_channel.pk)
    return key, clash.first()


def clash_message(channel):
    return _("This account is already in the registry as “%(name)s” (%(status)s).") % {
        "name": channel.name,
        "status": channel.get_status_display().lower(),
    }


def deciders_for(proposal):
    """The logins that can decide on ``proposal``: municipal managers and the head of its area."""
    candidates = list(active_users_with(Role.MUNICIPAL_MANAGER).filter(person__isnull=False).select_related("person"))
    area = proposal.unit.area()
    if area is not None and area.head is not None and area.head.user is not None and area.head.user.is_active:
        candidates.append(area.head.user)
    deciders, seen = [], set()
    for user in candidates:
        if user.pk not in seen and proposal.can_be_decided_by(user, any_status=True):
            seen.add(user.pk)
            deciders.append(user)
    return deciders


def _check_proposer(proposal, actor):
    require_role(actor)
    if not proposal.is_proposed_by(actor):
        raise ProposalError(_("Only the proposer can do this."), code="not_allowed")


def _check_decider(proposal, actor):
    """The proposal awaits a decision and ``actor`` is one of its deciders; otherwise say why not."""
    require_role(actor)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ProposalError(not_awaiting_message(proposal), code="wrong_state")
    if proposal.is_proposed_by(actor) or person_of(actor) == proposal.proposer:
        raise ProposalError(_("Nobody decides on their own proposal."), code="not_allowed")
    if not proposal.can_be_decided_by(actor):
        raise ProposalError(
            _(
                "Only the head of the proposing unit's responsibility area or the municipal manager can "
                "decide on this proposal."
            ),
            code="not_allowed",
        )


def not_awaiting_message(proposal):
    """Why a proposal cannot be decided now, naming who decided it and when (for the slower decider)."""
    if proposal.status in (ProposalStatus.APPROVED, ProposalStatus.REJECTED):
        values = {
            "name": proposal.decided_by.full_name,
            "date": date_format(timezone.localtime(proposal.decided_at), "SHORT_DATE_FORMAT"),
        }
        if proposal.status == ProposalStatus.APPROVED:
            return _("This proposal was already approved by %(name)s on %(date)s.") % values
        return _("This proposal was already rejected by %(name)s on %(date)s.") % values
    if proposal.status == ProposalStatus.RETURNED:
        event = proposal.events.filter(kind=ProposalEventKind.RETURNED).last()
        if event is not None:
            return _("This proposal was already returned for changes by %(name)s on %(date)s.") % {
                "name": event.actor_name,
                "date": date_format(timezone.localtime(event.at), "SHORT_DATE_FORMAT"),
            }
    return _("This proposal is not awaiting a decision: it is %(status)s.") % {
        "status": proposal.get_status_display().lower()
    }


def _required_text(value, message):
    value = (value or "").strip()
    if not value:
        raise ProposalError(message, code="required")
    return value
