"""Drafting, submitting and withdrawing a channel proposal (the proposer's side)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import (
    ChecklistAnswer,
    PolicyRule,
    Proposal,
    ProposalChecklistAnswer,
    ProposalEventKind,
    ProposalMaintainer,
    ProposalStatus,
)
from approvals.models.proposals import EDITABLE_STATUSES, person_of
from approvals.proposal_services.common import (
    PROPOSAL_FIELDS,
    ProposalError,
    ProposalIncomplete,
    _check_proposer,
    _language,
    _locked,
    _record,
    _serialised,
    clash_message,
    deciders_for,
    proposable_units,
    registry_clash,
)
from channels.addresses import InvalidAddress, normalise_address
from channels.models import Purpose
from core.access import require_role
from core.validators import single_line

logger = logging.getLogger(__name__)


# --- Drafting --------------------------------------------------------------------------------------------


def _apply_fields(proposal, fields):
    """Copy the proposer's fields onto the proposal, normalising the address; returns the names set."""
    changed = []
    for name in PROPOSAL_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "purposes":
            value = [purpose for purpose in Purpose.values if purpose in (value or [])]
        elif Proposal._meta.get_field(name).get_internal_type() in ("CharField", "TextField"):
            value = (value or "").strip()
        setattr(proposal, name, value)
        changed.append(name)
    if proposal.address:
        try:
            proposal.normalised_address = normalise_address(proposal.address, proposal.platform.slug)
        except InvalidAddress as exc:
            raise ProposalError({"address": [exc.message]}) from exc
    else:
        proposal.normalised_address = None
    changed.append("normalised_address")
    return changed


def _save_maintainers(proposal, maintainers, actor):
    """Make the proposal's maintainers exactly ``maintainers`` (dicts of person, role, weekly_hours)."""
    wanted = {}
    for row in maintainers:
        person = row["person"]
        if person.pk in wanted:
            raise ProposalError({"maintainers": [_("%(person)s is named twice as a maintainer.") % {"person": person}]})
        wanted[person.pk] = row
    existing = {m.person_id: m for m in proposal.maintainers.all()}
    for person_id, maintainer in existing.items():
        if person_id not in wanted:
            maintainer._history_user = actor
            maintainer.delete()  # part of an unsubmitted draft; django-simple-history keeps the row
    for person_id, row in wanted.items():
        maintainer = existing.get(person_id) or ProposalMaintainer(proposal=proposal, person=row["person"])
        maintainer.role = row["role"]
        maintainer.weekly_hours = row["weekly_hours"]
        maintainer.full_clean(exclude=["proposal"])
        maintainer._history_user = actor
        maintainer.save()


def _save_answers(proposal, answers, actor):
    """Store the checklist answers: ``answers`` maps a ``PolicyRule`` (or its pk) to (answer, note)."""
    rules = {rule.pk: rule for rule in PolicyRule.objects.for_proposals()}
    existing = {a.rule_id: a for a in proposal.checklist_answers.all()}
    for key, (answer, note) in answers.items():
        rule_id = getattr(key, "pk", key)
        if rule_id not in rules:
            continue  # a rule made inactive while the form was open
        row = existing.get(rule_id) or ProposalChecklistAnswer(proposal=proposal, rule=rules[rule_id])
        row.answer, row.note = answer or "", (note or "").strip()
        row.full_clean(exclude=["proposal", "rule"])
        row._history_user = actor
        row.save()


