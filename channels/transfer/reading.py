"""An uploaded CSV or XLSX file read into a ``Table`` of rows, and the upload form."""

import codecs
import csv
import dataclasses
import datetime
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import unescape_cell

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a registry of a few hundred channels is a few tens of kilobytes
MAX_ROWS = 5000


@dataclasses.dataclass
class Table:
    headers: list
    rows: list  # (spreadsheet row number, [cells])


def read_table(name, raw, *, no_rows_message=None):
    """A ``Table`` from an uploaded file's bytes, or ``ValidationError`` with a message for the secretary.

    ``no_rows_message``: what to say of a file with headers only (by default, that it has no channels)."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": number_format(len(raw) / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not raw.strip():
        raise ValidationError(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise ValidationError(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again."))
    if extension == "xlsx":
        rows = _xlsx_rows(raw)
    elif extension in ("csv", "txt"):
        rows = _csv_rows(raw)
    else:
        raise ValidationError(_("Only CSV and Excel (.xlsx) files can be imported."))
    rows = [(number, cells) for number, cells in rows if any(cell_text(cell) for cell in cells)]
    if not rows:
        raise ValidationError(_("The file is empty."))
    (_header_number, headers), data = rows[0], rows[1:]
    if not data:
        raise ValidationError(no_rows_message or _("The file has column headers but no channels."))
    if len(data) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS})
    return Table([cell_text(header) for header in headers], data)


def _xlsx_rows(raw):
    """The rows of the workbook's first sheet. The whole sheet is read here, inside the ``try``: openpyxl reads
    lazily, so a damaged part or a cell whose value does not fit its type (text in a number or date cell, a
    shared string that does not exist) fails only while the rows are iterated. openpyxl does not name the
    errors it may raise for a damaged file, so every error but our own is the file's fault."""
    import openpyxl

    if not raw.startswith(b"PK"):
        raise ValidationError(_("The file is not an Excel workbook, although its name ends in .xlsx."))
    unreadable = _("The Excel file cannot be read. Save it again in Excel and retry.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a damaged upload, whatever openpyxl raises for it
        raise ValidationError(unreadable) from exc
    rows = []
    try:
        if not workbook.worksheets:
            raise ValidationError(_("The Excel file has no sheets."))
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=60), start=1):
            if number > MAX_ROWS + 1:
                raise ValidationError(_("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS})
            rows.append((number, list(values)))
    except ValidationError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        raise ValidationError(
            _(
                "The Excel file cannot be read at row %(row)s: a cell's value does not fit its type (for example "
                "text in a number or date cell). Save the file again in Excel and retry."
            )
            % {"row": len(rows) + 1}
        ) from exc
    except Exception as exc:  # badly formed or truncated XML, a broken zip member...
        raise ValidationError(unreadable) from exc
    finally:
        workbook.close()
    return rows


def decode_text(raw):
    """Text of a CSV file: UTF-8 (with or without the BOM Excel writes), else Windows-1252, Excel's default
    for "CSV" in Finland, in which ä and ö are single bytes that are not valid UTF-8."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(
            _("The file is saved in UTF-16 (Excel's “Unicode text”). Save it as CSV UTF-8 and try again.")
        )
    if b"\x00" in raw:
        raise ValidationError(_("The file is not a text (CSV) file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file's character encoding was not recognised. Save it as CSV UTF-8.")) from exc


def _csv_rows(raw):
    text = decode_text(raw)
    first_line = text.lstrip().split("\n", 1)[0]
    # Finnish Excel writes semicolons (the comma is the decimal separator); others write commas or tabs.
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, row))
    except csv.Error as exc:  # a field over the csv module's limit (128 kB), mostly from a quote never closed
        raise ValidationError(
            _(
                "The CSV file cannot be read at row %(row)s: a value is too long, perhaps because a quotation "
                "mark is not closed. Check the file and save it again as CSV."
            )
            % {"row": len(rows) + 1}
        ) from exc
    return rows


def cell_text(value):
    """A cell as the import reads it: text, with numbers as Excel shows them and dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    # The export writes formula-looking text with a leading apostrophe (see core.spreadsheets); it goes here, so
    # an exported file imports back with no changes.
    return unescape_cell(str(value).strip())


class ImportForm(forms.Form):
    no_rows_message = None  # read_table's default: the registry's file, of channels

    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("At most 2 MB. CSV may be separated by semicolons or commas, in UTF-8 or Windows-1252."),
    )

    def __init__(self, *args, **kwargs):
        from crispy_forms.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        raw = upload.read()
        self.cleaned_data["raw"] = raw
        self.cleaned_data["table"] = read_table(upload.name, raw, no_rows_message=self.no_rows_message)
        return upload
