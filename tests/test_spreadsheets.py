"""The one CSV/XLSX writer (core.spreadsheets): formulas are neutralised, numbers and dates keep their type, and
ä and ö survive, in both formats."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from core import spreadsheets

DAY = datetime.date(2026, 1, 26)
ROWS = [
    ["Nimi", "Määrä", "Päivä"],
    ['=HYPERLINK("https://evil.invalid")', 42, DAY],
    ["@kaava", -3, None],
    ["+358 40 123", Decimal("2.5"), ""],
    ["-1+1", 1.5, "Ääkköset ja 😊"],
    ["\tsarkain", 0, "\rrivinvaihto"],
]


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(content):
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Kirjasto", "Kirjasto"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (Decimal("-2.5"), Decimal("-2.5")),
        (DAY, DAY),
    ],
)
def test_safe_cell_neutralises_formula_text_only(value, expected):
    assert spreadsheets.safe_cell(value) == expected
    assert type(spreadsheets.safe_cell(value)) is type(expected)


@pytest.mark.parametrize("text", ["=1+1", "-kaava", "@kaava", "Kirjasto", "'lainaus"])
def test_unescape_cell_undoes_safe_cell(text):
    assert spreadsheets.unescape_cell(spreadsheets.safe_cell(text)) == text


def test_the_csv_is_for_finnish_excel():
    content = spreadsheets.csv_bytes(ROWS)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 only with it
    assert content.decode("utf-8-sig").count("\r\n") == len(ROWS)
    rows = read_csv(content)
    assert rows[0] == ["Nimi", "Määrä", "Päivä"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("https://evil.invalid")',
        "'@kaava",
        "'+358 40 123",
        "'-1+1",
        "'\tsarkain",
    ]
    assert rows[5][2] == "'\rrivinvaihto"
    assert [row[1] for row in rows[1:]] == ["42", "-3", "2.5", "1.5", "0"], "numbers are not escaped"
    assert rows[1][2] == "26.1.2026" and rows[2][2] == ""
    assert rows[4][2] == "Ääkköset ja 😊"


def test_the_xlsx_keeps_types_and_neutralises_formulas():
    content = spreadsheets.xlsx_bytes(ROWS, title="Somekanavat ja paljon muuta tekstiä, pidempi kuin 31")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet.title == "Somekanavat ja paljon muuta tek"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert all(cell.data_type == "s" for cell in sheet["A"]), "no cell is a formula"
    rows = read_xlsx(content)
    assert rows[1][0] == '\'=HYPERLINK("https://evil.invalid")'
    assert [row[1] for row in rows[1:]] == [42, -3, 2.5, 1.5, 0]
    assert rows[1][2] == datetime.datetime(2026, 1, 26) and sheet["C2"].number_format == "d.m.yyyy"
    assert rows[4][2] == "Ääkköset ja 😊" and rows[0][1] == "Määrä"


@pytest.mark.parametrize(
    ("file_format", "content_type", "read"),
    [
        ("csv", "text/csv; charset=utf-8", read_csv),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", read_xlsx),
    ],
)
def test_download_is_an_attachment_of_its_format(file_format, content_type, read):
    response = spreadsheets.download(ROWS, file_format, "kojelauta-2026-01-26", title="Kojelauta")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="kojelauta-2026-01-26.{file_format}"'
    assert read(response.content)[1][0] == '\'=HYPERLINK("https://evil.invalid")'


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        spreadsheets.spreadsheet_bytes(ROWS, "pdf")
