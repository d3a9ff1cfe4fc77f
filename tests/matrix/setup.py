"""Setting up an install: the units import and the first-run checklist are the ICT secretary's (and a new
install's superuser's, which the matrix does not know: tests/test_setup_organisation.py checks it)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Row, only


def _units_file(org):
    return {
        "file": SimpleUploadedFile(
            "yksikot.csv", "Yksikkö;Tyyppi;Ylempi yksikkö\nViestintä;Palveluyksikkö;Testikunta\n".encode()
        )
    }


ROWS = [
    Row("channels:units_import", only("ict_secretary")),
    Row("channels:units_import", only("ict_secretary"), method="POST", data=_units_file, note="a preview"),
    Row("channels:units_import", only("ict_secretary", code=400), method="POST", data=lambda org: {}, note="no file"),
    Row(
        "channels:units_import_confirm",
        only("ict_secretary", code=302),
        method="POST",
        data=lambda org: {"token": "vanha"},
        note="no preview: back to the upload",
    ),
    Row("channels:units_import_confirm", only("ict_secretary", code=405), note="POST only"),
    Row("first_run", only("ict_secretary")),
    Row("first_run", only("ict_secretary", code=405), method="POST", note="read only"),
]