@_serialised
def create_draft(*, actor, fields, maintainers=(), answers=None, language=None):
    """Start a proposal as a draft of ``actor``'s person for one of their units.

    Side effects: a ``created`` event. Refused when the login has no person record, the person has
    left, or the unit is not theirs; ``PermissionDenied`` for a login without a role (``core.access``). Nothing is
    checked for completeness yet (see ``submit``).
    """
    require_role(actor)
    person = person_of(actor)
    if person is None or person.has_left():
        raise ProposalError(
            _(
                "Only members of staff can propose channels. Ask the ICT secretary to link your login to your "
                "person record."
            ),
            code="not_allowed",
        )
    with transaction.atomic():
        unit = fields.get("unit") or person.unit
        if not proposable_units(actor).filter(pk=unit.pk).exists():
            raise ProposalError(
                {"unit": [_("You can propose channels only for your own unit and the units below it.")]}
            )
        proposal = Proposal(proposer=person, created_by=actor, unit=unit, language=_language(language))
        _apply_fields(proposal, {**fields, "unit": unit})
        _full_clean(proposal)
        proposal._history_user = actor
        proposal.save()
        _save_maintainers(proposal, maintainers, actor)
        _save_answers(proposal, answers or {}, actor)
        _record(proposal, ProposalEventKind.CREATED, actor)
    return proposal


@_serialised
def update_draft(proposal, *, actor, fields, maintainers=None, answers=None, language=None):
    """Change a draft or returned proposal. Refused for any other state, and for anyone but the proposer.

    Side effects: none beyond the rows (history records the change).
    """
    with transaction.atomic():
        proposal = _locked(proposal)
        if not proposal.is_editable:
            raise ProposalError(
                _("A proposal that is %(status)s cannot be edited.")
                % {"status": proposal.get_status_display().lower()},
                code="wrong_state",
            )
        _check_proposer(proposal, actor)
        if "unit" in fields and not proposable_units(actor).filter(pk=fields["unit"].pk).exists():
            raise ProposalError(
                {"unit": [_("You can propose channels only for your own unit and the units below it.")]}
            )
        changed = _apply_fields(proposal, fields)
        if language:
            proposal.language = _language(language)
            changed.append("language")
        _full_clean(proposal)
        proposal._history_user = actor
        proposal.save(update_fields=[*changed, "updated_at"])
        if maintainers is not None:
            _save_maintainers(proposal, maintainers, actor)
        if answers is not None:
            _save_answers(proposal, answers, actor)
    return proposal


# --- Submitting ------------------------------------------------------------------------------------------


def _full_clean(proposal):
    """The model's checks; a refusal is a ``ProposalError`` by field, which the pages show on the form."""
    try:
        proposal.full_clean()
    except ProposalError:
        raise
    except ValidationError as error:
        raise ProposalError(error.message_dict, code="invalid") from error


SINGLE_LINE_FIELDS = ("name", "address", "response_time")


