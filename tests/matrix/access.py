"""The ICT secretary's audit log and people-and-roles pages: nobody else reads or changes them."""

from tests.matrix import Row, logged_in, only

ROWS = [
    Row("audit_log", only("ict_secretary")),
    Row("audit_log", only("ict_secretary"), query="?start=ei-paiva&action=hack", note="bad filters: form errors"),
    Row("audit_log", logged_in(405), method="POST", note="read-only"),
    Row("audit_log_export", only("ict_secretary")),
    Row("audit_log_export", only("ict_secretary", code=400), query="?start=ei-paiva", note="bad filters"),
    Row("people_roles", only("ict_secretary")),
    Row("user_roles", only("ict_secretary"), args=lambda org: [org.users["staff"].pk]),
    Row(
        "user_roles",
        only("ict_secretary", code=302),
        method="POST",
        args=lambda org: [org.users["staff"].pk],
        data=lambda org: {"roles": ["Henkilöstö", "Esihenkilö"]},
        note="a role granted",
    ),
    Row(
        "user_roles",
        only("ict_secretary"),
        method="POST",
        args=lambda org: [org.users["staff"].pk],
        data=lambda org: {"roles": ["Pääkäyttäjä"]},
        note="an unknown role: a form error",
    ),
    Row(
        "user_roles",
        only("ict_secretary"),
        method="POST",
        args=lambda org: [org.users["ict_secretary"].pk],
        data=lambda org: {"roles": ["ICT-sihteeri", "Kunnanjohtaja"]},
        note="one's own roles: refused on the form",
    ),
]
