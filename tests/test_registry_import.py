"""Import from the secretary's spreadsheet and export of the registry: preview, errors by row and column, all or
nothing, and a round trip that changes nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from channels.models import Channel, ChannelStatus
from channels.transfer import exporting, importing, reading
from tests.factories import make_person
from tests.registry_helpers import healthy, make_channel, make_right

HEADER = "Palvelu;Nimi;Osoite;Yksikkö;Vastuuhenkilö;Tila;Tarkoitukset\n"


def table(text, name="kanavat.csv", encoding="utf-8"):
    return reading.read_table(name, text.encode(encoding))


def plan(text, **kwargs):
    return importing.plan_import(table(text, **kwargs))


def errors(result):
    return [(row.number, column) for row in result.rows for column, _message in row.errors]


def history_size():
    return sum(channel.history.count() for channel in Channel.objects.all())


@pytest.fixture
def registry(org):
    facebook = healthy(make_channel(org.unit, name="Kirjasto", address="https://www.facebook.com/kirjasto.demo"), org)
    facebook.purposes = ["information", "feedback"]
    facebook.goals = "Tavoite; jossa puolipiste\nja rivinvaihto"
    facebook.save()
    make_channel(org.other_unit, name="Ympäristö", slug="website", address="https://ymparisto.invalid/sivu")
    retired = make_channel(org.unit, name="Vanha blogi", slug="blog", status=ChannelStatus.RETIRED)
    make_right(retired, org.people["staff"], revoked=True)
    return org


# --- Round trip ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_and_importing_the_same_file_changes_nothing(registry, file_format):
    content, _type = exporting.export_channels(Channel.objects.all(), file_format)
    before = history_size()
    result = importing.apply_import(reading.read_table(f"vienti.{file_format}", content), actor=None)
    assert not result.has_errors, errors(result)
    assert (result.change_count, result.unchanged) == (0, 3)
    assert history_size() == before


def test_the_export_has_finnish_headers_and_values(registry):
    content, content_type = exporting.export_channels(Channel.objects.order_by("name"), "csv")
    text = content.decode("utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf") and content_type.startswith("text/csv")
    first_line = text.splitlines()[0]
    assert first_line.startswith("Tunniste;Palvelu;Nimi;Osoite;Yksikkö;Tila;Tarkoitukset")
    assert "Aktiivinen" in text and "Teemu Tervo" in text and "Sanna Saarinen (ylläpitäjä, 2 h/vko)" in text


def test_the_xlsx_export_has_real_dates(registry):
    content, _type = exporting.export_channels(Channel.objects.all(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Seuraava tarkistus") + 1
    assert hasattr(sheet.cell(row=2, column=column).value, "year")


# --- Creating and changing -----------------------------------------------------------------------------------


def test_a_windows_1252_semicolon_file_keeps_its_umlauts(org):
    text = HEADER + "Instagram;Ympäristön Instagram;@ymparisto.demo;Ympäristöpalvelut;Teemu Tervo;aktiivinen;\n"
    result = importing.apply_import(table(text, encoding="cp1252"), actor=org.users["ict_secretary"])
    assert result.created == 1
    channel = Channel.objects.get()
    assert (channel.name, channel.owner_unit, channel.responsible_person) == (
        "Ympäristön Instagram",
        org.other_unit,
        org.people["staff"],
    )
    assert channel.history.first().history_change_reason


def test_a_comma_separated_utf8_file_with_purposes_in_english(org):
    text = (
        "Palvelu,Nimi,Osoite,Yksikkö,Tarkoitukset\n"
        'Facebook,Sivu,facebook.com/sivu.demo,Kirjastopalvelut,"sharing information; receiving feedback"\n'
    )
    importing.apply_import(table(text), actor=None)
    assert Channel.objects.get().purposes == ["information", "feedback"]


def test_a_row_matched_by_address_is_changed_and_the_preview_says_what(registry):
    text = HEADER + "Facebook;Kirjaston uusi nimi;https://m.facebook.com/Kirjasto.Demo/?ref=x;Kirjastopalvelut;;;\n"
    result = plan(text)
    row = result.rows[0]
    assert row.action == "update"
    changed = {change.label: (change.old, change.new) for change in row.changes}
    assert changed["Nimi"] == ("Kirjasto", "Kirjaston uusi nimi")
    assert changed["Vastuuhenkilö"] == ("Teemu Tervo", "–")
    assert "Osoite" in changed  # typed differently, stored as typed


def test_a_status_change_goes_through_the_transition_rules(registry):
    text = HEADER + (
        "Facebook;Kirjasto;https://www.facebook.com/kirjasto.demo;Kirjastopalvelut;Teemu Tervo;Tauolla;"
        '"tiedon jakaminen; palautteen vastaanottaminen"\n'
    )
    result = importing.apply_import(table(text), actor=None)
    assert not result.has_errors, result.rows[0].errors
    assert Channel.objects.get(name="Kirjasto").status == ChannelStatus.PAUSED


def test_a_refused_transition_is_an_error_of_the_status_column(registry):
    text = "Palvelu;Nimi;Osoite;Yksikkö;Tila\nBlogi;Vanha blogi;;Kirjastopalvelut;paused\n"
    result = plan(text)
    assert errors(result) == [(2, "Tila")]


def test_a_column_left_out_is_not_changed(registry):
    text = "Palvelu;Nimi;Yksikkö\nFacebook;Kirjasto;Kirjastopalvelut\n"
    result = plan(text)
    assert result.rows[0].action == "unchanged"


# --- Bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Myspace;X;myspace.com/x;Kirjastopalvelut;;;", "Palvelu"),
        ("Facebook;X;facebook.com/x.demo;Olematon yksikkö;;;", "Yksikkö"),
        ("Facebook;X;facebook.com/x.demo;Kirjastopalvelut;Kalle Tuntematon;;", "Vastuuhenkilö"),
        ("Facebook;X;facebook.com/x.demo;Kirjastopalvelut;;hylätty;", "Tila"),
        ("Facebook;X;facebook.com/x.demo;Kirjastopalvelut;;;lentäminen", "Tarkoitukset"),
        ("Internetsivut;X;suomussalmi;Kirjastopalvelut;;;", "Osoite"),
        ("Facebook;X;https://www.youtube.com/@x;Kirjastopalvelut;;;", "Osoite"),
        ("Facebook;;facebook.com/x.demo;Kirjastopalvelut;;;", "Nimi"),
        ("Facebook;X;;Kirjastopalvelut;;aktiivinen;", "Osoite"),
    ],
    ids=["platform", "unit", "person", "status", "purpose", "handle-on-url-platform", "other-platform",
         "no-name", "active-without-address"],
)  # fmt: skip
def test_each_bad_cell_is_an_error_of_its_row_and_column_and_nothing_is_saved(registry, row, column):
    good = "Instagram;Hyvä rivi;@hyva.demo;Kirjastopalvelut;;;"
    text = HEADER + good + "\n" + row + "\n"
    before = (Channel.objects.count(), history_size())
    result = plan(text)
    assert errors(result) == [(3, column)], [row.errors for row in result.rows]
    with pytest.raises(importing.ImportRefused):
        importing.apply_import(table(text), actor=None)
    assert (Channel.objects.count(), history_size()) == before


def test_the_duplicate_against_the_registry_names_the_existing_channel(registry):
    text = HEADER + "Facebook;Toinen;https://m.facebook.com/Kirjasto.Demo/?ref=x;Kirjastopalvelut;;;\n"
    row = plan(text).rows[0]
    # The address matches the existing channel, so the row is that channel: a rename, not a second account.
    assert row.action == "update"
    other = Channel.objects.get(name="Ympäristö").pk
    text = "Tunniste;" + HEADER + f"{other};Facebook;Ympäristö;facebook.com/kirjasto.demo;Ympäristöpalvelut;;;\n"
    message = str(plan(text).rows[0].errors)
    assert "Kirjasto" in message


def test_a_duplicate_address_within_the_file_names_the_first_row(org):
    text = (
        HEADER
        + "Facebook;A;facebook.com/sama.demo;Kirjastopalvelut;;;\nFacebook;B;https://m.facebook.com/Sama.Demo;Kirjastopalvelut;;;\n"
    )
    result = plan(text)
    assert errors(result) == [(3, "Osoite")]
    assert "2" in str(result.rows[1].errors[0][1])


def test_a_missing_required_column_is_a_file_error(org):
    result = plan("Nimi;Osoite\nX;facebook.com/x.demo\n")
    assert len(result.file_errors) == 2 and result.has_errors


def test_unknown_columns_are_listed_and_ignored(org):
    result = plan("Palvelu;Nimi;Yksikkö;Osoite;Salasana\nFacebook;X;Kirjastopalvelut;facebook.com/x.demo;hunter2\n")
    assert result.ignored_columns == ["Salasana"]
    assert not result.has_errors


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kanavat.pdf", b"%PDF-1.4", "CSV"),
        ("kanavat.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("kanavat.xlsx", b"Palvelu;Nimi\n", "Excel"),
        ("kanavat.xlsx", b"PK\x03\x04 not really a zip", "Excel"),
        ("kanavat.csv", b"", "empty"),
        ("kanavat.csv", b"   \r\n", "empty"),
        ("kanavat.csv", b"Palvelu;Nimi;Yksikk\xc3\xb6\n", "no channels"),
        ("kanavat.csv", b"\x00\x01binary", "text"),
    ],
)
def test_bad_files_are_refused_with_a_message(name, content, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as exc:
        reading.read_table(name, content)
    assert message in " ".join(str(m) for m in exc.value.messages)


# --- The import page ----------------------------------------------------------------------------------------


def upload(client, name, content):
    return client.post(reverse("channels:import_upload"), {"file": SimpleUploadedFile(name, content)})


def test_a_10_mb_file_is_refused_before_reading(org, client_for):
    response = upload(client_for("ict_secretary"), "kanavat.csv", b"a;b\n" * (10 * 1024 * 1024 // 4))
    assert "(10,0 Mt). Enimmäiskoko on 2 Mt." in str(response.context["form"].errors["file"])
    assert not Channel.objects.exists()


def test_the_secretary_previews_then_confirms(org, client_for):
    client = client_for("ict_secretary")
    text = HEADER + "Instagram;Ympäristön Instagram;@ymparisto.demo;Ympäristöpalvelut;;;\n"
    preview = upload(client, "kanavat.csv", text.encode("cp1252"))
    assert preview.context["plan"].created == 1
    assert not Channel.objects.exists()  # the preview saves nothing
    response = client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]})
    assert response.url == reverse("channels:registry")
    assert Channel.objects.get().name == "Ympäristön Instagram"


def test_a_preview_with_errors_offers_no_confirmation(org, client_for):
    text = HEADER + "Myspace;X;x;Kirjastopalvelut;;;\n"
    response = upload(client_for("ict_secretary"), "kanavat.csv", text.encode())
    page = response.content.decode()
    assert response.context["plan"].has_errors
    assert reverse("channels:import_confirm") not in page
    assert "Myspace" in page


def test_a_preview_with_errors_cannot_be_confirmed_with_an_earlier_token(org, client_for):
    client = client_for("ict_secretary")
    good = upload(client, "kanavat.csv", (HEADER + "Instagram;Uusi;@uusi.demo;Kirjastopalvelut;;;\n").encode())
    make_channel(org.unit, name="Ehti ensin", slug="instagram", address="@sama.demo")
    text = HEADER + "Instagram;Uusi;@sama.demo;Kirjastopalvelut;;;\nInstagram;Toinen;@sama.demo;Kirjastopalvelut;;;\n"
    assert upload(client, "kanavat.csv", text.encode()).context["plan"].has_errors
    response = client.post(reverse("channels:import_confirm"), {"token": good.context["token"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("channels:import_upload")
    assert list(Channel.objects.values_list("name", flat=True)) == ["Ehti ensin"]


def test_a_stale_token_is_refused(org, client_for):
    response = client_for("ict_secretary").post(reverse("channels:import_confirm"), {"token": "vanha"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("channels:import_upload")
    assert not Channel.objects.exists()


def test_the_export_view_follows_the_list_filters(registry, client_for):
    response = client_for("staff").get(reverse("channels:export"), {"format": "csv", "platform": "website"})
    text = response.content.decode("utf-8-sig")
    assert "Ympäristö" in text and "Kirjasto;" not in text
    assert response["Content-Disposition"].startswith('attachment; filename="somekanavat-')


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formulas_are_exported_as_text_and_still_round_trip(org, file_format):
    make_channel(org.unit, name='=HYPERLINK("https://evil.invalid")', slug="instagram", address="@kaava.demo")
    content, _type = exporting.export_channels(Channel.objects.all(), file_format)
    if file_format == "csv":
        assert "'=HYPERLINK" in content.decode("utf-8-sig") and "'@kaava.demo" in content.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet.cell(row=2, column=3).data_type == "s"
    result = importing.plan_import(reading.read_table(f"vienti.{file_format}", content))
    assert (result.change_count, result.unchanged, result.error_count) == (0, 1, 0)


def test_the_commands_export_and_import_the_same_file(registry, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "rekisteri.xlsx"
    call_command("export_channels", str(path))
    call_command("import_channels", str(path), "--dry-run")
    assert "would add 0, would change 0, unchanged 3" in capsys.readouterr().out


def test_the_import_command_saves_nothing_from_a_file_with_errors(org, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "kanavat.csv"
    rows = "Instagram;Hyvä;@hyva.demo;Kirjastopalvelut;;;\nMyspace;X;x;Kirjastopalvelut;;;\n"
    path.write_bytes((HEADER + rows).encode())
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_channels", str(path))
    assert not Channel.objects.exists()


# --- Confirming applies the plan that was previewed -------------------------------------------------------------


def two_row_file():
    """One new channel and one change of the registry fixture's Facebook page (found by its address)."""
    return (
        HEADER
        + "Instagram;Uusi kanava;@uusi.demo;Kirjastopalvelut;Teemu Tervo;;tiedon jakaminen\n"
        + "Facebook;Kirjaston uusi nimi;https://www.facebook.com/kirjasto.demo;Kirjastopalvelut;Teemu Tervo;;\n"
    ).encode()


