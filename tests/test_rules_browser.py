"""The ICT secretary manages the policy rules in the browser, in Finnish: switches an automatic rule off with a
reason, then adds a rule a person attests. axe checks every page visited."""

import importlib
import re

import pytest
from django.apps import apps

from approvals.models import PolicyRule, RuleKind
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.guideline_factories import ensure_guideline_loaded
from tests.proposal_builders import ensure_seed_data

pytestmark = pytest.mark.browser


def _seed():
    """Platforms, rules and the guideline in force; a transactional test's flush removes them."""
    ensure_seed_data()
    if not PolicyRule.objects.filter(code="review-on-time").exists():
        importlib.import_module("approvals.migrations.0005_automatic_checks_and_review_rule").forwards(apps, None)
    ensure_guideline_loaded()


def test_the_ict_secretary_switches_a_rule_off_and_adds_one(page, org):
    _seed()
    rule = PolicyRule.objects.get(code="two-administrators")
    login(page, "ict")

    page.get_by_role("link", name="Säännöt", exact=True).click()
    assert page.locator("h1").inner_text() == "Säännöt"
    assert page.get_by_role("heading", name="Tarkistetaan rekisterin tiedoista").is_visible()
    assert page.get_by_role("heading", name="Henkilö vahvistaa").is_visible()
    assert_accessible(page)

    # Switch an automatic rule off: without a reason first, then with one.
    page.get_by_role("link", name=rule.title).click()
    page.wait_for_url(re.compile(rf"/saannot/{rule.pk}/$"))
    assert page.get_by_role("heading", name="Muutoshistoria").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kytke sääntö pois päältä").click()
    assert page.locator("h1").inner_text() == "Kytke sääntö pois päältä"
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista").click()
    assert page.locator(".invalid-feedback, .errorlist").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Perustelu").fill("Pienessä kunnassa yksi ylläpitäjä ja varahenkilö riittävät.")
    page.get_by_role("button", name="Vahvista").click()
    page.wait_for_url(re.compile(rf"/saannot/{rule.pk}/$"))
    assert page.get_by_text("Sääntö kytkettiin pois päältä.").is_visible()
    history = page.locator("section[aria-labelledby=history-heading]")
    assert "Pienessä kunnassa yksi ylläpitäjä" in history.inner_text()
    assert_accessible(page)
    rule.refresh_from_db()
    assert not rule.is_active

    # The list shows it switched off, with the reason.
    page.get_by_role("link", name="Säännöt", exact=True).first.click()
    row = page.locator("tr", has_text=rule.title)
    assert "pois päältä" in row.inner_text()
    assert "Pienessä kunnassa yksi ylläpitäjä" in row.inner_text()

    # Add a rule a person attests; a section the guideline lacks is refused with a clear message.
    page.get_by_role("link", name="Lisää henkilön vahvistama sääntö").click()
    assert_accessible(page)
    page.get_by_label("Sääntö (suomeksi)").fill("Kanavan kansikuvassa on kunnan tunnus")
    page.get_by_label("Ohjeen luvut").fill("5, 42")
    page.locator("#id_stage").select_option("ongoing")
    page.get_by_label("Perustelu").fill("Viestinnän linjaus 2026.")
    page.get_by_role("button", name="Tallenna").click()
    assert page.get_by_text("ei ole lukua 42").is_visible()
    assert_accessible(page)
    page.get_by_label("Ohjeen luvut").fill("5")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/saannot/\d+/$"))
    assert page.get_by_text("Sääntö lisättiin, ja se on käytössä.").is_visible()
    assert_accessible(page)
    added = PolicyRule.objects.get(title="Kanavan kansikuvassa on kunnan tunnus")
    assert added.kind == RuleKind.ATTESTED and added.is_active and added.sections == "5"
