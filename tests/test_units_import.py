"""The organisation's units from a spreadsheet: the whole file is checked first, errors are given by row, the units
are added parents first in one transaction, and importing the same file again adds nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from channels.models import RegistryVersion, Unit, UnitKind
from channels.transfer import reading, units
from core.models import AuditAction, AuditEvent, AuditResult

pytestmark = pytest.mark.django_db

HEADER = "Yksikkö;Tyyppi;Ylempi yksikkö\n"
FULL = HEADER + (
    # children before their parents: the import orders them
    "Viestintä;Palveluyksikkö;Hallintopalvelut\n"
    "Hallintopalvelut;Vastuualue;Esimerkkilän kaupunki\n"
    "Esimerkkilän kaupunki;Kunta;\n"
    "Esimerkkilän Vesi Oy;group_entity;Esimerkkilän kaupunki\n"
)


def _rows(text, name="yksikot.csv"):
    errors, rows = units.rows_of(reading.read_table(name, text.encode("utf-8")))
    return rows, errors


def _plan(text):
    rows, errors = _rows(text)
    return units.plan_units(rows, errors)


def _apply(text):
    rows, errors = _rows(text)
    return units.apply_units(rows, errors)


def _row_errors(plan):
    return {row.number: [str(error) for error in row.errors] for row in plan.rows if row.errors}


@pytest.fixture
def empty(db):
    """A fresh install's registry: no units."""
    assert not Unit.objects.exists()


def test_it_adds_the_tree_parents_first_and_a_second_import_adds_nothing(empty):
    plan = _apply(FULL)
    assert (plan.created, plan.unchanged) == (4, 0)
    top = Unit.objects.get(parent=None)
    assert (top.name, top.kind) == ("Esimerkkilän kaupunki", UnitKind.MUNICIPALITY)
    assert Unit.objects.get(name="Viestintä").parent.name == "Hallintopalvelut"
    assert Unit.objects.get(name="Hallintopalvelut").parent == top
    assert Unit.objects.get(name="Esimerkkilän Vesi Oy").kind == UnitKind.GROUP_ENTITY
    again = _apply(FULL)
    assert (again.created, again.unchanged) == (0, 4)
    assert Unit.objects.count() == 4


def test_it_adds_under_units_already_in_the_registry_and_bumps_the_version(org):
    before = RegistryVersion.objects.get().counter
    plan = _apply(HEADER + "Testikunta;Kunta;\nNuorisotila;Palveluyksikkö;Sivistyspalvelut\n")
    assert (plan.created, plan.unchanged) == (1, 1)
    assert Unit.objects.get(name="Nuorisotila").parent == org.area
    assert RegistryVersion.objects.get().counter > before


def test_english_headers_kinds_and_an_xlsx_file(empty):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Unit", "Kind", "Parent"])
    sheet.append(["City of Example", "Municipality", None])
    sheet.append(["Culture", "responsibility area", "City of Example"])
    out = io.BytesIO()
    workbook.save(out)
    errors, rows = units.rows_of(reading.read_table("units.xlsx", out.getvalue()))
    plan = units.apply_units(rows, errors)
    assert plan.created == 2
    assert Unit.objects.get(name="Culture").kind == UnitKind.AREA


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        (HEADER + "Kunta A;Kunta;\nSivistys;Outo;Kunta A\n", 3, "Tuntematon tyyppi ”Outo”"),
        (HEADER + "Kunta A;Kunta;\nSivistys;;Kunta A\n", 3, "Anna yksikön tyyppi"),
        (HEADER + "Kunta A;Kunta;\nSivistys;Vastuualue;Ei ole\n", 3, "Ylempää yksikköä ”Ei ole”"),
        (HEADER + "Kunta A;Kunta;\nKunta B;Kunta;\n", 3, "kaksi ylintä yksikköä"),
        (HEADER + "Kunta A;Kunta;\n;Vastuualue;Kunta A\n", 3, "Anna yksikön nimi"),
        (HEADER + "Kunta A;Kunta;\n" + "x" * 201 + ";Vastuualue;Kunta A\n", 3, "yli 200 merkkiä"),
        (HEADER + "Kunta A;Kunta;\nA;Vastuualue;Kunta A\nA;Vastuualue;Kunta A\n", 4, "kahdesti saman"),
        (HEADER + "Kunta A;Kunta;\nA;Vastuualue;B\nB;Vastuualue;A\n", 3, "itsensä sisällä"),
        (HEADER + "Sivistys;Vastuualue;\n", 2, "Vain ylimmällä yksiköllä"),
        (HEADER + "Kunta A;Kunta;\nKunta B;Kunta;Kunta A\n", 3, "on puun ylin"),
    ],
    ids=[
        "unknown kind",
        "no kind",
        "unknown parent",
        "two tops",
        "no name",
        "too long",
        "twice",
        "cycle",
        "no parent",
        "municipality with parent",
    ],
)
def test_each_bad_row_gets_a_finnish_message_and_nothing_is_saved(empty, text, row, message):
    plan = _plan(text)
    assert plan.has_errors
    assert any(message in error for error in _row_errors(plan).get(row, [])), _row_errors(plan)
    with pytest.raises(units.UnitsRefused):
        _apply(text)
    assert not Unit.objects.exists()


