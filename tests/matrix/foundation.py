from tests.matrix import Row, everyone, logged_in

ROWS = [
    Row("home", everyone(200)),
    Row("accessibility", everyone(200)),
    Row("privacy", everyone(200)),
    Row("login", everyone(200)),
    Row("logout", logged_in(405), note="GET is refused: logging out is a POST"),
    Row("logout", everyone(302), method="POST"),
    Row("password_change", logged_in(200)),
    Row("password_change_done", logged_in(200)),
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
