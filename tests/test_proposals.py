"""Channel proposals: the policy checklist, the model's rules, who decides, every transition.

Submitting, approving into the registry and the e-mails are in ``test_proposals_workflow.py``."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals import proposal_services as services
from approvals.models import (
    ChecklistAnswer,
    PolicyRule,
    Proposal,
    ProposalChecklistAnswer,
    ProposalEventKind,
    ProposalStatus,
    RuleKind,
    RuleStage,
)
from channels.models import Channel, UnitKind, UpdateRole
from core.roles import Role
from tests.factories import make_person, make_unit, make_user
from tests.proposal_builders import make_draft, make_proposal, other_area_staff, platform

pytestmark = pytest.mark.django_db

S = ProposalStatus


# --- The policy checklist --------------------------------------------------------------------------------


def test_it_loads_the_guidelines_rules_and_good_practice():
    rules = PolicyRule.objects.all()
    # 15 from the proposals' migration, and "the review is not overdue" (§4) from the reviews' migration.
    assert rules.filter(is_good_practice=False).count() == 16
    assert rules.filter(is_good_practice=True).count() == 9
    assert not rules.filter(is_good_practice=False, sections="").exists()
    assert not rules.filter(is_good_practice=True, source="").exists()
    confidential = rules.get(code="public-information-only")
    assert confidential.section_numbers == [1, 5, 6]
    assert confidential.citation == "§ 1, 5, 6"
    assert rules.get(code="holiday-cover").kind == RuleKind.AUTOMATIC


def test_proposals_answer_the_introduction_stage_attested_rules():
    codes = set(PolicyRule.objects.for_proposals().values_list("code", flat=True))
    assert codes == {
        "planned-supports-strategy",
        "shows-unit-and-official",
        "terms-of-service-read",
        "crisis-role-decided",
    }
    rule = PolicyRule.objects.get(code="terms-of-service-read")
    rule.is_active = False
    rule.save()
    assert "terms-of-service-read" not in set(PolicyRule.objects.for_proposals().values_list("code", flat=True))
    assert PolicyRule.objects.get(code="two-factor-authentication").stage == RuleStage.ONGOING


def test_a_rule_cites_the_guideline_or_the_source_of_good_practice():
    with pytest.raises(ValidationError):
        PolicyRule(code="x", title="x", stage="ongoing", kind="attested", sections="").full_clean()
    with pytest.raises(ValidationError):
        PolicyRule(code="y", title="y", stage="ongoing", kind="attested", is_good_practice=True, sections="4").clean()
    with pytest.raises(ValidationError):
        PolicyRule(code="z", title="z", stage="ongoing", kind="attested", sections="4 and 5").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyRule.objects.create(code="w", title="w", stage="ongoing", kind="attested", is_good_practice=True)


def test_a_rule_speaks_the_readers_language(settings):
    from django.utils import translation

    rule = PolicyRule.objects.get(code="terms-of-service-read")
    with translation.override("fi"):
        assert rule.display_title == "Palvelun käyttöehtoihin on tutustuttu, ja ne on ymmärretty"
    with translation.override("en"):
        assert rule.display_title == "The platform's terms of service have been read and understood"
    good = PolicyRule.objects.get(code="crisis-role-decided")
    with translation.override("en"):
        assert good.citation == "The municipality's crisis communication guidance"


def test_the_rules_migration_reverses_and_reapplies(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("approvals", "0001_proposals")])
    executor.loader.build_graph()
    assert not PolicyRule.objects.exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert PolicyRule.objects.count() == 25  # 24 + the reviews' "review not overdue" rule


# --- The model's rules -----------------------------------------------------------------------------------


def test_a_decided_proposal_needs_its_decider_and_date(org):
    proposal = make_proposal(org, S.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=S.REJECTED, decision_reason="Ei")
    proposal.status = S.REJECTED
    proposal.decision_reason = "Ei"
    with pytest.raises(ValidationError, match="päättäjä"):
        proposal.clean()


def test_nobody_decides_their_own_proposal_even_in_the_database(org):
    proposal = make_proposal(org, S.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            status=S.REJECTED, decision_reason="Ei", decided_by=proposal.proposer, decided_at=timezone.now()
        )


def test_an_approved_proposal_points_to_its_channel_and_a_rejected_one_has_a_reason(org):
    proposal = make_proposal(org, S.SUBMITTED)
    now, decider = timezone.now(), org.person("area_head")
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=S.APPROVED, decided_by=decider, decided_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=S.REJECTED, decided_by=decider, decided_at=now)


def test_a_checklist_answer_other_than_met_needs_a_note(org):
    proposal = make_draft(org)
    answer = proposal.checklist_answers.first()
    answer.answer, answer.note = ChecklistAnswer.NOT_MET, ""
    with pytest.raises(ValidationError):
        answer.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()


def test_a_proposal_keeps_its_history(org):
    proposal = make_proposal(org, S.APPROVED)
    assert proposal.history.count() >= 3
    assert proposal.history.first().history_user == org.users["area_head"]
    assert proposal.history.last().history_user == org.users["staff"]
    assert proposal.maintainers.first().history.get().history_user == org.users["staff"]


def test_a_long_decision_reference_is_kept_whole(org):
    reference = "Vastuualuejohtajan päätös " + "1" * 170
    decided = services.approve(
        make_proposal(org, S.SUBMITTED),
        actor=org.users["area_head"],
        responsible_person=org.person("supervisor"),
        goals="Tavoite",
        decision_reference=reference,
    )
    assert decided.decision_reference == decided.channel.decision_reference == reference


# --- Who decides -----------------------------------------------------------------------------------------


def test_the_head_of_the_area_and_the_municipal_manager_decide(org):
    proposal = make_proposal(org, S.SUBMITTED)
    deciders = {key for key, user in org.users.items() if proposal.can_be_decided_by(user)}
    assert deciders == {"area_head", "municipal_manager"}
    assert {u.pk for u in services.deciders_for(proposal)} == {
        org.users["area_head"].pk,
        org.users["municipal_manager"].pk,
    }


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.APPROVED, S.REJECTED, S.WITHDRAWN])
def test_only_a_submitted_proposal_can_be_decided_but_its_deciders_are_known_in_any_state(org, status):
    proposal = make_proposal(org, status)
    assert not any(proposal.can_be_decided_by(user) for user in org.users.values())
    deciders = {key for key, user in org.users.items() if proposal.can_be_decided_by(user, any_status=True)}
    assert deciders == {"area_head", "municipal_manager"}


def test_a_head_of_area_decides_only_for_units_of_their_area(org):
    proposal = make_proposal(org, S.SUBMITTED, proposer=other_area_staff(org), unit=org.other_unit)
    assert not proposal.can_be_decided_by(org.users["area_head"])
    assert proposal.can_be_decided_by(org.users["municipal_manager"])


def test_a_head_of_area_decides_for_units_deeper_in_their_area(org):
    team = make_unit("Lastenkirjasto", UnitKind.SERVICE_UNIT, parent=org.unit)
    proposal = make_proposal(org, S.SUBMITTED, unit=team)
    assert proposal.can_be_decided_by(org.users["area_head"])
    assert proposal in Proposal.objects.awaiting(org.users["area_head"])


def test_the_area_head_role_alone_does_not_decide(org):
    acting = make_user("sijainen", Role.AREA_HEAD)
    make_person("Siiri", "Sijainen", org.area, user=acting)
    proposal = make_proposal(org, S.SUBMITTED)
    assert not proposal.can_be_decided_by(acting)
    assert not Proposal.objects.awaiting(acting).exists()


def test_being_head_without_the_role_does_not_decide(org):
    org.area.head = org.person("supervisor")
    org.area.save()
    proposal = make_proposal(org, S.SUBMITTED)
    assert not proposal.can_be_decided_by(org.users["supervisor"])
    assert not proposal.can_be_decided_by(org.users["area_head"])  # no longer the head of the area


def test_nobody_decides_on_their_own_proposal(org):
    by_head = make_proposal(org, S.SUBMITTED, proposer="area_head")
    assert not by_head.can_be_decided_by(org.users["area_head"])
    assert by_head.can_be_decided_by(org.users["municipal_manager"])
    by_manager = make_proposal(org, S.SUBMITTED, proposer="municipal_manager", name="Kunnanjohtajan blogi")
    assert not by_manager.can_be_decided_by(org.users["municipal_manager"])
    assert by_manager.can_be_decided_by(org.users["area_head"])
    with pytest.raises(services.ProposalError, match="omasta ehdotuksestaan"):
        services.reject(by_head, actor=org.users["area_head"], reason="Ei")


def test_a_decider_who_has_left_does_not_decide(org):
    proposal = make_proposal(org, S.SUBMITTED)
    head = org.person("area_head")
    head.left_on = timezone.localdate()
    head.save()
    org.users["area_head"].refresh_from_db()
    assert not proposal.can_be_decided_by(org.users["area_head"])


def test_submitting_is_refused_when_nobody_can_decide(org):
    # The municipal manager proposes for the municipality itself: no area, and they cannot decide their own.
    draft = make_draft(org, proposer="municipal_manager", unit=org.municipality)
    with pytest.raises(services.ProposalError, match="Kukaan ei voi päättää"):
        services.submit(draft, actor=org.users["municipal_manager"])
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize("role", ["staff", "supervisor", "area_head", "municipal_manager", "ict_secretary", "outsider"])
def test_the_queue_holds_exactly_what_the_user_can_decide_now(org, role):
    proposals = [
        make_proposal(org, S.SUBMITTED),
        make_proposal(org, S.SUBMITTED, proposer=other_area_staff(org), unit=org.other_unit),
        make_proposal(org, S.SUBMITTED, proposer="area_head", name="Vastuualueen blogi"),
        make_proposal(org, S.DRAFT, name="Luonnos"),
        make_proposal(org, S.RETURNED, name="Palautettu"),
        make_proposal(org, S.APPROVED, name="Hyväksytty"),
    ]
    user = org.users[role]
    expected = {p.pk for p in proposals if p.can_be_decided_by(user)}
    assert set(Proposal.objects.awaiting(user).values_list("pk", flat=True)) == expected
    if role in ("staff", "supervisor", "ict_secretary", "outsider"):
        assert expected == set()


def test_the_queue_is_oldest_first_and_tells_the_age(org):
    newer = make_proposal(org, S.SUBMITTED, name="Uudempi")
    older = make_proposal(org, S.SUBMITTED, name="Vanhempi")
    Proposal.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=9))
    queue = list(Proposal.objects.awaiting(org.users["area_head"]))
    assert queue == [older, newer]
    assert queue[0].age_days == 9
    assert queue[1].age_days == 0


# --- Every transition ------------------------------------------------------------------------------------

ACTIONS = {
    "update": lambda proposal, user, org: services.update_draft(proposal, actor=user, fields={"goals": "Uudet"}),
    "submit": lambda proposal, user, org: services.submit(proposal, actor=user),
    "withdraw": lambda proposal, user, org: services.withdraw(proposal, actor=user, reason="Ei tarvita"),
    "return": lambda proposal, user, org: services.return_for_changes(proposal, actor=user, comment="Korjaa"),
    "approve": lambda proposal, user, org: services.approve(
        proposal, actor=user, responsible_person=org.person("supervisor"), goals="Tavoite"
    ),
    "reject": lambda proposal, user, org: services.reject(proposal, actor=user, reason="Ei tue strategiaa"),
}
# (state, action) -> the state after it; every other pair is refused.
ALLOWED = {
    (S.DRAFT, "update"): S.DRAFT,
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.DRAFT, "withdraw"): S.WITHDRAWN,
    (S.RETURNED, "update"): S.RETURNED,
    (S.RETURNED, "submit"): S.SUBMITTED,
    (S.RETURNED, "withdraw"): S.WITHDRAWN,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.SUBMITTED, "approve"): S.APPROVED,
    (S.SUBMITTED, "reject"): S.REJECTED,
}
PROPOSER_ACTIONS = {"update", "submit", "withdraw"}
EVENT_OF = {
    "submit": ProposalEventKind.SUBMITTED,
    "withdraw": ProposalEventKind.WITHDRAWN,
    "return": ProposalEventKind.RETURNED,
    "approve": ProposalEventKind.APPROVED,
    "reject": ProposalEventKind.REJECTED,
}


def _snapshot(proposal):
    proposal.refresh_from_db()
    return (proposal.status, proposal.goals, proposal.events.count(), Channel.objects.count())


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", list(S))
def test_every_transition_from_every_state(org, state, action, django_capture_on_commit_callbacks):
    proposal = make_proposal(org, state)
    actor = org.users["staff" if action in PROPOSER_ACTIONS else "area_head"]
    before = _snapshot(proposal)
    if (state, action) in ALLOWED:
        with django_capture_on_commit_callbacks(execute=True):
            ACTIONS[action](proposal, actor, org)
        proposal.refresh_from_db()
        assert proposal.status == ALLOWED[(state, action)]
        if action in EVENT_OF:
            event = proposal.events.last()
            assert (event.kind, event.actor) == (EVENT_OF[action], actor)
    else:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ProposalError) as refused:
            ACTIONS[action](proposal, actor, org)
        assert refused.value.code == "wrong_state"
        assert _snapshot(proposal) == before
        assert mail.outbox == []


ROLES = ["staff", "supervisor", "area_head", "municipal_manager", "ict_secretary", "outsider"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_every_allowed_transition_by_every_role(org, state, action, role):
    proposal = make_proposal(org, state)
    allowed_roles = {"staff"} if action in PROPOSER_ACTIONS else {"area_head", "municipal_manager"}
    before = _snapshot(proposal)
    if role in allowed_roles:
        ACTIONS[action](proposal, org.users[role], org)
        proposal.refresh_from_db()
        assert proposal.status == ALLOWED[(state, action)]
    elif role == "outsider":  # a login without a role: refused before anything else (core.access.require_role)
        with pytest.raises(PermissionDenied):
            ACTIONS[action](proposal, org.users[role], org)
        assert _snapshot(proposal) == before
    else:
        with pytest.raises(services.ProposalError) as refused:
            ACTIONS[action](proposal, org.users[role], org)
        assert refused.value.code == "not_allowed"
        assert _snapshot(proposal) == before


def test_a_login_without_a_person_cannot_draft(org):
    nobody = make_user("irrallinen", Role.STAFF)
    with pytest.raises(services.ProposalError, match="Vain henkilöstö"):
        services.create_draft(actor=nobody, fields={"platform": platform(), "name": "X"})
    assert not Proposal.objects.exists()


def test_a_person_proposes_only_for_their_own_unit_or_below(org):
    with pytest.raises(services.ProposalError) as refused:
        make_draft(org, unit=org.other_unit)
    assert "unit" in refused.value.message_dict
    assert not Proposal.objects.exists()


def test_a_draft_records_who_drafted_it_and_in_which_language(org):
    proposal = make_draft(org, language="en")
    assert (proposal.proposer, proposal.created_by, proposal.language) == (
        org.person("staff"),
        org.users["staff"],
        "en",
    )
    event = proposal.events.get()
    assert (event.kind, event.actor_name) == (ProposalEventKind.CREATED, "Teemu Tervo")


def test_editing_a_draft_replaces_maintainers_and_answers(org):
    proposal = make_draft(org)
    rule = PolicyRule.objects.for_proposals().first()
    services.update_draft(
        proposal,
        actor=org.users["staff"],
        fields={"name": "  Uusi nimi  "},
        maintainers=[{"person": org.person("supervisor"), "role": UpdateRole.MODERATOR, "weekly_hours": 2}],
        answers={rule.pk: (ChecklistAnswer.NOT_APPLICABLE, "Ei koske")},
    )
    proposal.refresh_from_db()
    assert proposal.name == "Uusi nimi"
    assert [(m.person, m.role) for m in proposal.maintainers.all()] == [(org.person("supervisor"), "moderator")]
    assert ProposalChecklistAnswer.objects.get(proposal=proposal, rule=rule).answer == ChecklistAnswer.NOT_APPLICABLE


def test_a_maintainer_named_twice_is_refused(org):
    twice = [{"person": org.person("staff"), "role": UpdateRole.EDITOR, "weekly_hours": 1}] * 2
    with pytest.raises(services.ProposalError, match="kahdesti"):
        make_draft(org, maintainers=twice)


def test_an_invalid_address_is_refused_with_the_normalisers_message(org):
    with pytest.raises(services.ProposalError) as refused:
        make_draft(org, address="https://www.youtube.com/@kirjasto")
    assert "address" in refused.value.message_dict
    assert not Proposal.objects.exists()
