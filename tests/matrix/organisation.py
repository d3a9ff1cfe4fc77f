"""The organisation's page: only the ICT secretary reads and edits it (and a new install's superuser, which
the matrix does not know: tests/test_setup_organisation.py checks it); its logo is public."""

from tests.matrix import Row, everyone, only

ROWS = [
    Row("organisation", only("ict_secretary")),
    Row(
        "organisation",
        only("ict_secretary", code=302),
        method="POST",
        data=lambda org: {"name": "Esimerkkilän kaupunki", "name_genitive": "Esimerkkilän kaupungin"},
        note="saved",
    ),
    Row(
        "organisation",
        only("ict_secretary"),
        method="POST",
        data=lambda org: {"name": "", "name_genitive": "Esimerkkilän kaupungin"},
        note="no name: a form error",
    ),
    Row("organisation", only("ict_secretary", code=405), method="PUT", note="not offered; access is checked first"),
    Row("organisation_logo", everyone(404), note="no logo yet"),
    Row("organisation_logo", everyone(405), method="POST", note="read only"),
]
