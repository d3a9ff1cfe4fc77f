"""Builders for channel proposals in tests: complete proposals driven to any state through the services."""

import importlib
from decimal import Decimal

from django.apps import apps

from approvals import proposal_services as services
from approvals.models import PolicyRule, ProposalStatus
from channels.models import Platform, UpdateRole
from core.roles import Role
from tests.authorisation_factories import give_publishing_basis
from tests.factories import make_person, make_user


def ensure_seed_data():
    """Platforms and policy rules come from data migrations; a transactional test's flush removes them."""
    if not Platform.objects.exists():
        importlib.import_module("channels.migrations.0003_seed_platforms").seed(apps, None)
    if not PolicyRule.objects.exists():
        importlib.import_module("approvals.migrations.0002_seed_policy_rules").load_rules(apps, None)


def platform(slug="instagram"):
    ensure_seed_data()
    return Platform.objects.get(slug=slug)


def complete_fields(org, **overrides):
    ensure_seed_data()
    fields = {
        "unit": org.unit,
        "platform": platform(),
        "name": "Kirjaston Instagram",
        "address": "",
        "purposes": ["information", "service_awareness"],
        "goals": "Tehdä kirjaston palvelut tunnetuiksi nuorille.",
        "target_audience": "Nuoret ja lapsiperheet",
        "strategy_support": "Kuntastrategian tavoite: elinvoimainen ja osallistava kunta.",
        "why_new_channel": "Kunnan Facebook-sivu ei tavoita nuoria.",
        "responsible_person": org.person("supervisor"),
        "holiday_cover_person": org.person("supervisor"),
        "holiday_cover_arrangement": "Esihenkilö seuraa tiliä kesälomien aikana.",
        "response_plan": "Ylläpitäjä vastaa viesteihin kuten muuhunkin palautteeseen.",
        "response_time": "Arkipäivisin yhden työpäivän kuluessa",
    }
    fields.update(overrides)
    return fields


def complete_answers():
    ensure_seed_data()
    return {rule.pk: ("met", "") for rule in PolicyRule.objects.for_proposals()}


def default_maintainers(org):
    return [
        {"person": org.person("staff"), "role": UpdateRole.EDITOR, "weekly_hours": Decimal("4")},
        {"person": org.person("supervisor"), "role": UpdateRole.ADMINISTRATOR, "weekly_hours": Decimal("1")},
    ]


def other_area_staff(org):
    """A member of staff in the other area's unit, to propose there (the outsider, who has no role, may not);
    added to ``org`` as ``"other_staff"``. Returns the key, for ``make_proposal(org, proposer=...)``."""
    if "other_staff" not in org.users:
        org.users["other_staff"] = make_user("toinen", Role.STAFF)
        org.people["other_staff"] = make_person("Toni", "Toivonen", org.other_unit, user=org.users["other_staff"])
    return "other_staff"


def make_draft(
    org, proposer="staff", maintainers=None, answers=None, language="fi", maintainers_authorised=True, **overrides
):
    """A complete draft. Its maintainers get their publishing basis (authorisation and commitment) unless
    ``maintainers_authorised=False``, so a decision on it can grant their rights."""
    maintainers = default_maintainers(org) if maintainers is None else maintainers
    if maintainers_authorised:
        give_publishing_basis(*(m["person"] for m in maintainers))
    return services.create_draft(
        actor=org.users[proposer],
        fields=complete_fields(org, **overrides),
        maintainers=maintainers,
        answers=complete_answers() if answers is None else answers,
        language=language,
    )


def make_proposal(org, status=ProposalStatus.SUBMITTED, proposer="staff", decider="area_head", **overrides):
    """A complete proposal by ``proposer`` in ``status``, reached through the services (so with events)."""
    proposal = make_draft(org, proposer=proposer, **overrides)
    actor = org.users[proposer]
    if status == ProposalStatus.DRAFT:
        return proposal
    if status == ProposalStatus.WITHDRAWN:
        return services.withdraw(proposal, actor=actor, reason="Ei tarvita")
    services.submit(proposal, actor=actor)
    if status == ProposalStatus.SUBMITTED:
        return _fresh(proposal)
    decider_user = org.users[decider]
    if status == ProposalStatus.RETURNED:
        services.return_for_changes(proposal, actor=decider_user, comment="Tarkenna tavoitteita.")
    elif status == ProposalStatus.APPROVED:
        services.approve(proposal, actor=decider_user, responsible_person=proposal.responsible_person, goals="Tavoite")
    elif status == ProposalStatus.REJECTED:
        services.reject(proposal, actor=decider_user, reason="Ei tue strategiaa.")
    return _fresh(proposal)


def _fresh(proposal):
    proposal.refresh_from_db()
    return proposal