def test_confirming_applies_exactly_the_preview_without_reading_the_file_again(registry, client_for, monkeypatch):
    client = client_for("ict_secretary")
    preview = upload(client, "kanavat.csv", two_row_file())
    planned = {row.name: (row.action, [(c.label, c.new) for c in row.changes]) for row in preview.context["plan"].rows}
    assert [action for action, _changes in planned.values()] == ["create", "update"]

    def must_not_run(*args, **kwargs):
        raise AssertionError("the confirmation read or planned the file again")

    monkeypatch.setattr(importing, "plan_import", must_not_run)
    monkeypatch.setattr(reading, "read_table", must_not_run)
    response = client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("channels:registry")
    assert "1 kanavaa lisätty, 1 muutettu" in response.text
    created = Channel.objects.get(name="Uusi kanava")
    assert (created.address, created.owner_unit, created.responsible_person, created.purposes) == (
        "@uusi.demo",
        registry.unit,
        registry.people["staff"],
        ["information"],
    )
    assert created.status == ChannelStatus.ACTIVE
    changed = Channel.objects.get(name="Kirjaston uusi nimi")
    assert changed.goals == "Tavoite; jossa puolipiste\nja rivinvaihto"  # not a column of the file: kept
    assert changed.history.first().history_change_reason == "Tuotu taulukosta"
    assert Channel.objects.count() == 4


