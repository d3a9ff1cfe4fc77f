"""Swedish as a third interface language: offered only when the organisation configures it (``LANGUAGES=fi,sv,en``),
and then a visitor who picks it, or whose browser asks for it, gets the public pages, the check's answers and the
API's messages in Swedish, the legal texts included."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import formats, translation

from channels.models import Person
from somegov.settings import _configured_languages
from tests.registry_helpers import make_channel

pytestmark = pytest.mark.django_db

SWEDISH_URL_CHECKS = {
    "home": ("För invånare", "Kontrollera om ett konto är officiellt", "Kuntalaisille"),
    "public:directory": ("Officiella kanaler i sociala medier", "Ladda ner förteckningen (CSV)", "Rajaa kanavia"),
    "public:verify": ("Är kontot officiellt?", "Kontrollera", "Onko tili virallinen?"),
}


@pytest.fixture
def bilingual(settings):
    """A bilingual municipality's install."""
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    settings.ORGANISATION = {
        "name": "Esimerkkilän kaupunki",
        "name_genitive": "Esimerkkilän kaupungin",
        "name_sv": "Esimerkkilä stad",
    }
    return settings


def _main(response):
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def _switcher(response):
    return response.text.split('class="language-switcher"', 1)[1].split("</form>", 1)[0]


def _pick(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("name", SWEDISH_URL_CHECKS)
def test_a_visitor_who_picks_swedish_gets_the_public_pages_in_swedish(client, bilingual, name):
    response = _pick(client, "sv").get(reverse(name))
    assert response.status_code == 200
    swedish, more_swedish, finnish = SWEDISH_URL_CHECKS[name]
    assert '<html lang="sv">' in response.text
    assert swedish in response.text and more_swedish in response.text
    assert finnish not in response.text


@pytest.mark.parametrize("name", SWEDISH_URL_CHECKS)
def test_a_browser_that_asks_for_swedish_gets_swedish(client, bilingual, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9,en;q=0.5")
    swedish, _more, finnish = SWEDISH_URL_CHECKS[name]
    assert '<html lang="sv">' in response.text and swedish in response.text and finnish not in response.text


def test_the_check_answers_in_swedish(client, bilingual, org):
    make_channel(org.unit, name="Kirjaston Facebook", address="https://www.facebook.com/suomussalmenkirjasto")
    client = _pick(client, "sv")
    official = client.get(reverse("public:verify"), {"address": "https://www.facebook.com/suomussalmenkirjasto"})
    assert "är Esimerkkilä stads officiella konto" in _main(official)
    unknown = client.get(reverse("public:verify"), {"address": "https://www.facebook.com/suomussalmi.fake"})
    assert "finns inte i registret över Esimerkkilä stads officiella konton" in _main(unknown)
    assert "Om du misstänker att ett konto är falskt" in _main(unknown)


def test_the_api_answers_errors_in_the_requests_language(client, bilingual):
    url = reverse("public:api_verify")
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").json()["error"]
    finnish = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").json()["error"]
    assert swedish["code"] == finnish["code"]
    assert swedish["message"] == "Ange adressen som ska kontrolleras i parametern address."
    assert finnish["message"] == "Anna tarkistettava osoite parametrissa address."


def test_the_switcher_offers_the_two_other_languages(client, bilingual):
    finnish = _switcher(client.get(reverse("home")))
    assert 'value="sv" lang="sv"' in finnish and "På svenska" in finnish
    assert 'value="en" lang="en"' in finnish and "In English" in finnish
    assert "Suomeksi" not in finnish
    swedish = _switcher(_pick(client, "sv").get(reverse("home")))
    assert "Suomeksi" in swedish and "In English" in swedish and "På svenska" not in swedish


def test_a_logged_in_person_who_picks_swedish_gets_swedish_email_language(client_for, bilingual, org):
    _pick(client_for("staff"), "sv")
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "sv"


LEGAL = {
    # page: (Swedish heading, a Swedish phrase, the Finnish heading)
    "privacy": ("Dataskyddsbeskrivning", "Personuppgiftsansvarig", "Tietosuojaseloste"),
    "accessibility": (
        "Tillgänglighetsutlåtande",
        "Transport- och kommunikationsverket Traficom",
        "Saavutettavuusseloste",
    ),
}


@pytest.mark.parametrize("name", LEGAL)
def test_a_swedish_visitor_gets_the_legal_texts_in_swedish(client, bilingual, name):
    swedish_heading, phrase, finnish_heading = LEGAL[name]
    response = _pick(client, "sv").get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    main = _main(response)
    assert '<div lang="sv">' in main and swedish_heading in main and phrase in main
    assert finnish_heading not in main


@pytest.mark.parametrize("name", LEGAL)
def test_a_finnish_visitor_of_a_bilingual_install_gets_the_legal_texts_in_finnish(client, bilingual, name):
    swedish_heading, _phrase, finnish_heading = LEGAL[name]
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="fi")
    assert '<html lang="fi">' in response.text
    main = _main(response)
    assert '<div lang="fi">' in main and finnish_heading in main and swedish_heading not in main


def test_the_swedish_legal_texts_name_the_organisation_in_swedish(client, bilingual):
    from core import organisation
    from core.models import Organisation

    Organisation(
        name="Esimerkkilän kaupunki",
        name_genitive="Esimerkkilän kaupungin",
        name_sv="Esimerkkilä stad",
        registry_office_email="kirjaamo@esimerkkila.invalid",
    ).save()
    organisation.forget()
    privacy = _main(_pick(client, "sv").get(reverse("privacy")))
    assert "Esimerkkilä stads portal för sociala medier" in privacy and "Esimerkkilä stad<br>" in privacy
    assert "kirjaamo@esimerkkila.invalid" in privacy and "Esimerkkilän" not in privacy


# --- Without Swedish in LANGUAGES (the default) ----------------------------------------------------------------


def test_by_default_swedish_is_not_offered(client, settings):
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "en"]
    switcher = _switcher(client.get(reverse("home")))
    assert "På svenska" not in switcher and 'value="sv"' not in switcher
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert '<html lang="fi">' in response.text and "Kuntalaisille" in response.text


def test_by_default_picking_swedish_is_refused(client, settings):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"}, follow=True)
    assert "django_language" not in client.cookies
    assert "Tuntematon kieli ”sv”. Valitse jokin näistä: suomi, englanti." in response.text


# --- The setting ---------------------------------------------------------------------------------------------


def test_the_setting_keeps_the_order_given():
    assert [code for code, _name in _configured_languages(["fi", "sv", "en"])] == ["fi", "sv", "en"]
    assert [code for code, _name in _configured_languages([" FI", "en "])] == ["fi", "en"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (["fi", "de"], "unknown language de; choose from fi, sv, en"),
        (["sv", "en"], "LANGUAGES must list fi"),
        (["fi", "sv", "fi"], "each language once"),
        ([], "LANGUAGES must list fi"),
    ],
)
def test_the_setting_refuses_what_the_portal_cannot_offer(value, says):
    with pytest.raises(ImproperlyConfigured, match="LANGUAGES") as error:
        _configured_languages(value)
    assert says in str(error.value)


def test_swedish_dates_are_written_as_in_finland():
    with translation.override("sv"):
        assert formats.date_format(datetime.date(2026, 11, 23)) == "23.11.2026"
        assert formats.date_format(datetime.datetime(2026, 11, 23, 14, 5), "DATETIME_FORMAT") == "23.11.2026 kl. 14.05"
