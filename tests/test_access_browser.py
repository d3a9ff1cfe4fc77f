"""The ICT secretary's audit log and people-and-roles pages as the secretary meets them, in Finnish, with axe
finding no WCAG 2.1 A/AA violation."""

import pytest
from playwright.sync_api import expect

from core.models import AuditAction, AuditEvent
from core.roles import Role, roles_of
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_the_secretary_finds_a_person_page_view_in_the_audit_log(page, org):
    login(page, "esihenkilo")
    page.goto(f"{page.base_url}/rekisteri/henkilot/{org.person('staff').pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teemu Tervo")
    page.get_by_role("button", name="Kirjaudu ulos").click()

    login(page, "ict")
    page.get_by_role("navigation", name="Omat työkalut").get_by_role("link", name="Käyttöloki").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Käyttöloki")
    page.get_by_label("Toiminto").select_option(AuditAction.VIEW_PERSON.value)
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_text("1 merkintä löytyi")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Teemu Tervo")
    expect(row).to_contain_text("esihenkilo")
    assert_accessible(page)
    page.get_by_label("Alkaen").fill("2026-05-01")
    page.get_by_label("Päättyen").fill("2026-04-01")
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_text("Loppupäivä ei voi olla ennen alkupäivää.")).to_be_visible()
    assert_accessible(page)
    assert AuditEvent.objects.filter(action=AuditAction.READ_LOG, actor_name="ict").count() == 3


def test_the_secretary_gives_and_removes_roles(page, org):
    second = make_user("toinen-ict", Role.ICT_SECRETARY)
    login(page, "ict")
    page.get_by_role("navigation", name="Omat työkalut").get_by_role("link", name="Henkilöt ja roolit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Henkilöt ja roolit")
    expect(page.get_by_role("row").filter(has_text="ulkopuolinen")).to_contain_text("ei roolia")
    assert_accessible(page)

    page.get_by_role("link", name="tyontekija").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Käyttäjän tyontekija roolit")
    page.get_by_label("Esihenkilö").check()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna roolit").click()
    expect(page.locator(".alert-success")).to_have_text("Käyttäjän tyontekija roolit tallennettiin.")
    assert roles_of(org.users["staff"]) == [Role.SUPERVISOR, Role.STAFF]

    page.get_by_role("link", name="toinen-ict").click()
    page.get_by_label("ICT-sihteeri").uncheck()
    page.get_by_role("button", name="Tallenna roolit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poistetaanko ICT-sihteerin rooli?")
    assert_accessible(page)
    page.get_by_role("button", name="Poista rooli").click()
    expect(page.locator(".alert-success")).to_have_text("Käyttäjän toinen-ict roolit tallennettiin.")
    second.refresh_from_db()
    assert not second.groups.exists()

    page.get_by_role("link", name="ict", exact=True).click()
    expect(page.get_by_text("Kukaan ei voi antaa itselleen rooleja")).to_be_visible()
    page.get_by_label("Kunnanjohtaja").check()
    page.get_by_role("button", name="Tallenna roolit").click()
    expect(page.locator(".alert-danger, .alert-block").filter(has_text="Kukaan ei voi")).to_be_visible()
    assert_accessible(page)
