"""A fresh database holds no guideline; ``load_guideline`` loads the bundled one or imports an organisation's own.

The test database has Suomussalmi's 2016 guideline (conftest's ``django_db_setup`` loads it once, as ``make run``
does); ``no_guideline`` takes it away for a test, so each test here can start from what a fresh install has.
"""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from core.models import AuditAction, AuditEvent, AuditResult
from guideline import loading, services
from guideline.models import GuidelineAcknowledgement, GuidelineSection, GuidelineVersion
from tests.data.make_guideline_docx import TARGET as DOCX_FIXTURE
from tests.data.make_guideline_docx import docx_bytes
from tests.guideline_factories import publish_data

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "guideline" / "data"
GUIDELINE_MD = """# Esimerkkilän kaupungin sosiaalisen median ohje

Hyväksytty kaupunginhallituksessa.

## 1. Johdanto

Tämä ohje koskee **kaupungin** virallisia tilejä.

### Kenelle

Kaikille työntekijöille.

## 2. Palvelujen käyttöönotto

- esihenkilö hyväksyy
- ICT-sihteeri kirjaa

## Lähteet

Kuntaliiton ohjeet.
"""


def _run(*args, **options):
    """The command's output; ``CommandError`` propagates."""
    from io import StringIO

    out = StringIO()
    call_command("load_guideline", *args, stdout=out, **options)
    return out.getvalue()


def _snapshot():
    return (
        list(GuidelineVersion.objects.order_by("pk").values_list("pk", "status", "title")),
        GuidelineSection.objects.count(),
    )


@pytest.fixture
def no_guideline(db):
    """What a freshly migrated database has: no guideline (published rows are removed behind the model's back)."""
    GuidelineAcknowledgement.objects.all().delete()
    GuidelineSection.objects.all()._raw_delete(connection.alias)
    GuidelineVersion.objects.filter(is_translation=True)._raw_delete(connection.alias)
    GuidelineVersion.objects.all()._raw_delete(connection.alias)
    assert not GuidelineVersion.objects.exists()


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


# --- A fresh database ------------------------------------------------------------------------------------


