"""The bilingual Esimerkkilä demo in a browser: its home page, then in Swedish the home page, the public directory
of its channels and the privacy notice, each naming the city and never Suomussalmi; axe finds nothing on them."""

import pytest
from django.db.models import QuerySet
from playwright.sync_api import expect

from core import organisation
from core.models import Organisation
from guideline.models import GuidelineSection, GuidelineVersion
from somegov import demo
from somegov.settings import _configured_languages
from tests.a11y import assert_accessible
from tests.crawl import FORBIDDEN
from tests.proposal_builders import ensure_seed_data

pytestmark = pytest.mark.browser


@pytest.fixture
def esimerkkila(settings, transactional_db):
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    ensure_seed_data()  # the demo needs the migrations' platforms and rules, which an earlier flush removed
    # A fresh database: the test database's Suomussalmi guideline is not Esimerkkilä's.
    QuerySet.delete(GuidelineSection.objects.all())
    QuerySet.delete(GuidelineVersion.objects.filter(translation_of__isnull=False))
    QuerySet.delete(GuidelineVersion.objects.all())
    Organisation.objects.all().delete()
    demo.load_all(demo.ESIMERKKILA)
    organisation.forget()


def _names_no_suomussalmi(page):
    assert not FORBIDDEN.search(page.content()), page.url


def test_the_esimerkkila_demo_in_finnish_and_swedish(page, esimerkkila):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "fi"
    expect(page.locator(".navbar-brand")).to_contain_text("Esimerkkilän kaupungin somepalvelut")
    _names_no_suomussalmi(page)
    assert_accessible(page)

    page.get_by_role("button", name="På svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(page.locator(".navbar-brand")).to_contain_text("Esimerkkilä stad")
    expect(page.get_by_text("För invånare").first).to_be_visible()
    _names_no_suomussalmi(page)
    assert_accessible(page)

    page.get_by_role("link", name="Officiella kanaler", exact=True).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Officiella kanaler i sociala medier")
    expect(page.get_by_role("link", name="Esimerkkilän kaupunki (demo)").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hallinto- ja viestintäpalvelut")
    _names_no_suomussalmi(page)
    assert_accessible(page)

    page.get_by_role("link", name="Dataskyddsbeskrivning", exact=True).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dataskyddsbeskrivning")
    expect(page.locator("main [lang=sv]")).to_contain_text("Esimerkkilä stads portal för sociala medier")
    _names_no_suomussalmi(page)
    assert_accessible(page)
