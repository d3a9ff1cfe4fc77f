"""A bilingual organisation's install in Swedish: every page the ICT secretary and a visitor can reach passes axe
(WCAG 2.1 A/AA) in Swedish, and says it is Swedish (``lang="sv"``)."""

import pytest
from django.conf import settings as django_settings

from somegov.settings import _configured_languages
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.crawl import crawl
from tests.registry_helpers import make_channel

pytestmark = pytest.mark.browser


@pytest.fixture
def bilingual(settings, org):
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    settings.ORGANISATION = {
        "name": "Esimerkkilän kaupunki",
        "name_genitive": "Esimerkkilän kaupungin",
        "name_sv": "Esimerkkilä stad",
        "accessibility_email": "saavutettavuus@esimerkkila.invalid",
        "registry_office_email": "kirjaamo@esimerkkila.invalid",
        "dpo_email": "tietosuoja@esimerkkila.invalid",
    }
    make_channel(org.unit, name="Kirjaston Facebook", address="https://www.facebook.com/esimerkkila.kirjasto")
    return settings


def _html_pages(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sv"
    return sorted(
        path
        for path, response in crawl(client).items()
        if response.status_code == 200 and "text/html" in response.get("Content-Type", "")
    )


@pytest.mark.parametrize("role", ["anonymous", "ict_secretary"])
def test_every_page_in_swedish_passes_axe(page, bilingual, client_for, role):
    paths = _html_pages(client_for(role))
    assert len(paths) >= (10 if role == "anonymous" else 40)
    if role == "ict_secretary":
        login(page, "ict")
    page.goto(f"{page.base_url}/")
    page.get_by_role("button", name="På svenska").click()
    for path in paths:
        page.goto(f"{page.base_url}{path}")
        assert page.locator("html").get_attribute("lang") == "sv", path
        assert_accessible(page)