def missing_for_submission(proposal):
    """What still stops ``proposal`` from being submitted, field by field: ``{field: [messages]}``."""
    missing = {}

    def add(field, message):
        missing.setdefault(field, []).append(message)

    for field in SINGLE_LINE_FIELDS:  # a draft saved before the rule must not carry a "\r\nBcc:" to the deciders
        try:
            single_line(getattr(proposal, field))
        except ValidationError as error:
            add(field, error.messages[0])
    if proposal.address:
        try:
            _key, clash = registry_clash(proposal.platform, proposal.address)
        except InvalidAddress as exc:
            add("address", exc.message)
        else:
            if clash is not None:
                add("address", clash_message(clash))
            other = (
                Proposal.objects.filter(
                    status=ProposalStatus.SUBMITTED,
                    platform=proposal.platform,
                    normalised_address=proposal.normalised_address,
                )
                .exclude(pk=proposal.pk)
                .first()
            )
            if other is not None:
                add(
                    "address",
                    _("This account is already proposed in “%(name)s”, which awaits a decision.")
                    % {"name": other.name},
                )
    if not proposal.purposes:
        add("purposes", _("Choose at least one purpose (§2)."))
    if not proposal.goals.strip():
        add("goals", _("Say what the service aims for (§3)."))
    if not proposal.target_audience.strip():
        add("target_audience", _("Describe whom the channel is for."))
    if not proposal.strategy_support.strip():
        add("strategy_support", _("Explain how the channel supports the municipal strategy (§3)."))
    if not proposal.why_new_channel.strip():
        add("why_new_channel", _("Explain why the existing channels are not enough."))
    if proposal.responsible_person is None:
        add("responsible_person", _("Name the responsible person (§3)."))
    elif proposal.responsible_person.has_left():
        add(
            "responsible_person",
            _("%(person)s has left the municipality's service.") % {"person": proposal.responsible_person},
        )
    maintainers = list(proposal.maintainers.select_related("person"))
    if not maintainers:
        add("maintainers", _("Name at least one maintainer and their working time (§4)."))
    for maintainer in maintainers:
        if maintainer.person.has_left():
            add("maintainers", _("%(person)s has left the municipality's service.") % {"person": maintainer.person})
    if proposal.holiday_cover_person is None:
        add("holiday_cover_person", _("Name who looks after the channel during holidays (§4)."))
    elif proposal.holiday_cover_person.has_left():
        add(
            "holiday_cover_person",
            _("%(person)s has left the municipality's service.") % {"person": proposal.holiday_cover_person},
        )
    if not proposal.holiday_cover_arrangement.strip():
        add("holiday_cover_arrangement", _("Describe how the channel is looked after during holidays (§4)."))
    if not proposal.response_plan.strip():
        add("response_plan", _("Say who answers messages and comments, and how (§4)."))
    if not proposal.response_time.strip():
        add("response_time", _("Say how fast messages are answered (§4)."))
    answers = {a.rule_id: a for a in proposal.checklist_answers.all()}
    for rule in PolicyRule.objects.for_proposals():
        answer = answers.get(rule.pk)
        if answer is None or not answer.answer:
            add("checklist", _("Answer the checklist item “%(rule)s”.") % {"rule": rule.display_title})
        elif answer.answer != ChecklistAnswer.MET and not answer.note.strip():
            add("checklist", _("Explain why “%(rule)s” is not met or does not apply.") % {"rule": rule.display_title})
    return missing


@_serialised
def submit(proposal, *, actor, language=None):
    """Send a draft (or a returned proposal) to its deciders.

    Refused, with everything missing listed field by field, when the proposal is incomplete; refused
    when it is not a draft or returned, when ``actor`` is not the proposer, or when nobody can decide it.
    Side effects: a ``submitted`` event; after commit, an e-mail to each decider.
    """
    from approvals import proposal_emails

    with transaction.atomic():
        proposal = _locked(proposal)
        if not proposal.is_editable:
            raise ProposalError(
                _("A proposal that is %(status)s cannot be submitted.")
                % {"status": proposal.get_status_display().lower()},
                code="wrong_state",
            )
        _check_proposer(proposal, actor)
        missing = missing_for_submission(proposal)
        if missing:
            raise ProposalIncomplete(missing)
        deciders = deciders_for(proposal)
        if not deciders:
            raise ProposalError(
                _(
                    "Nobody can decide on this proposal: the unit's responsibility area has no head with a login "
                    "and there is no municipal manager. Ask the ICT secretary."
                ),
                code="no_decider",
            )
        proposal.status = ProposalStatus.SUBMITTED
        proposal.submitted_at = timezone.now()
        fields = ["status", "submitted_at", "updated_at"]
        if language:
            proposal.language = _language(language)
            fields.append("language")
        proposal._history_user = actor
        proposal.save(update_fields=fields)
        _record(proposal, ProposalEventKind.SUBMITTED, actor)
        proposal_emails.on_commit(proposal, ProposalEventKind.SUBMITTED, deciders=deciders)
    return proposal


@_serialised
def withdraw(proposal, *, actor, reason=""):
    """The proposer takes back a draft or returned proposal. Side effects: a ``withdrawn`` event."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status not in EDITABLE_STATUSES:
            raise ProposalError(
                _("A proposal that is %(status)s cannot be withdrawn.")
                % {"status": proposal.get_status_display().lower()},
                code="wrong_state",
            )
        _check_proposer(proposal, actor)
        proposal.status = ProposalStatus.WITHDRAWN
        proposal._history_user = actor
        proposal.save(update_fields=["status", "updated_at"])
        _record(proposal, ProposalEventKind.WITHDRAWN, actor, (reason or "").strip())
    return proposal
