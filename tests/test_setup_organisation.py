"""Setting up a new install: ``manage.py setup_organisation`` (options or a TOML file) and the first-run page.

The command is tested from an empty database in another process, as a new install runs it, and then in this
process for idempotency and for each kind of bad input (a clear error, and nothing changed).
"""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from channels.models import Person, Platform, Unit
from core import organisation
from core.models import AuditEvent, Organisation
from core.roles import Role, has_role
from guideline.models import GuidelineVersion

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs"
PASSWORD = "Esimerkkilan-ensimmainen-2027"
SETUP_TOML = """
units = "yksikot.csv"
platforms = ["website", "facebook", "instagram"]
guideline = "suomussalmi-2016"

[organisation]
name = "Esimerkkilän kaupunki"
genitive = "Esimerkkilän kaupungin"
name_sv = "Esimerkkilä stad"
website = "https://www.esimerkkila.invalid/"

[ict_secretary]
username = "iida"
email = "iida.sihteeri@esimerkkila.invalid"
first_name = "Iida"
last_name = "Sihteeri"
"""


def _write(folder, toml=SETUP_TOML):
    shutil.copy(DOCS / "units-example.csv", folder / "yksikot.csv")
    path = folder / "setup.toml"
    path.write_text(toml, encoding="utf-8")
    return path


# --- From an empty database ------------------------------------------------------------------------------

LOGIN_AND_WORK = r"""
import io, re
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from channels.models import Unit
from guideline.models import GuidelineVersion

# Static files from the finders: this test collects none (production serves a collected manifest).
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()

client = Client()
response = client.post("/accounts/login/", {"username": "iida", "password": "%(password)s"})
print("login", response.status_code, response.headers.get("Location"))
print("units", client.get("/rekisteri/yksikot/tuonti/").status_code, Unit.objects.count())
upload = io.BytesIO("Yksikkö;Tyyppi;Ylempi yksikkö\nNuorisotila;Palveluyksikkö;Sivistyspalvelut\n".encode())
upload.name = "lisaa.csv"
preview = client.post("/rekisteri/yksikot/tuonti/", {"file": upload}).content.decode()
token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
confirmed = client.post("/rekisteri/yksikot/tuonti/vahvista/", {"token": token})
added = Unit.objects.filter(name="Nuorisotila", parent__name="Sivistyspalvelut")
print("import", confirmed.status_code, added.count())
guideline = client.get("/ohje/")
in_force = GuidelineVersion.objects.filter(status="published", is_translation=False)
print("guideline", guideline.status_code, in_force.count())
"""