def test_a_change_of_the_registry_in_between_refuses_the_whole_file(registry, client_for):
    client = client_for("ict_secretary")
    preview = upload(client, "kanavat.csv", two_row_file())
    make_channel(registry.other_unit, name="Muuttaa rekisteriä", slug="youtube")
    before = history_size()
    response = client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("channels:import_upload")
    assert "Rekisteri on muuttunut esikatselun jälkeen, joten mitään ei tuotu." in response.text
    assert not Channel.objects.filter(name__in=["Uusi kanava", "Kirjaston uusi nimi"]).exists()
    assert history_size() == before
    # The plan is gone: the same token again is an expired preview.
    again = client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]}, follow=True)
    assert "Esikatselu on vanhentunut" in again.text


@pytest.mark.parametrize("token", ["", "arvattu", "ä" * 22, None], ids=["empty", "forged", "non-ascii", "missing"])
def test_a_forged_or_missing_token_is_refused_with_a_message(registry, client_for, token):
    client = client_for("ict_secretary")
    upload(client, "kanavat.csv", two_row_file())
    response = client.post(
        reverse("channels:import_confirm"), {"token": token} if token is not None else {}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("channels:import_upload")
    assert "Esikatselu on vanhentunut tai jo käytetty. Lataa tiedosto uudelleen." in response.text
    assert Channel.objects.count() == 3


def test_a_preview_already_applied_cannot_be_applied_twice(registry, client_for):
    client = client_for("ict_secretary")
    token = upload(client, "kanavat.csv", two_row_file()).context["token"]
    client.post(reverse("channels:import_confirm"), {"token": token})
    response = client.post(reverse("channels:import_confirm"), {"token": token}, follow=True)
    assert "Esikatselu on vanhentunut" in response.text
    assert Channel.objects.count() == 4


def test_a_row_the_services_refuse_on_confirming_saves_nothing(registry, client_for):
    client = client_for("ict_secretary")
    newcomer = make_person("Uusi", "Henkilö", registry.unit, work_email="uusi.henkilo@suomussalmi.invalid")
    text = two_row_file() + b"Instagram;Toinen uusi;@toinen.demo;Kirjastopalvelut;uusi.henkilo@suomussalmi.invalid;;\n"
    preview = upload(client, "kanavat.csv", text)
    newcomer.delete()  # people are not in the registry's version
    response = client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 200 and response.context["plan"].has_errors
    assert [row.number for row in response.context["plan"].rows] == [4]
    assert Channel.objects.count() == 3


# --- At its real size -------------------------------------------------------------------------------------------


def big_file(registry, rows):
    """The registry's channels by number, then ``rows`` new channels with a person, a date and purposes."""
    content, _type = exporting.export_channels(Channel.objects.all(), "csv")
    lines = content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    for i in range(rows):
        cells = dict.fromkeys(header, "")
        cells.update(
            {
                "Palvelu": "Instagram",
                "Nimi": f"Kanava {i}",
                "Osoite": f"@kanava{i}.demo",
                "Yksikkö": "Ympäristöpalvelut",
                "Vastuuhenkilö": "Teemu Tervo",
                "Lomasijainen": registry.people["supervisor"].work_email,
                "Tarkoitukset": "tiedon jakaminen",
                "Päätöspäivä": "1.2.2025",
            }
        )
        lines.append(";".join(cells[name] for name in header))
    return ("\n".join(lines) + "\n").encode()


def test_the_preview_s_queries_do_not_grow_with_the_rows(registry, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("ict_secretary")
    counts = []
    for rows in (50, 500):
        content = big_file(registry, rows)
        with CaptureQueriesContext(connection) as queries:
            response = upload(client, "kanavat.csv", content)
        plan_ = response.context["plan"]
        assert (plan_.error_count, plan_.created, plan_.unchanged) == (0, rows, 3), errors(plan_)[:5]
        counts.append(len(queries))
    # The registry's units, people, platforms and channels are read once, whatever the file's size.
    assert counts[0] == counts[1]
