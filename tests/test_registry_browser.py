"""The ICT secretary keeps the registry in the browser: adds a channel, grants and revokes a right, pauses the
channel and imports a spreadsheet, in Finnish, with axe finding nothing on any page; the list and the channel
page also in English."""

import re

import pytest
from playwright.sync_api import expect

from channels.models import Channel, ChannelStatus, UpdateRight
from tests.a11y import assert_accessible
from tests.authorisation_factories import give_publishing_basis
from tests.conftest import login
from tests.registry_helpers import ensure_platforms, make_channel, make_right

pytestmark = pytest.mark.browser


def field(page, label):
    """The form field labelled ``label`` (crispy forms adds an asterisk to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


@pytest.fixture
def registry(org):
    ensure_platforms()
    channel = make_channel(org.unit, name="Kirjaston Facebook", address="facebook.com/kirjasto.demo")
    make_right(channel, org.people["supervisor"])
    # Teemu gets a right in the journey: he holds the authorisation and commitment it needs (§3, §5).
    give_publishing_basis(org.people["staff"], org.people["supervisor"])
    return org


def test_the_secretary_adds_a_channel_grants_and_revokes_a_right(page, registry):
    login(page, "ict")
    page.get_by_role("link", name="Kanavarekisteri").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kanavarekisteri")
    assert_accessible(page)

    page.get_by_role("link", name="Lisää kanava").click()
    assert_accessible(page)
    field(page, "Palvelu").select_option(label="Instagram")
    field(page, "Nimi").fill("Kirjaston Instagram")
    field(page, "Osoite").fill("https://m.facebook.com/Kirjasto.Demo/?ref=x")
    field(page, "Omistava yksikkö").select_option(label="Kirjastopalvelut")
    page.get_by_label("tiedon jakaminen").check()
    page.get_by_role("button", name="Lisää kanava").click()
    # A Facebook address on Instagram: refused with a message, and the page stays accessible.
    expect(page.locator(".invalid-feedback").first).to_contain_text("Facebook")
    assert_accessible(page)
    field(page, "Osoite").fill("@kirjasto.demo")
    page.get_by_role("button", name="Lisää kanava").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirjaston Instagram")
    expect(page.locator("main")).to_contain_text("Ei ylläpitäjää")
    assert_accessible(page)

    page.get_by_role("link", name="Myönnä päivitysoikeus").click()
    assert_accessible(page)
    field(page, "Henkilö").select_option(label="Teemu Tervo (Kirjastopalvelut)")
    field(page, "Rooli palvelussa").select_option(label="ylläpitäjä")
    field(page, "Työaika (tuntia viikossa)").fill("2")
    page.get_by_role("button", name="Myönnä oikeus").click()
    expect(page.locator(".messages")).to_contain_text("Teemu Tervo")
    assert_accessible(page)
    channel = Channel.objects.get(name="Kirjaston Instagram")
    assert UpdateRight.objects.current().get(channel=channel).person.full_name == "Teemu Tervo"

    page.get_by_role("link", name="Peru henkilön Teemu Tervo oikeus").click()
    assert_accessible(page)
    field(page, "Perustelu").fill("Siirtyi muihin tehtäviin")
    page.get_by_role("button", name="Peru oikeus").click()
    expect(page.locator(".messages")).to_contain_text("peruttiin")
    page.locator("summary").click()
    expect(page.locator("main")).to_contain_text("Siirtyi muihin tehtäviin")
    assert_accessible(page)
    assert not UpdateRight.objects.current().filter(channel=channel).exists()

    page.get_by_role("link", name="Keskeytä").click()
    assert_accessible(page)
    field(page, "Perustelu").fill("Kesätauko")
    page.get_by_role("button", name="Vahvista").click()
    expect(page.locator(".lead")).to_contain_text("Tauolla")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.PAUSED

    page.locator("summary").click()  # the revoked rights, with links to their holders
    page.get_by_role("link", name="Teemu Tervo").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teemu Tervo")
    assert_accessible(page)


def test_the_secretary_imports_a_spreadsheet(page, registry):
    login(page, "ict")
    page.goto(page.base_url + "/rekisteri/")
    page.get_by_role("link", name="Tuo taulukosta").click()
    assert_accessible(page)

    bad = "Palvelu;Nimi;Osoite;Yksikkö\nMyspace;Vanha;myspace.com/x;Kirjastopalvelut\n"
    field(page, "Taulukko (CSV tai XLSX)").set_input_files(
        files=[{"name": "kanavat.csv", "mimeType": "text/csv", "buffer": bad.encode("cp1252")}]
    )
    page.get_by_role("button", name="Esikatsele tuonti").click()
    expect(page.get_by_role("alert")).to_contain_text("Mitään ei tallennettu")
    expect(page.locator(".import-errors")).to_contain_text("Myspace")
    assert_accessible(page)

    page.get_by_role("link", name="Tuo kanavat taulukosta").click()
    good = (
        "Palvelu;Nimi;Osoite;Yksikkö;Vastuuhenkilö;Tila\n"
        "Instagram;Ympäristön Instagram;@ymparisto.demo;Ympäristöpalvelut;Teemu Tervo;Aktiivinen\n"
        "Facebook;Kirjaston Facebook-sivu;https://www.facebook.com/kirjasto.demo;Kirjastopalvelut;;Aktiivinen\n"
    )
    field(page, "Taulukko (CSV tai XLSX)").set_input_files(
        files=[{"name": "kanavat.csv", "mimeType": "text/csv", "buffer": good.encode("cp1252")}]
    )
    page.get_by_role("button", name="Esikatsele tuonti").click()
    expect(page.locator("main")).to_contain_text("Tuonti lisää 1 kanavaa ja muuttaa 1")
    expect(page.locator("main")).to_contain_text("Nimi: Kirjaston Facebook → Kirjaston Facebook-sivu")
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista tuonti").click()
    expect(page.locator(".messages")).to_contain_text("1 kanavaa lisätty, 1 muutettu")
    expect(page.get_by_role("link", name="Ympäristön Instagram")).to_be_visible()
    assert_accessible(page)
    assert Channel.objects.get(name="Ympäristön Instagram").owner_unit.name == "Ympäristöpalvelut"


def test_a_reader_sees_the_registry_without_change_buttons_in_english(page, registry):
    login(page, "tyontekija")
    page.get_by_role("link", name="Kanavarekisteri").click()
    expect(page.get_by_role("link", name="Lisää kanava")).to_have_count(0)
    field(page, "Puutteet").select_option(label="Puutteellinen")
    page.get_by_role("button", name="Hae", exact=True).click()
    assert re.search(r"problems=any", page.url)
    assert_accessible(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Channel registry")
    assert_accessible(page)
    page.get_by_role("link", name="Kirjaston Facebook").click()
    expect(page.get_by_role("heading", name="Problems")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    assert_accessible(page)
