"""Writing rows as CSV or XLSX for Excel, with cells that a spreadsheet would run as formulas neutralised.

Every download of the portal goes through here, so every file treats a formula, a number and a date alike:

- Text that starts with ``= + - @``, a tab or a carriage return gets a leading apostrophe (OWASP's advice
  against CSV injection): a channel named ``=HYPERLINK(...)`` must not run in the secretary's Excel. Numbers
  and dates are not text and stay what they are, so Excel can still sum and sort them. ``unescape_cell`` takes
  the apostrophe off again, for a file that comes back as an import.
- CSV as Finnish Excel opens it: semicolons between fields (the comma is the decimal separator), CRLF line
  ends, UTF-8 with a byte order mark (without it Excel reads ä and ö as Windows-1252), dates as 31.12.2026.
- XLSX with real dates (shown as 31.12.2026), a bold, frozen header row and columns as wide as their text.
"""

import csv
import datetime
import io
import numbers

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet cell: formula-looking text is prefixed with an apostrophe, ``None`` is empty,
    numbers and dates are left as they are."""
    if value is None:
        return ""
    if isinstance(value, (numbers.Number, datetime.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_cell(text):
    """The text of a cell as ``safe_cell`` was given it: the apostrophe in front of a formula-looking text goes."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(rows):
    """The rows (the first one the header) as CSV for Finnish Excel."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([date_text(cell) if isinstance(cell, datetime.date) else cell for cell in map(safe_cell, row)])
    return out.getvalue().encode("utf-8-sig")


def date_text(value):
    """A date as Finnish Excel writes and reads it: 31.12.2026."""
    return f"{value.day}.{value.month}.{value.year}"


def xlsx_bytes(rows, *, title=""):
    """The rows (the first one the header) as an Excel workbook of one sheet named ``title``."""
    import openpyxl  # only the XLSX downloads need it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title[:31]  # Excel's limit
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:
        for cell in column_cells[1:]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d.m.yyyy"
        width = max(len(str(cell.value or "")) for cell in column_cells)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def spreadsheet_bytes(rows, file_format, *, title=""):
    """The rows as ``file_format`` (a key of ``CONTENT_TYPES``)."""
    if file_format == "csv":
        return csv_bytes(rows)
    if file_format == "xlsx":
        return xlsx_bytes(rows, title=title)
    raise ValueError(f"unknown spreadsheet format {file_format!r}")


def attachment(content, file_format, name):
    """A download of ``content`` in ``file_format``, saved as ``name`` plus the format's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response


def download(rows, file_format, name, *, title=""):
    """The rows as a CSV or XLSX download, saved as ``name`` plus the format's extension."""
    return attachment(spreadsheet_bytes(rows, file_format, title=title), file_format, name)