def test_a_second_top_unit_beside_the_registrys_is_refused(org):
    plan = _plan(HEADER + "Toinen kunta;Kunta;\n")
    assert "Rekisterin ylin yksikkö on jo ”Testikunta”" in _row_errors(plan)[2][0]


def test_missing_columns_are_file_errors(empty):
    rows, errors = _rows("Yksikkö;Tyyppi\nKunta A;Kunta\n")
    plan = units.plan_units(rows, errors)
    assert [str(error) for error in plan.file_errors] == ["Sarake ”Ylempi yksikkö” puuttuu."]


def test_a_file_with_headers_only_speaks_of_units(db):
    form = _form(HEADER)
    assert not form.is_valid()
    assert "ei yksiköitä" in str(form.errors)


def _form(text):
    from channels.unit_views import UnitsImportForm

    return UnitsImportForm({}, {"file": SimpleUploadedFile("yksikot.csv", text.encode())})


# --- The page -----------------------------------------------------------------------------------------------


def _upload(client, text):
    return client.post(reverse("channels:units_import"), {"file": SimpleUploadedFile("yksikot.csv", text.encode())})


def test_the_page_previews_then_adds_on_confirmation(client_for, org):
    client = client_for("ict_secretary")
    text = HEADER + "Nuorisotila;Palveluyksikkö;Sivistyspalvelut\n"
    response = _upload(client, text)
    assert response.status_code == 200
    assert "Tuonti lisää 1 yksikköä" in response.content.decode()
    assert not Unit.objects.filter(name="Nuorisotila").exists()
    response = client.post(reverse("channels:units_import_confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert Unit.objects.get(name="Nuorisotila").parent == org.area
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT).latest("pk")
    assert (event.object_type, event.result, event.actor) == (
        "channels.Unit",
        AuditResult.SUCCESS,
        org.users["ict_secretary"],
    )
    # the token is used up: a second confirmation adds nothing
    response = client.post(reverse("channels:units_import_confirm"), {"token": "x"})
    assert response.status_code == 302 and Unit.objects.filter(name="Nuorisotila").count() == 1


def test_the_page_shows_errors_by_row_and_offers_no_confirmation(client_for, org):
    response = _upload(client_for("ict_secretary"), HEADER + "Nuorisotila;Outo;Sivistyspalvelut\n")
    page = response.content.decode()
    assert response.status_code == 200 and response.context["token"] is None
    assert "Tuntematon tyyppi" in page and "Vahvista tuonti" not in page


def test_a_change_between_preview_and_confirmation_refuses_the_file(client_for, org):
    client = client_for("ict_secretary")
    response = _upload(client, HEADER + "Nuorisotila;Palveluyksikkö;Sivistyspalvelut\n")
    org.unit.people.all().delete()
    org.area.children.all().delete()
    org.area.people.all().delete()
    Unit.objects.filter(name="Sivistyspalvelut").update(name="Kulttuuripalvelut")
    response = client.post(reverse("channels:units_import_confirm"), {"token": response.context["token"]})
    assert response.status_code == 200
    assert "Sivistyspalvelut" in response.content.decode()
    assert not Unit.objects.filter(name="Nuorisotila").exists()


def test_a_parent_name_that_two_units_share_is_refused(org):
    make = (
        HEADER
        + "Palvelut;Vastuualue;Testikunta\nKirjasto;Palveluyksikkö;Palvelut\nKirjasto;Palveluyksikkö;Testikunta\n"
    )
    plan = _plan(make + "Lainaamo;Palveluyksikkö;Kirjasto\n")
    assert "Yksiköitä nimeltä ”Kirjasto” on useita" in _row_errors(plan)[5][0]


def test_the_preview_s_queries_do_not_grow_with_the_rows(client_for, org, django_assert_max_num_queries):
    # The registry's units are read once, whatever the file's length; the rest is the session, the user and the log.
    client = client_for("ict_secretary")
    _upload(client, HEADER + "Yksi;Palveluyksikkö;Sivistyspalvelut\n")
    rows = "".join(f"Yksikkö {n};Palveluyksikkö;Sivistyspalvelut\n" for n in range(200))
    with django_assert_max_num_queries(12):
        response = _upload(client, HEADER + rows)
    assert response.context["plan"].created == 200
