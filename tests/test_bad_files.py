"""Malformed spreadsheets, Word files and images get a 400 and a Finnish message on every upload page, never a
server error (issue 16). The files are made by ``tests.malformed_files``."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from channels.models import Channel, Unit
from tests.malformed_files import MALFORMED_CSV, MALFORMED_XLSX, malformed_uploads, workbook

IMPORT_PAGES = ["channels:import_upload", "channels:units_import"]


def _errors(response):
    return " ".join(str(message) for message in response.context["form"].errors.get("file", []))


@pytest.mark.parametrize("page", IMPORT_PAGES)
@pytest.mark.parametrize(("label", "name", "raw"), malformed_uploads(), ids=[u[0] for u in malformed_uploads()])
def test_a_malformed_file_is_refused_with_a_finnish_message(page, label, name, raw, org, client_for):
    channels, units = Channel.objects.count(), Unit.objects.count()
    response = client_for("ict_secretary").post(reverse(page), {"file": SimpleUploadedFile(name, raw)})
    if label in ("an unclosed quote", "mixed delimiters"):
        # Readable as CSV, if oddly: the preview says what is wrong with the columns or rows; nothing is saved.
        assert response.status_code == 200
        assert response.context["plan"].has_errors
    else:
        assert response.status_code == 400, label
        message = _errors(response)
        assert message and "Traceback" not in message
        assert any(word in message for word in ("Tiedosto", "tiedosto", "Excel", "CSV")), message
        assert 'role="alert"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert (Channel.objects.count(), Unit.objects.count()) == (channels, units)


def test_the_messages_are_specific_and_in_finnish(org, client_for):
    client = client_for("ict_secretary")
    url = reverse("channels:units_import")

    def message(name, raw):
        return _errors(client.post(url, {"file": SimpleUploadedFile(name, raw)}))

    assert "Excel-tiedostoa ei voi lukea" in message("a.xlsx", MALFORMED_XLSX["badly formed XML"])
    assert "ei ole yhtään taulukkoa" in message("a.xlsx", MALFORMED_XLSX["a workbook with no sheets"])
    assert "solun arvo" in message("a.xlsx", MALFORMED_XLSX["a number cell holding abc"])
    assert "rivi" in message("a.csv", MALFORMED_CSV["an enormous single line"]).lower()
    assert "field larger" not in message("a.csv", MALFORMED_CSV["an enormous single line"])


def test_a_valid_generated_workbook_is_read(org, client_for):
    """The generator's unbroken workbook imports, so each broken one fails for its own fault only."""
    response = client_for("ict_secretary").post(
        reverse("channels:units_import"), {"file": SimpleUploadedFile("yksikot.xlsx", workbook())}
    )
    assert response.status_code == 200
    assert [row.name for row in response.context["plan"].rows] == ["Kunta"]


def _docx(document_xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if document_xml is not None:
            archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


CORRUPT_GUIDELINES = {
    "a truncated Word file": ("ohje.docx", _docx("<w:document/>")[:60]),
    "a Word file without its document": ("ohje.docx", _docx(None)),
    "badly formed Word XML": ("ohje.docx", _docx("<w:document><w:body>")),
    "a spreadsheet named .docx": ("ohje.docx", workbook()),
    "a binary file named .md": ("ohje.md", bytes(range(256)) * 4),
    "UTF-16 Markdown": ("ohje.md", "# Ohje\n\n## 1. Johdanto\n".encode("utf-16")),
}


@pytest.mark.parametrize("label", sorted(CORRUPT_GUIDELINES))
def test_a_corrupt_guideline_file_is_refused_with_a_message(label, org, client_for):
    name, raw = CORRUPT_GUIDELINES[label]
    response = client_for("ict_secretary").post(
        reverse("guideline_import"), {"file": SimpleUploadedFile(name, raw), "title": "Ohje"}
    )
    assert response.status_code in (200, 400), label
    assert _errors(response), label


CORRUPT_LOGOS = {
    "a truncated PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "a PNG header and noise": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "a spreadsheet named .png": workbook(),
    "an SVG named .png": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
}


@pytest.mark.parametrize("label", sorted(CORRUPT_LOGOS))
def test_a_corrupt_logo_is_refused_with_a_message(label, org, client_for):
    client = client_for("ict_secretary")
    page = client.get(reverse("organisation"))
    data = {key: value for key, value in page.context["form"].initial.items() if value is not None}
    data["name"] = data.get("name") or "Testikunta"
    data["logo_file"] = SimpleUploadedFile("logo.png", CORRUPT_LOGOS[label], content_type="image/png")
    response = client.post(reverse("organisation"), data)
    assert response.status_code in (200, 400), label
    assert response.context["form"].errors.get("logo_file"), label
