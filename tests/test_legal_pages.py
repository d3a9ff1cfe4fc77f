"""The accessibility statement (306/2019) and the privacy notice (GDPR art. 13), in Finnish and English."""

import datetime
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _main(response):
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def _assert_nothing_external_is_loaded(text):
    # Links to other sites are fine; nothing may be *loaded* from another host.
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)[^>]+(src|href)=\"(https?:)?//", text)


STATEMENT_FI = [
    "Saavutettavuusseloste",
    "täyttää saavutettavuusvaatimukset <strong>osittain</strong>",
    "WCAG 2.1",
    "306/2019",
    "itsearvi",
    "axe-core",
    "Ruudunlukijoilla",
    "Ylläpitonäkymä",
    "PDF-asiakirjasta",
    "epävirallinen lukuapu",
    "Saatko sisällön muussa muodossa?",
    "hallintopalvelujen ICT-sihteeri",
    "14 päivän kuluessa",
    "Liikenne- ja viestintävirasto Traficom",
    "1.1.2025",
    "www.saavutettavuusvaatimukset.fi",
    "saavutettavuus@traficom.fi",
    "029 534 5000",
    "Seloste on laadittu 25.11.2026.",
    "Seloste on viimeksi tarkistettu 25.11.2026.",
    "vuosittain",
]
STATEMENT_EN = [
    "Accessibility statement",
    "<strong>partially</strong> meets the accessibility requirements",
    "WCAG 2.1",
    "306/2019",
    "self-assessment",
    "screen readers",
    "Administration view",
    "PDF document",
    "unofficial reading aid",
    "Getting the content in another form",
    "ICT secretary of administrative services",
    "within 14 days",
    "Finnish Transport and Communications Agency Traficom",
    "1 January 2025",
    "saavutettavuusvaatimukset.fi",
    "saavutettavuus@traficom.fi",
    "+358 29 534 5000",
    "prepared on 25.11.2026",
    "last reviewed on 25.11.2026",
    "every year",
]


def test_the_statement_in_finnish_says_everything_the_law_asks(client):
    response = client.get(reverse("accessibility"))
    main = _main(response)
    for phrase in STATEMENT_FI:
        assert phrase in main, phrase
    assert reverse("accessibility_feedback") in main
    assert "mailto:ict-sihteeri@suomussalmi.invalid" in main
    _assert_nothing_external_is_loaded(response.text)


def test_the_statement_in_english_says_the_same(client):
    response = _english(client).get(reverse("accessibility"))
    assert '<html lang="en">' in response.text
    main = _main(response)
    for phrase in STATEMENT_EN:
        assert phrase in main, phrase
    assert reverse("accessibility_feedback") in main
    _assert_nothing_external_is_loaded(response.text)


def test_the_statement_dates_and_contact_come_from_settings(client, settings):
    settings.ACCESSIBILITY_STATEMENT_REVIEWED_ON = datetime.date(2027, 11, 20)
    settings.ORGANISATION = {**settings.ORGANISATION, "accessibility_email": "saavutettavuus@suomussalmi.fi"}
    main = _main(client.get(reverse("accessibility")))
    assert "viimeksi tarkistettu 20.11.2027" in main
    assert "mailto:saavutettavuus@suomussalmi.fi" in main


PRIVACY_FI = [
    "Tietosuojaseloste",
    "13 ja 14 artiklan",
    "Suomussalmen kunta",
    "Tietosuojavastaava",
    "tietosuoja@suomussalmi.invalid",
    "6 artiklan 1 kohdan e alakohta",
    "kuntalakiin (410/2015)",
    "Käsittely ei perustu suostumukseen.",
    "759/2004",
    "työsähköposti ja työpuhelin",
    "Tietoja ei luovuteta säännönmukaisesti.",
    "ei henkilötietoja",
    "säilytetään 2 vuotta palvelussuhteen päättymisestä",
    "Lokitiedot säilytetään 2 vuotta.",
    "Oikeus saada pääsy tietoihisi",
    "oikaisua",
    "rajoittamista",
    "vastustaa",
    "ei ole oikeutta vaatia tietojen poistamista",
    "tietosuojavaltuutettu",
    "tietosuoja.fi",
    "tietosuoja@om.fi",
]
PRIVACY_EN = [
    "Privacy notice",
    "Articles 13 and 14",
    'Suomussalmi municipality (<span lang="fi">Suomussalmen kunta</span>)',
    "Data protection officer",
    "tietosuoja@suomussalmi.invalid",
    "Article 6(1)(e)",
    "Local Government Act (410/2015)",
    "The processing is not based on consent.",
    "work e-mail and work phone",
    "Data is not disclosed regularly.",
    "no personal data",
    "kept for 2 years after the end of employment",
    "Logs are kept for 2 years.",
    "right of access",
    "rectified",
    "restriction",
    "object",
    "no right to have the data erased",
    "Data Protection Ombudsman",
    "tietosuoja.fi",
]


def test_the_privacy_notice_in_finnish_covers_article_13(client):
    response = client.get(reverse("privacy"))
    main = _main(response)
    for phrase in PRIVACY_FI:
        assert phrase in main, phrase
    _assert_nothing_external_is_loaded(response.text)


def test_the_privacy_notice_in_english_says_the_same(client):
    main = _main(_english(client).get(reverse("privacy")))
    for phrase in PRIVACY_EN:
        assert phrase in main, phrase
    assert '<span lang="fi">tietosuojavaltuutettu</span>' in main


def test_retention_periods_and_contacts_come_from_settings(client, settings):
    settings.RETENTION_LEFT_STAFF_YEARS = 3
    settings.AUDIT_RETENTION_DAYS = 5 * 365
    settings.ORGANISATION = {**settings.ORGANISATION, "dpo_email": "tietosuojavastaava@suomussalmi.fi"}
    main = _main(client.get(reverse("privacy")))
    assert "säilytetään 3 vuotta palvelussuhteen päättymisestä" in main
    assert "Lokitiedot säilytetään 5 vuotta." in main
    assert "mailto:tietosuojavastaava@suomussalmi.fi" in main


def test_the_notice_states_the_log_period_that_purge_audit_log_applies(client, settings):
    settings.AUDIT_RETENTION_DAYS = 400  # not whole years: told in days, never rounded
    assert "Lokitiedot säilytetään 400 päivää." in _main(client.get(reverse("privacy")))
    assert "Logs are kept for 400 days." in _main(_english(client).get(reverse("privacy")))


@pytest.mark.parametrize("name", ["accessibility", "privacy", "accessibility_feedback", "guideline"])
def test_every_new_public_page_has_one_h1(client, name):
    assert _main(client.get(reverse(name))).count("<h1") == 1
