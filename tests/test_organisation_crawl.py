"""A second organisation's install names itself on every page and never Suomussalmi.

The install is configured only with ``ORGANISATION_NAME`` and ``ORGANISATION_NAME_GENITIVE`` (no record saved, no
Suomussalmi guideline or data). Each role, and a visitor who is not logged in, follows every link of the portal
it can reach from the home page; every page must carry the organisation's name in its title and header, and the
word "Suomussalmi" (in any form) must not appear anywhere.
"""

import re

import pytest
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace

from channels.models import Person
from core import organisation
from core.models import Organisation
from tests.crawl import assert_names_no_suomussalmi, crawl
from tests.matrix import ROLE_KEYS
from tests.registry_helpers import make_channel

# What each role reached when this test was written (a public page or tool lost from the links shows here).
MIN_PAGES = {
    "anonymous": 12,
    "outsider": 15,
    "staff": 18,
    "supervisor": 20,
    "area_head": 22,
    "municipal_manager": 28,
    "ict_secretary": 57,
}


@pytest.fixture
def esimerkkila(settings, org):
    from guideline.models import GuidelineSection, GuidelineVersion

    settings.ORGANISATION = {"name": "Esimerkkilän kaupunki", "name_genitive": "Esimerkkilän kaupungin"}
    Organisation.objects.all().delete()
    # A second organisation brings its own guideline; Suomussalmi's is not in its database.
    # (Published versions refuse deletion through the portal's querysets; a test may empty the table.)
    QuerySet.delete(GuidelineSection.objects.all())
    QuerySet.delete(GuidelineVersion.objects.filter(translation_of__isnull=False))
    QuerySet.delete(GuidelineVersion.objects.all())
    # The test factories' people have Suomussalmi's (made-up) e-mail domain.
    Person.objects.update(work_email=Replace("work_email", Value("suomussalmi"), Value("esimerkkila")))
    organisation.forget()
    make_channel(org.unit, name="Kirjaston Facebook", address="https://www.facebook.com/esimerkkila.kirjasto")
    return settings.ORGANISATION


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_no_page_names_suomussalmi_and_every_page_names_the_organisation(role, esimerkkila, client_for):
    pages = crawl(client_for(role))
    assert len(pages) >= MIN_PAGES[role], sorted(pages)  # the crawl reaches the role's pages
    assert_names_no_suomussalmi(pages, role)
    for path, response in pages.items():
        body = response.content.decode(errors="replace")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
            assert "Esimerkkilän kaupungin somepalvelut" in title, f"{path} ({role}): title {title!r}"
            assert 'class="navbar-brand"' in body and "Esimerkkilän kaupungin somepalvelut</a>" in body, path
