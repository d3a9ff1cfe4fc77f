"""A Swedish language version of the guideline in a browser (issue 19): the ICT secretary adds an equally
authoritative one from a copy of the version in force, translates a section and publishes it; a Swedish visitor
reads it on the guideline page. Axe checks each page."""

import re

import pytest

from somegov.settings import _configured_languages
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.guideline_factories import SECTION_3, ensure_guideline_loaded

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _bilingual(transactional_db, settings):
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    ensure_guideline_loaded()


def test_the_ict_secretary_publishes_a_swedish_version_and_a_swedish_visitor_reads_it(page, org):
    login(page, "ict")
    page.goto(page.base_url + "/ohje/versiot/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Lisää kieliversio: ruotsi", re.IGNORECASE)).click()
    assert_accessible(page)
    assert page.get_by_label("Kieli").input_value() == "sv"
    page.get_by_label("Yhtä velvoittava").check()
    page.get_by_label("Kopio osioista, käännetään täällä").check()
    page.get_by_role("button", name="Tee kieliversion luonnos").click()
    page.wait_for_url(re.compile(r".*/ohje/luonnos/\d+/$"))
    assert "Kieliversion luonnos" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Lisää osio loppuun").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Muokkaa 3. Palvelujen käyttöönotto").click()
    page.get_by_label("Otsikko").fill("Ibruktagande av tjänster")
    page.get_by_label("Teksti (Markdown)").fill("Beslut om att ta i bruk en tjänst fattas av kommundirektören.")
    page.get_by_role("button", name="Tallenna luonnokseen").click()
    assert "tallennettiin" in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Julkaise…").click()
    assert "Julkaise kieliversio" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_label("Otsikko").fill("Anvisningar för sociala medier")
    page.get_by_role("button", name="Julkaise", exact=True).click()
    assert "julkaistiin" in page.locator(".messages").inner_text()
    assert "Tämä kieliversio on yhtä velvoittava kuin suomenkielinen." in page.locator(".guideline-notice").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="På svenska").click()
    page.wait_for_load_state()
    page.goto(page.base_url + "/ohje/")
    assert page.locator("h1").inner_text() == "Anvisningar för sociala medier"
    notice = page.locator(".guideline-notice")
    assert "Denna språkversion är lika förpliktande som den finskspråkiga." in notice.inner_text()
    assert page.locator(f"#{SECTION_3}").get_by_role("heading").first.inner_text() == "3. Ibruktagande av tjänster"
    assert_accessible(page)
    notice.get_by_role("link", name="Läs den finskspråkiga texten").click()
    assert page.locator("h1").inner_text() == "Suomussalmen kunnan sosiaalisen median ohjeet"
    assert_accessible(page)
