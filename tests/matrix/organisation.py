"""The organisation's page: only the ICT secretary reads and edits it; its logo is public."""

from tests.matrix import Row, everyone, logged_in, only

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
    Row("organisation", logged_in(405), method="PUT", note="not offered"),
    Row("organisation_logo", everyone(404), note="no logo yet"),
    Row("organisation_logo", everyone(405), method="POST", note="read only"),
]
