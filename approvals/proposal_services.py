"""Every operation on a channel proposal. Views, admin, commands and the demo call these functions.

Each transition checks the proposal's current state and who acts, runs in one transaction with the
proposal's row locked (so two deciders pressing a button at once produce one decision), records a
``ProposalEvent`` (django-simple-history keeps every field change too), and sends its e-mail only after
the transaction has committed. A refused operation raises ``ProposalError`` with a message for people.

    draft --submit--> submitted --approve--> approved (the channel is created in the registry)
      ^                 |  |
      |                 |  +--reject--> rejected
      |                 +--return_for_changes--> returned --submit--> submitted ...
    draft / returned --withdraw--> withdrawn
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from approvals.models import (
    ChecklistAnswer,
    PolicyRule,
    Proposal,
    ProposalChecklistAnswer,
    ProposalEvent,
    ProposalEventKind,
    ProposalMaintainer,
    ProposalStatus,
)
from approvals.models.proposals import EDITABLE_STATUSES, person_of
from channels import services as registry
from channels.addresses import InvalidAddress, normalise_address
from channels.models import Channel, ChannelStatus, Person, Purpose, Unit
from core.db import retry_when_sqlite_locked
from core.roles import Role, active_users_with, has_role

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
    if not proposal.is_proposed_by(actor):
        raise ProposalError(_("Only the proposer can do this."), code="not_allowed")


def _check_decider(proposal, actor):
    """The proposal awaits a decision and ``actor`` is one of its deciders; otherwise say why not."""
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
    left, or the unit is not theirs. Nothing is checked for completeness yet (see ``submit``).
    """
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
        proposal.full_clean()
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
        proposal.full_clean()
        proposal._history_user = actor
        proposal.save(update_fields=[*changed, "updated_at"])
        if maintainers is not None:
            _save_maintainers(proposal, maintainers, actor)
        if answers is not None:
            _save_answers(proposal, answers, actor)
    return proposal


# --- Submitting ------------------------------------------------------------------------------------------


def missing_for_submission(proposal):
    """What still stops ``proposal`` from being submitted, field by field: ``{field: [messages]}``."""
    missing = {}

    def add(field, message):
        missing.setdefault(field, []).append(message)

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