def test_a_freshly_migrated_database_has_no_guideline_until_the_command_loads_it(tmp_path):
    """Migrate an empty SQLite database in another process, as a new install does, then load the guideline."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "SECRET_KEY": "fresh-database-test",
        "DEBUG": "false",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    count = (
        "from guideline.models import GuidelineVersion as V, GuidelineSection as S; "
        "print(V.objects.count(), S.objects.count())"
    )

    def run(*args):
        return subprocess.run(  # noqa: S603 - this project's manage.py with fixed arguments
            [*manage, *args], env=env, capture_output=True, text=True, check=True, timeout=300
        ).stdout.strip()

    run("migrate", "--no-input")
    assert run("shell", "--no-imports", "-c", count) == "0 0"
    assert "Loaded" in run("load_guideline", "suomussalmi-2016")
    versions, sections = run("shell", "--no-imports", "-c", count).split()
    assert versions == "2"
    fi = json.loads((DATA / "guideline_2016_fi.json").read_text(encoding="utf-8"))
    en = json.loads((DATA / "guideline_2016_en.json").read_text(encoding="utf-8"))
    assert int(sections) == len(fi["sections"]) + len(en["sections"])


def test_the_old_data_migration_loads_nothing_now(no_guideline):
    migration = importlib.import_module("somegov.migrations.0003_load_guideline_2016").Migration
    apps = MigrationLoader(connection).project_state().apps
    for operation in migration.operations:
        operation.code(apps, None)
        operation.reverse_code(apps, None)
    assert not GuidelineVersion.objects.exists()


# --- The bundled 2016 guideline ------------------------------------------------------------------------


def test_the_command_loads_the_2016_guideline_as_the_migration_did(no_guideline):
    output = _run("suomussalmi-2016")
    assert "Loaded" in output
    current = GuidelineVersion.objects.current()
    for language, version in [("fi", current), ("en", current.translations.get())]:
        doc = json.loads((DATA / f"guideline_2016_{language}.json").read_text(encoding="utf-8"))
        assert (version.title, version.label, version.language) == (
            doc["version"]["title"],
            doc["version"]["label"],
            language,
        )
        assert version.is_published and version.published_at == loading.BUNDLED["suomussalmi-2016"]["published_at"]
        loaded = list(version.sections.values_list("order", "number", "slug", "title", "body"))
        expected = [
            (order, s["number"], s["slug"], s["title"], s["body"]) for order, s in enumerate(doc["sections"], start=1)
        ]
        assert loaded == expected
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_id=str(current.pk)).exists()


def test_loading_the_2016_guideline_again_changes_nothing(no_guideline):
    _run("suomussalmi-2016")
    before = _snapshot()
    assert "nothing was changed" in _run("suomussalmi-2016")
    assert _snapshot() == before


def test_the_2016_guideline_is_not_loaded_over_another_guideline_in_force(no_guideline, ict, tmp_path):
    _run("--markdown", _write(tmp_path, "ohje.md", GUIDELINE_MD))
    draft = GuidelineVersion.objects.drafts().get()
    services.publish_version(
        ict, draft, **{**publish_data(), "approved_on": None, "title": draft.title, "note": "Oma ohje."}
    )
    before = _snapshot()
    with pytest.raises(CommandError, match="Voimassa on jo toinen ohje"):
        _run("suomussalmi-2016")
    assert _snapshot() == before


def test_an_unknown_data_set_is_refused(no_guideline):
    with pytest.raises(CommandError, match="suomussalmi-2016"):
        _run("tampere-2020")
    assert not GuidelineVersion.objects.exists()


# --- An organisation's own guideline -------------------------------------------------------------------


def test_a_markdown_guideline_becomes_a_draft_split_at_its_headings(no_guideline, tmp_path):
    output = _run("--markdown", _write(tmp_path, "ohje.md", GUIDELINE_MD), "--label", "Luonnos 1.3.2027")
    assert "as a draft with 4 sections" in output
    draft = GuidelineVersion.objects.get()
    assert draft.is_draft and draft.based_on is None and draft.created_by is None
    assert (draft.title, draft.label) == ("Esimerkkilän kaupungin sosiaalisen median ohje", "Luonnos 1.3.2027")
    sections = list(draft.sections.values_list("number", "slug", "title", "title_is_editorial"))
    assert sections == [
        ("", "johdanto", "Johdanto", True),
        ("1", "johdanto-2", "Johdanto", False),
        ("2", "palvelujen-kayttoonotto", "Palvelujen käyttöönotto", False),
        ("", "lahteet", "Lähteet", False),
    ]
    first = draft.sections.get(slug="johdanto-2")
    assert first.body == "Tämä ohje koskee **kaupungin** virallisia tilejä.\n\n### Kenelle\n\nKaikille työntekijöille."
    assert GuidelineVersion.objects.current() is None  # nothing is in force until the draft is published


def test_the_title_option_wins_over_the_files_own(no_guideline, tmp_path):
    _run("--markdown", _write(tmp_path, "ohje.md", "## 1. Yksi\n\nA.\n\n## 2. Kaksi\n\nB."), "--title", "Oma ohje")
    draft = GuidelineVersion.objects.get()
    assert draft.title == "Oma ohje"
    assert list(draft.sections.values_list("number", "title")) == [("1", "Yksi"), ("2", "Kaksi")]


def test_a_file_without_a_title_needs_the_title_option(no_guideline, tmp_path):
    with pytest.raises(CommandError, match="Anna ohjeelle otsikko"):
        _run("--markdown", _write(tmp_path, "ohje.md", "## 1. Yksi\n\nA.\n\n## 2. Kaksi\n\nB."))
    assert not GuidelineVersion.objects.exists()


def test_a_word_guideline_becomes_a_draft(no_guideline):
    _run("--docx", str(DOCX_FIXTURE))
    draft = GuidelineVersion.objects.get()
    assert draft.is_draft and draft.title == "Esimerkkilän kaupungin sosiaalisen median ohje"
    sections = {s.slug: s for s in draft.sections.all()}
    assert [(s.number, s.title) for s in sections.values()] == [
        ("1", "Johdanto"),
        ("2", "Palvelujen käyttöönotto"),
        ("", "Lähteet"),
    ]
    assert sections["johdanto"].body == "Tämä ohje koskee kaupungin virallisia tilejä.\n\n__Tärkeää__"
    assert sections["palvelujen-kayttoonotto"].body == "### Hyväksyntä\n\nUuden tilin hyväksyy esihenkilö."


def test_the_committed_word_fixture_is_what_its_script_writes():
    assert DOCX_FIXTURE.read_bytes() == docx_bytes()


def test_an_import_is_based_on_the_version_in_force_and_published_through_the_version_flow(ict, tmp_path):
    current = GuidelineVersion.objects.current()
    _run("--markdown", _write(tmp_path, "ohje.md", GUIDELINE_MD))
    draft = GuidelineVersion.objects.drafts().get()
    assert draft.based_on == current
    assert services.changes_of(draft).has_changes
    published = services.publish_version(ict, draft, **{**publish_data(), "approved_on": None, "title": draft.title})
    assert GuidelineVersion.objects.current() == published


@pytest.mark.parametrize(
    ("option", "name", "content", "message"),
    [
        ("--markdown", "tyhja.md", b"", "tyhjä"),
        ("--markdown", "tyhja.md", b"  \n\n ", "tyhjä"),
        ("--markdown", "latin1.md", "# Ohje\n\nÄäkkösiä".encode("latin-1"), "UTF-8"),
        ("--markdown", "binary.md", b"# Ohje\x00\x01", "UTF-8"),
        ("--markdown", "ei-otsikoita.md", "Pelkkää tekstiä.\n\nToinen kappale.".encode(), "ei ole otsikoita"),
        ("--docx", "ohje.docx", GUIDELINE_MD.encode(), "ei ole Word-asiakirja"),
        ("--docx", "ohje.docx", b"", "tyhjä"),
        ("--docx", "ohje.docx", b"PK\x03\x04broken", "ei ole Word-asiakirja"),
        ("--docx", "ei-otsikoita.docx", docx_bytes([(None, "Pelkkää tekstiä.", False)]), "ei ole otsikoita"),
    ],
)
def test_bad_files_are_refused_with_the_reason_and_change_nothing(tmp_path, option, name, content, message):
    before = _snapshot()
    with pytest.raises(CommandError, match=message):
        _run(option, _write(tmp_path, name, content))
    assert _snapshot() == before


def test_a_word_file_that_unpacks_to_a_lot_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (loading.MAX_DOCX_UNPACKED_BYTES + 1))
    with pytest.raises(loading.ImportRefused, match="purettuna liian suuri"):
        loading.markdown_from_docx(buffer.getvalue())


def test_a_missing_file_and_a_missing_source_are_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("--markdown", str(tmp_path / "ei-ole.md"))
    with pytest.raises(CommandError, match="Give either"):
        _run()
    with pytest.raises(CommandError, match="Give either"):
        _run("suomussalmi-2016", "--markdown", str(tmp_path / "x.md"))


def test_a_second_draft_is_refused(tmp_path):
    path = _write(tmp_path, "ohje.md", GUIDELINE_MD)
    _run("--markdown", path)
    before = _snapshot()
    with pytest.raises(CommandError, match="Luonnos on jo olemassa"):
        _run("--markdown", path)
    assert _snapshot() == before


# --- The import page ---------------------------------------------------------------------------------------


def _upload(client, name, content, **fields):
    return client.post(
        reverse("guideline_import"), {"file": SimpleUploadedFile(name, content), "title": "", "label": "", **fields}
    )


def test_the_ict_secretary_imports_a_markdown_file_and_lands_on_the_draft(client_for):
    client = client_for("ict_secretary")
    assert "Tuo ohje" in client.get(reverse("guideline_versions")).text
    response = _upload(client, "ohje.md", GUIDELINE_MD.encode(), label="Luonnos")
    draft = GuidelineVersion.objects.drafts().get()
    assert response.status_code == 302 and response["Location"] == reverse("guideline_draft", args=[draft.pk])
    assert draft.created_by.username == "ict" and draft.label == "Luonnos" and draft.sections.count() == 4
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, object_id=str(draft.pk))
    assert event.actor_name == "ict" and "ohje.md" in event.detail
    page = client.get(response["Location"])
    assert "Palvelujen käyttöönotto" in page.text


def test_the_ict_secretary_imports_a_word_file(client_for):
    response = _upload(client_for("ict_secretary"), "ohje.docx", DOCX_FIXTURE.read_bytes())
    assert response.status_code == 302
    assert GuidelineVersion.objects.drafts().get().sections.count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ohje.md", b"Ei otsikoita.", "ei ole otsikoita"),
        ("ohje.docx", b"PK\x03\x04rikki", "ei ole Word-asiakirja"),
        ("ohje.docx", GUIDELINE_MD.encode(), "ei ole Word-asiakirja"),
        ("ohje.md", b"\xff\xfe\x00#", "UTF-8"),
        ("ohje.pdf", b"%PDF-1.4", "Markdown- (.md) tai Word-tiedosto"),
        ("ohje.md", b"#" * (loading.MAX_UPLOAD_BYTES + 1), "liian suuri"),
    ],
)
def test_a_bad_file_gets_a_finnish_form_error_and_no_draft(client_for, name, content, message):
    response = _upload(client_for("ict_secretary"), name, content)
    assert response.status_code == 200
    assert message in response.text
    assert not GuidelineVersion.objects.drafts().exists()
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, result=AuditResult.REFUSED).exists()


def test_a_file_without_a_title_asks_for_one_on_the_form(client_for):
    response = _upload(client_for("ict_secretary"), "ohje.md", b"## 1. Yksi\n\nA.")
    assert response.status_code == 200 and "anna ohjeelle otsikko" in response.text
    assert not GuidelineVersion.objects.drafts().exists()


def test_the_import_page_sends_to_an_existing_draft(client_for, tmp_path):
    _run("--markdown", _write(tmp_path, "ohje.md", GUIDELINE_MD))
    draft = GuidelineVersion.objects.drafts().get()
    client = client_for("ict_secretary")
    assert "Jatka luonnoksen muokkaamista" in client.get(reverse("guideline_import")).text
    response = _upload(client, "ohje.md", GUIDELINE_MD.encode())
    assert response["Location"] == reverse("guideline_draft", args=[draft.pk])
    assert GuidelineVersion.objects.drafts().count() == 1


# --- Pages without a guideline ---------------------------------------------------------------------------


NO_GUIDELINE = "ei ole vielä tuonut"


@pytest.mark.parametrize("role", ["anonymous", "staff", "supervisor", "municipal_manager"])
def test_the_guideline_page_says_there_is_none_yet(no_guideline, client_for, role):
    response = client_for(role).get(reverse("guideline"))
    assert response.status_code == 200
    assert NO_GUIDELINE in response.text
    assert reverse("guideline_import") not in response.text


def test_the_ict_secretary_is_offered_the_import_without_a_guideline(no_guideline, client_for):
    client = client_for("ict_secretary")
    response = client.get(reverse("guideline"))
    assert response.status_code == 200 and reverse("guideline_import") in response.text
    versions = client.get(reverse("guideline_versions"))
    assert versions.status_code == 200 and NO_GUIDELINE in versions.text
    assert reverse("guideline_draft_start") not in versions.text  # nothing to copy a draft from
    assert client.get(reverse("guideline_acknowledgements")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_other_pages_work_without_a_guideline(no_guideline, client_for):
    client = client_for("staff")
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "guideline-ack-prompt" not in home.text
    assert client.get(reverse("guideline_versions")).status_code == 200


def test_an_imported_guideline_is_published_through_the_pages_on_a_fresh_install(no_guideline, client_for):
    client = client_for("ict_secretary")
    _upload(client, "ohje.md", GUIDELINE_MD.encode())
    draft = GuidelineVersion.objects.drafts().get()
    page = client.get(reverse("guideline_draft", args=[draft.pk]))
    assert page.status_code == 200
    assert reverse("guideline_draft_changes", args=[draft.pk]) not in page.text
    assert client.get(reverse("guideline_draft_preview", args=[draft.pk])).status_code == 200
    assert client.get(reverse("guideline_draft_publish", args=[draft.pk])).status_code == 200
    response = client.post(reverse("guideline_draft_publish", args=[draft.pk]), publish_data(title=draft.title))
    assert response.status_code == 302
    reading = client.get(reverse("guideline"))
    assert "Palvelujen käyttöönotto" in reading.text and NO_GUIDELINE not in reading.text


def test_the_demo_loads_the_2016_guideline_and_leaves_an_own_one_alone(no_guideline, ict, tmp_path):
    from somegov import demo

    version = demo.load_guideline()
    assert GuidelineVersion.objects.current() == version and version.translations.count() == 1
    assert demo.load_guideline() is None and GuidelineVersion.objects.count() == 2


@pytest.mark.parametrize("role", ["staff", "supervisor", "ict_secretary"])
def test_no_page_fails_without_a_guideline(no_guideline, client_for, org, role):
    """Every page without URL arguments (the permission matrix's rows) answers as it does with a guideline."""
    from tests.matrix import all_rows

    client = client_for(role)
    rows = {row.name: row for row in all_rows() if row.method == "GET" and row.args is None and not row.query}
    for name, row in rows.items():
        response = client.get(reverse(name))
        assert response.status_code == row.expect[role], f"{name}: {response.status_code}"
