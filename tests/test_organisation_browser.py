"""The ICT secretary names the organisation and gives it a logo, in Finnish, with axe finding no WCAG 2.1 A/AA
violation; residents then see the name and the logo."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from core.models import AuditAction, AuditEvent, Organisation
from tests.a11y import assert_accessible
from tests.conftest import login

pytestmark = pytest.mark.browser


def test_the_secretary_names_the_organisation_and_residents_see_it(page, org, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 120), (0, 53, 122, 255)).save(logo)
    login(page, "ict")
    page.get_by_role("navigation", name="Omat työkalut").get_by_role("link", name="Organisaatio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisaatio")
    expect(page.get_by_text("Nämä ovat palvelimen asetusten antamat alkuarvot.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Nimi*", exact=True).fill("Esimerkkilän kaupunki")
    page.get_by_label("Nimi genetiivissä*").fill("Esimerkkilän kaupungin")
    page.get_by_label("Verkkosivusto").fill("ei osoite")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Syötä oikea URL-osoite.")).to_be_visible()
    assert_accessible(page)
    assert not Organisation.objects.exists()

    page.get_by_label("Verkkosivusto").fill("https://www.esimerkkila.invalid/")
    page.get_by_label("Logo (vapaaehtoinen)").set_input_files(str(logo))
    page.get_by_role("button", name="Tallenna").click()
    expect(page.locator(".alert-success")).to_have_text("Organisaation tiedot tallennettiin.")
    expect(page).to_have_title("Organisaatio – Esimerkkilän kaupungin somepalvelut")
    assert_accessible(page)
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_type="core.Organisation").count() == 1

    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.goto(f"{page.base_url}/")
    brand = page.locator(".navbar-brand")
    expect(brand).to_have_text("Esimerkkilän kaupungin somepalvelut")
    expect(brand.locator("img.brand-logo")).to_have_attribute("alt", "")
    expect(page.get_by_role("link", name="Esimerkkilän kaupungin verkkosivusto")).to_have_attribute(
        "href", "https://www.esimerkkila.invalid/"
    )
    served = page.request.get(page.base_url + brand.locator("img").get_attribute("src"))
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.body())).size == (300, 120)
    assert_accessible(page)
