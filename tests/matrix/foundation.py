from tests.matrix import Row, everyone, own_account

ROWS = [
    Row("home", everyone(200)),
    Row("accessibility", everyone(200)),
    Row("privacy", everyone(200)),
    Row("login", everyone(200)),
    Row("logout", own_account(405), note="GET is refused: logging out is a POST"),
    Row("logout", everyone(302), method="POST"),
    Row("password_change", own_account(200)),
    Row("password_change_done", own_account(200)),
    # A forgotten password: public pages, the same for everyone (nothing tells whether an address has a login).
    Row("password_reset", everyone(200)),
    Row("password_reset", everyone(302), method="POST", data=lambda org: {"email": "ei.ketaan@example.invalid"}),
    Row("password_reset_done", everyone(200)),
    Row(
        "password_reset_confirm",
        everyone(200),
        args=lambda org: ["MQ", "vanha-linkki"],
        note="a link that does not work",
    ),
    Row("password_reset_complete", everyone(200)),
    Row(
        "set_language",
        everyone(302),
        method="POST",
        data=lambda org: {"language": "en", "next": "/"},
        note="a logged-in user with a person also keeps it as their preferred language (for e-mails)",
    ),
    Row(
        "set_language",
        everyone(302),
        method="POST",
        data=lambda org: {"language": "de", "next": "/"},
        note="an unknown language: back with a message, nothing changed",
    ),
    Row("set_language", everyone(302), note="GET only redirects back and changes nothing"),
]
