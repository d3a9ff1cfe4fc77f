"""Deciding on a channel proposal: returning it for changes, rejecting it, approving it (the decider's side).

Approving creates the channel through the registry's own service (``channels.services.create_channel``)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import (
    ProposalEventKind,
    ProposalStatus,
)
from approvals.models.proposals import person_of
from approvals.proposal_services.common import (
    ProposalError,
    _check_decider,
    _locked,
    _record,
    _required_text,
    _serialised,
)
from channels import services as registry
from channels.models import ChannelStatus, Person
from core.roles import Role, has_role

logger = logging.getLogger(__name__)


# --- Deciding --------------------------------------------------------------------------------------------


@_serialised
def return_for_changes(proposal, *, actor, comment):
    """A decider sends the proposal back to its proposer with a comment saying what to change.

    Side effects: a ``returned`` event; after commit, an e-mail to the proposer.
    """
    from approvals import proposal_emails

    comment = _required_text(comment, _("Say what should be changed."))
    with transaction.atomic():
        proposal = _locked(proposal)
        _check_decider(proposal, actor)
        proposal.status = ProposalStatus.RETURNED
        proposal._history_user = actor
        proposal.save(update_fields=["status", "updated_at"])
        _record(proposal, ProposalEventKind.RETURNED, actor, comment)
        proposal_emails.on_commit(proposal, ProposalEventKind.RETURNED)
    return proposal


@_serialised
def reject(proposal, *, actor, reason):
    """A decider rejects the proposal, giving the reason. Side effects: an event; e-mail to the proposer."""
    from approvals import proposal_emails

    reason = _required_text(reason, _("Give the reason for rejecting."))
    with transaction.atomic():
        proposal = _locked(proposal)
        _check_decider(proposal, actor)
        proposal.status = ProposalStatus.REJECTED
        proposal.decided_by = person_of(actor)
        proposal.decided_at = timezone.now()
        proposal.decision_reason = reason
        proposal._history_user = actor
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        _record(proposal, ProposalEventKind.REJECTED, actor, reason)
        proposal_emails.on_commit(proposal, ProposalEventKind.REJECTED)
    return proposal


@_serialised
def approve(proposal, *, actor, responsible_person, goals, conditions="", decision_reference=""):
    """A decider approves: the decision names the responsible person and the goals, and may add conditions.

    Side effects, all in one transaction: the channel is created in the registry by
    ``channels.services.create_channel`` (status approved, with the decision, owner unit, platform, name,
    address if given, responsible person, holiday cover, purposes, goals and target audience; its history
    names this proposal; the registry's version moves) and linked from the proposal; every proposed
    maintainer gets their update right through ``channels.services.grant_right``. If any right is refused, the approval
    is refused with every refusal named, and nothing is saved. An ``approved`` event; after commit,
    e-mail to the proposer, the ICT secretaries and the people named.
    """
    from approvals import proposal_emails

    goals = _required_text(goals, _("Say what the service aims for (§3)."))
    if responsible_person is None:
        raise ProposalError({"responsible_person": [_("Name the responsible person (§3).")]})
    with transaction.atomic():
        proposal = _locked(proposal)
        _check_decider(proposal, actor)
        responsible_person = Person.objects.get(pk=responsible_person.pk)
        if responsible_person.has_left():
            raise ProposalError(
                {
                    "responsible_person": [
                        _("%(person)s has left the municipality's service.") % {"person": responsible_person}
                    ]
                }
            )
        decider = person_of(actor)
        today = timezone.localdate()
        reference = (decision_reference or "").strip() or proposal.default_decision_reference
        maintainers = [
            (m.person, m.role, m.weekly_hours) for m in proposal.maintainers.select_related("person").order_by("pk")
        ]
        # The history's reason holds 100 characters: the proposal's own short reference, not the decider's.
        reason = _("Approved in channel proposal %(reference)s") % {"reference": proposal.default_decision_reference}
        try:
            channel = registry.create_channel(
                actor=actor,
                reason=str(reason),
                maintainers=maintainers,
                platform=proposal.platform,
                name=proposal.name,
                address=proposal.address,
                owner_unit=proposal.unit,
                purposes=list(proposal.purposes),
                goals=goals,
                target_audience=proposal.target_audience,
                responsible_person=responsible_person,
                holiday_cover_person=proposal.holiday_cover_person,
                holiday_cover_arrangement=proposal.holiday_cover_arrangement,
                decided_by=decider,
                decided_on=today,
                decision_reference=reference,
                status=ChannelStatus.APPROVED,
            )
        except registry.RightsRefused as exc:
            raise ProposalError(exc.messages, code="grant_refused") from exc
        except ValidationError as exc:
            raise ProposalError(exc) from exc
        changes = []
        if responsible_person.pk != proposal.responsible_person_id:
            changes.append(
                str(_("Responsible person changed to %(person)s.") % {"person": responsible_person.full_name})
            )
        if goals != proposal.goals.strip():
            changes.append(str(_("Goals changed.")))
        proposal.status = ProposalStatus.APPROVED
        proposal.decided_by = decider
        proposal.decided_at = timezone.now()
        proposal.decision_reference = reference
        proposal.decision_conditions = (conditions or "").strip()
        proposal.responsible_person = responsible_person
        proposal.goals = goals
        proposal.channel = channel
        proposal._history_user = actor
        proposal.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_reference",
                "decision_conditions",
                "responsible_person",
                "goals",
                "channel",
                "updated_at",
            ]
        )
        comment = "\n".join([*changes, proposal.decision_conditions]).strip()
        _record(proposal, ProposalEventKind.APPROVED, actor, comment)
        proposal_emails.on_commit(proposal, ProposalEventKind.APPROVED)
    return proposal


def is_decider(user):
    """Whether the user decides on proposals at all (for the queue and the navigation)."""
    return has_role(user, Role.MUNICIPAL_MANAGER, Role.AREA_HEAD) and person_of(user) is not None
