"""Shared fixtures: one person per role plus an outsider, logged-in clients, and the browser."""

import dataclasses
import datetime
import json
import os
from pathlib import Path

import pytest
from django.utils import timezone

from channels.models import UnitKind
from core import organisation
from core.roles import Role
from tests.authorisation_factories import make_channel
from tests.factories import PASSWORD, make_person, make_unit, make_user

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told that this is deliberate (it is: the test owns the thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SUOMUSSALMI = json.loads(
    (Path(__file__).resolve().parents[1] / "guideline" / "data" / "suomussalmi_organisation.json").read_text("utf-8")
)

ROLE_KEYS = ["anonymous", "outsider", "staff", "supervisor", "area_head", "municipal_manager", "ict_secretary"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests serve static files from the finders (node_modules, static/), not a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The cache holds rate-limit counters and cached registry data: each test starts with an empty one.
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # The tests run as Suomussalmi's install, like the demo: its names and (made-up) contacts are the environment's
    # first values (tests of another organisation set their own). They are put in the cache as a warm portal has
    # them, so query counts measure the page, not the once-a-minute organisation lookup.
    settings.ORGANISATION = dict(SUOMUSSALMI)
    cache.set(organisation.CACHE_KEY, organisation.from_environment(), organisation.CACHE_SECONDS)
    # Each test starts in the portal's main language, whatever an earlier one activated (a request, or a
    # management command's @no_translations) left behind in this thread.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, plus Suomussalmi's 2016 guideline, which most tests read.

    A freshly migrated database holds no guideline (``manage.py load_guideline suomussalmi-2016`` loads it);
    this loads it once per session, as ``make run`` does. tests/test_guideline_loading.py checks the empty case.
    """
    from tests.guideline_factories import ensure_guideline_loaded

    with django_db_blocker.unblock():
        ensure_guideline_loaded()


@dataclasses.dataclass
class Org:
    """A small municipality: two responsibility areas with a service unit each, and their people."""

    municipality: object
    area: object
    unit: object
    other_area: object
    other_unit: object
    people: dict
    users: dict

    def person(self, role_key):
        return self.people[role_key]


@pytest.fixture
def org(db):
    municipality = make_unit("Testikunta", UnitKind.MUNICIPALITY)
    area = make_unit("Sivistyspalvelut", UnitKind.AREA, parent=municipality)
    unit = make_unit("Kirjastopalvelut", UnitKind.SERVICE_UNIT, parent=area)
    other_area = make_unit("Tekniset palvelut", UnitKind.AREA, parent=municipality)
    other_unit = make_unit("Ympäristöpalvelut", UnitKind.SERVICE_UNIT, parent=other_area)
    users = {
        "municipal_manager": make_user("kunnanjohtaja", Role.MUNICIPAL_MANAGER),
        "area_head": make_user("vastuualuejohtaja", Role.AREA_HEAD, Role.SUPERVISOR),
        "ict_secretary": make_user("ict", Role.ICT_SECRETARY),
        "supervisor": make_user("esihenkilo", Role.SUPERVISOR),
        "staff": make_user("tyontekija", Role.STAFF),
        "outsider": make_user("ulkopuolinen"),
    }
    people = {}
    people["municipal_manager"] = make_person("Maija", "Mäkelä", municipality, user=users["municipal_manager"])
    people["area_head"] = make_person(
        "Veera", "Väisänen", area, user=users["area_head"], supervisor=people["municipal_manager"]
    )
    area.head = people["area_head"]
    area.save(update_fields=["head"])
    people["ict_secretary"] = make_person("Ilkka", "Ikonen", other_unit, user=users["ict_secretary"])
    people["supervisor"] = make_person(
        "Sanna", "Saarinen", unit, user=users["supervisor"], supervisor=people["area_head"]
    )
    people["staff"] = make_person("Teemu", "Tervo", unit, user=users["staff"], supervisor=people["supervisor"])
    # The outsider has a login but no role and sits in another area with another supervisor.
    people["outsider"] = make_person("Olli", "Ulkonen", other_unit, user=users["outsider"])
    return Org(municipality, area, unit, other_area, other_unit, people, users)


@pytest.fixture
def ict(org):
    """The ICT secretary's user, who alone drafts and publishes guideline versions."""
    return org.users["ict_secretary"]


@pytest.fixture
def client_for(client, org):
    """``client_for("staff")`` returns the test client logged in as that role ("anonymous": logged out)."""

    def _client(role_key):
        client.logout()
        if role_key != "anonymous":
            client.force_login(org.users[role_key])
        return client

    return _client


# --- Browser tests -------------------------------------------------------------------------


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        # Never a silent skip: CI must fail when the browser tests cannot run.
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package (make setup does).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, password=PASSWORD):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()


# --- Authorisation tests' shared people and channel ---------------------------------------------------


@pytest.fixture
def facebook(org):
    return make_channel("Suomussalmen kunta", unit=org.municipality)


@pytest.fixture
def teemu(org):
    """The staff member, with a recorded commitment: only the authorisation is missing."""
    person = org.person("staff")
    person.commitment_signed_on = timezone.localdate() - 100 * datetime.timedelta(days=1)
    person.save(update_fields=["commitment_signed_on"])
    return person
