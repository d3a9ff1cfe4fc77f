"""SECURITY.md's promises that no other module held through HTTP: object-level checks as a user meets them, and no
password of a social media account anywhere in the portal."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from approvals.models import Authorisation, ProposalStatus
from tests.proposal_builders import make_proposal, other_area_staff

pytestmark = pytest.mark.django_db

S = ProposalStatus


def _approve(client, proposal, org):
    return client.post(
        reverse("approvals:proposal_approve", args=[proposal.pk]),
        {"responsible_person": org.person("supervisor").pk, "goals": "Tavoite", "confirm": "on"},
    )


def test_a_supervisor_cannot_authorise_someone_outside_their_line_through_the_page(org, client_for):
    stranger = org.people[other_area_staff(org)]
    response = client_for("supervisor").post(
        reverse("approvals:authorisation_grant", args=[stranger.pk]),
        {"scope": "all", "valid_from": timezone.localdate().isoformat()},
    )
    assert response.status_code in (403, 404)
    assert not Authorisation.objects.filter(person=stranger).exists()


def test_a_head_of_area_cannot_approve_a_proposal_of_another_area_through_the_page(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED, proposer=other_area_staff(org), unit=org.other_unit)
    response = _approve(client_for("area_head"), proposal, org)
    assert response.status_code in (302, 403, 404)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_nobody_approves_their_own_proposal_through_the_page(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED, proposer="area_head")
    response = _approve(client_for("area_head"), proposal, org)
    assert response.status_code in (302, 403, 404)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


PASSWORD_WORDS = ("password", "passwd", "salasana", "secret", "credential_value", "pin_code")


def test_no_model_keeps_a_password_for_a_social_media_account():
    """Only Django's own login keeps a password (its hash); the registry keeps where the credentials are."""
    found = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"channels", "approvals", "guideline", "core", "somegov"}
        for field in model._meta.get_fields()
        if any(word in field.name.lower() for word in PASSWORD_WORDS)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("role", "name"),
    [("ict_secretary", "channels:channel_create"), ("staff", "approvals:proposal_create")],
)
def test_the_registry_and_proposal_forms_offer_no_password_field(org, client_for, role, name):
    page = client_for(role).get(reverse(name)).content.decode()
    assert 'type="password"' not in page
    assert "credentials_location" in page or name == "approvals:proposal_create"


def _promise_rows():
    text = (Path(settings.BASE_DIR) / "SECURITY.md").read_text(encoding="utf-8")
    table = text.split("## What the portal promises", 1)[1].split("\n\n", 2)[1]
    return [line for line in table.splitlines() if line.startswith("| **")]


def test_every_promise_names_the_tests_that_hold_it_and_they_exist():
    rows = _promise_rows()
    assert len(rows) >= 15
    for row in rows:
        promise = row.split("**")[1]
        named = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", row.rsplit(" | ", 1)[-1])
        assert named, f"SECURITY.md: “{promise}” names no test (file::test)"
        for path, name in named:
            source = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{path}::{name} does not exist"
