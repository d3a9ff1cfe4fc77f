"""The second demo organisation, the invented bilingual City of Esimerkkilä (``load_demo --organisation
esimerkkila``): it loads (twice too), names itself and never Suomussalmi on any page, publishes its own guideline,
and is never mixed with Suomussalmi's demo in one database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from channels.models import Channel, Person, Unit
from core import organisation
from core.models import Organisation
from guideline.models import GuidelineAcknowledgement, GuidelineSection, GuidelineVersion
from somegov import demo
from somegov.settings import _configured_languages
from tests.crawl import assert_names_no_suomussalmi, crawl


@pytest.fixture
def empty(db, settings):
    """A database as a fresh install has it: no guideline (the test database has Suomussalmi's), no organisation."""
    settings.DEBUG = True
    GuidelineAcknowledgement.objects.all().delete()
    GuidelineSection.objects.all()._raw_delete(connection.alias)
    GuidelineVersion.objects.filter(is_translation=True)._raw_delete(connection.alias)
    GuidelineVersion.objects.all()._raw_delete(connection.alias)
    Organisation.objects.all().delete()
    organisation.forget()


@pytest.fixture
def esimerkkila(empty):
    call_command("load_demo", "--organisation", "esimerkkila", "--quiet")
    return demo.ESIMERKKILA


def _counts():
    return (Unit.objects.count(), Person.objects.count(), Channel.objects.count(), GuidelineVersion.objects.count())


def test_the_esimerkkila_demo_loads_twice_with_its_own_names_and_guideline(esimerkkila, capsys):
    first = _counts()
    call_command("load_demo", "--organisation", "esimerkkila")
    assert _counts() == first
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out and "Esimerkkilän kaupunki" in out
    for username, *_ in demo.DEMO_USERS:  # the same logins as Suomussalmi's demo
        assert username in out
        assert get_user_model().objects.get(username=username).check_password(demo.DEMO_PASSWORD)
    record = Organisation.objects.get()
    assert (record.name, record.name_sv, record.name_en, record.short_name) == (
        "Esimerkkilän kaupunki",
        "Esimerkkilä stad",
        "City of Esimerkkilä",
        "Esimerkkilä",
    )
    assert Unit.objects.get(parent=None).name == "Esimerkkilän kaupunki"
    assert Unit.objects.filter(name="Konsernipalvelut").exists()
    current = GuidelineVersion.objects.current()
    assert current.title == "Esimerkkilän kaupungin sosiaalisen median ohje"
    assert current.published_by.username == "ict-sihteeri"
    assert [s.title for s in current.sections.all()] == [
        "Johdanto",
        "Palvelujen käyttöönotto",
        "Vastuut",
        "Lomat ja sijaisuudet",
        "Linkitys kaupungin verkkosivuilta",
    ]
    for channel in Channel.objects.all():
        assert "suomussalm" not in f"{channel.name} {channel.address} {channel.goals}".lower()
    for email in Person.objects.values_list("work_email", flat=True):
        assert email.endswith("@esimerkkila.invalid")


@pytest.mark.parametrize("who", ["anonymous", "ict-sihteeri", "kunnanjohtaja"])
def test_no_page_of_the_esimerkkila_demo_names_suomussalmi(esimerkkila, client, who):
    if who != "anonymous":
        client.force_login(get_user_model().objects.get(username=who))
    pages = crawl(client)
    assert len(pages) >= (12 if who == "anonymous" else 25), sorted(pages)
    assert_names_no_suomussalmi(pages, who)
    home = pages["/"].content.decode()
    assert "Esimerkkilän kaupungin somepalvelut" in home


def test_no_swedish_page_of_the_esimerkkila_demo_names_suomussalmi(esimerkkila, client, settings):
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    pages = crawl(client)
    assert len(pages) >= 12, sorted(pages)
    assert_names_no_suomussalmi(pages, "anonymous, in Swedish")
    home = pages["/"].content.decode()
    assert '<html lang="sv">' in home and "Esimerkkilä stads portal för sociala medier" in home


def test_the_esimerkkila_demo_is_not_loaded_over_suomussalmis(empty):
    call_command("load_demo", "--quiet")
    counts = _counts()
    with pytest.raises(CommandError, match="holds the Suomussalmi demo"):
        call_command("load_demo", "--organisation", "esimerkkila", "--quiet")
    assert _counts() == counts and not Unit.objects.filter(name="Esimerkkilän kaupunki").exists()


def test_suomussalmis_demo_is_not_loaded_over_esimerkkilas(esimerkkila):
    counts = _counts()
    with pytest.raises(CommandError, match="holds the Esimerkkilä demo"):
        call_command("load_demo", "--quiet")
    assert _counts() == counts and not Unit.objects.filter(name="Suomussalmen kunta").exists()


def test_the_esimerkkila_demo_is_not_loaded_beside_suomussalmis_guideline(db, settings):
    """The test database holds Suomussalmi's 2016 guideline, as ``make run`` leaves it."""
    settings.DEBUG = True
    with pytest.raises(CommandError, match="holds the Suomussalmi demo"):
        call_command("load_demo", "--organisation", "esimerkkila", "--quiet")