def test_a_new_install_from_an_empty_database(tmp_path):
    """Migrate an empty SQLite database in another process, set it up from a TOML file, and work as its ICT
    secretary over HTTP: log in, import units, read the guideline in force."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "SECRET_KEY": "fresh-install-test",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "FIRST_PASSWORD": PASSWORD,
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def run(*args):
        done = subprocess.run(  # noqa: S603 - this project's manage.py with fixed arguments
            [*manage, *args], env=env, capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("migrate", "--no-input")
    setup_file = _write(tmp_path)
    output = run("setup_organisation", "--file", str(setup_file), "--password-env", "FIRST_PASSWORD")
    assert "Organisation: saved “Esimerkkilän kaupunki”." in output
    assert "Units: 9 added" in output
    assert "ICT secretary iida: login created, password set, ICT secretary role given" in output
    assert "Guideline: loaded" in output
    assert PASSWORD not in output and "/accounts/password/reset/" not in output
    again = run("setup_organisation", "--file", str(setup_file), "--password-env", "FIRST_PASSWORD")
    assert "nothing changed" in again and "Units: 0 added, 9 existed already" in again

    lines = dict(
        line.split(" ", 1)
        for line in run("shell", "--no-imports", "-c", LOGIN_AND_WORK % {"password": PASSWORD}).splitlines()
    )
    assert lines["login"] == "302 /"
    assert lines["units"] == "200 9"
    assert lines["import"] == "302 1"
    assert lines["guideline"] == "200 1"


# --- In this process: idempotent steps, the link, bad input ------------------------------------------------


def _run(*args, **env):
    out = StringIO()
    call_command("setup_organisation", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fresh(db, settings):
    """What a new install has (the test database keeps the 2016 guideline): no organisation, units or people."""
    Organisation.objects.all().delete()
    organisation.forget()
    settings.SITE_URL = "https://some.esimerkkila.invalid"
    assert not Unit.objects.exists()


def _snapshot():
    return (
        Organisation.objects.count(),
        Unit.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
        list(Platform.objects.filter(is_active=True).values_list("slug", flat=True)),
        GuidelineVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_options_set_up_and_a_new_login_gets_a_set_password_link(fresh, client):
    output = _run(
        "--name", "Esimerkkilän kaupunki", "--genitive", "Esimerkkilän kaupungin",
        "--units", str(DOCS / "units-example.csv"), "--platforms", "facebook,website",
        "--secretary-username", "iida", "--secretary-email", "iida@esimerkkila.invalid",
        "--secretary-first-name", "Iida", "--secretary-last-name", "Sihteeri",
    )  # fmt: skip
    user = get_user_model().objects.get(username="iida")
    assert has_role(user, Role.ICT_SECRETARY) and user.is_staff and not user.has_usable_password()
    assert user.person.unit == Unit.objects.get(parent=None)
    assert set(Platform.objects.filter(is_active=True).values_list("slug", flat=True)) == {"facebook", "website"}
    assert organisation.current().name == "Esimerkkilän kaupunki"
    link = re.search(r"https://some\.esimerkkila\.invalid(/accounts/password/reset/\S+)", output).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    assert "Set-up done: 4 step(s)." in output


def test_a_second_run_changes_nothing(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", PASSWORD)
    setup_file = _write(tmp_path, SETUP_TOML.replace('guideline = "suomussalmi-2016"\n', ""))
    _run("--file", str(setup_file), "--password-env", "FIRST_PASSWORD")
    before = _snapshot()
    output = _run("--file", str(setup_file), "--password-env", "FIRST_PASSWORD")
    assert _snapshot()[:-1] == before[:-1]
    assert "ICT secretary iida: set up already; nothing changed." in output
    assert "Units: 0 added, 9 existed already" in output
    assert get_user_model().objects.get(username="iida").check_password(PASSWORD)


def test_an_own_guideline_becomes_a_draft_once(fresh, tmp_path):
    path = tmp_path / "ohje.md"
    path.write_text("# Esimerkkilän somen ohje\n\n## 1. Johdanto\n\nTeksti.\n", encoding="utf-8")
    assert "as a draft" in _run("--guideline", str(path))
    assert GuidelineVersion.objects.get(status="draft").title == "Esimerkkilän somen ohje"
    assert "nothing changed" in _run("--guideline", str(path))


BAD = [
    ([], {}, "Nothing to set up"),
    (["--platforms", "facebook,myspace"], {}, "Unknown platform(s): myspace"),
    (["--guideline", "kuhmo-2020"], {}, "neither a bundled one"),
    (["--guideline", "/nowhere/ohje.md"], {}, "Cannot read the guideline"),
    (["--name", "Esimerkkilä", "--genitive", "Esimerkkilän", "--website", "ei osoite"], {}, "website"),
    (["--units", "/nowhere/yksikot.csv"], {}, "Cannot read the units file"),
    (["--secretary-username", "iida", "--password-env", "NOT_SET_ANYWHERE"], {}, "NOT_SET_ANYWHERE"),
    (["--secretary-username", "iida"], {}, "a new login needs email"),
]


@pytest.mark.parametrize(("args", "files", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_options_are_refused_and_change_nothing(fresh, args, files, message):
    before = _snapshot()
    with pytest.raises(CommandError, match=re.escape(message)):
        _run("--platforms", "facebook", *args) if args and args[0] == "--name" else _run(*args)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("toml", "units", "message"),
    [
        ("units = [", None, "not valid TOML"),
        ("colour = 'blue'\n", None, "Unknown key(s) in"),
        ("[organisation]\nnimi = 'x'\n", None, "Unknown key(s) in [organisation]: nimi"),
        ("platforms = 'facebook'\n", None, "must be a list"),
        ('units = "yksikot.csv"\n', "Yksikkö;Tyyppi;Ylempi yksikkö\nA;Kunta;\nB;Outo;A\n", "Rivi 3: Tuntematon tyyppi"),
        ('units = "yksikot.csv"\n', "Yksikkö;Tyyppi\nA;Kunta\n", "Sarake ”Ylempi yksikkö” puuttuu"),
    ],
    ids=["syntax", "unknown key", "unknown organisation key", "platforms not a list", "bad unit row", "no column"],
)
def test_bad_files_are_refused_and_change_nothing(fresh, tmp_path, toml, units, message):
    # The organisation first, so that a later failing step shows the whole run is rolled back.
    toml = toml if toml.startswith("[") else toml + '[organisation]\nname = "E"\ngenitive = "En"\n'
    (tmp_path / "setup.toml").write_text(toml, encoding="utf-8")
    if units:
        (tmp_path / "yksikot.csv").write_text(units, encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        _run("--file", str(tmp_path / "setup.toml"))
    assert "Nothing was changed." in str(refused.value)
    assert _snapshot() == before


def test_a_weak_password_is_refused(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "lyhyt")
    before = _snapshot()
    with pytest.raises(CommandError, match=r"salasana|password"):
        _run("--file", str(_write(tmp_path)), "--password-env", "FIRST_PASSWORD")
    assert _snapshot() == before


# --- First run in the browser --------------------------------------------------------------------------------


@pytest.fixture
def superuser(fresh):
    return get_user_model().objects.create_superuser("paakayttaja", "root@esimerkkila.invalid", "x")


def test_a_superuser_of_a_new_install_is_sent_to_the_first_run_steps(superuser, client):
    client.force_login(superuser)
    assert client.get(reverse("home")).url == reverse("first_run")
    page = client.get(reverse("first_run")).content.decode()
    assert "Käyttöönotto" in page
    for link in ["organisation", "channels:units_import", "guideline_import", "admin:channels_platform_changelist"]:
        assert f'href="{reverse(link)}"' in page
    assert "Ei vielä tallennettu" in page and "Ei vielä yksiköitä" in page


def test_the_steps_show_what_is_done(superuser, client, tmp_path, monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", PASSWORD)
    _run("--file", str(_write(tmp_path)), "--password-env", "FIRST_PASSWORD")
    client.force_login(superuser)
    page = client.get(reverse("first_run")).content.decode()
    assert page.count("Tehty") == 5, page
    # the organisation is saved now: the home page is the home page
    assert client.get(reverse("home")).status_code == 200


def test_a_superuser_saves_the_organisation_but_gets_no_other_portal_page(superuser, client):
    client.force_login(superuser)
    data = {"name": "Esimerkkilän kaupunki", "name_genitive": "Esimerkkilän kaupungin"}
    assert client.post(reverse("organisation"), data).status_code == 302
    assert Organisation.objects.get().name == "Esimerkkilän kaupunki"
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("people_roles")).status_code == 403


def test_a_superuser_imports_the_first_units_through_the_page(superuser, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(superuser)
    upload = SimpleUploadedFile("yksikot.csv", (DOCS / "units-example.csv").read_bytes())
    preview = client.post(reverse("channels:units_import"), {"file": upload})
    assert preview.status_code == 200 and preview.context["plan"].created == 9
    response = client.post(reverse("channels:units_import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 302 and Unit.objects.count() == 9
    assert AuditEvent.objects.filter(action="import", object_type="channels.Unit", actor=superuser).exists()


@pytest.mark.parametrize("role", ["ict_secretary", "staff", "anonymous", "outsider"])
def test_others_are_not_redirected(org, client_for, role):
    Organisation.objects.all().delete()
    organisation.forget()
    assert client_for(role).get(reverse("home")).status_code == 200
