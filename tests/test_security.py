"""Security headers, login lockout and the deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def test_pages_carry_the_hardening_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "<script>" in text or "<style" in text or " style=" in text or " onclick=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"inline script or style breaks the CSP: {offenders}"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_and_unknown_user_get_the_same_message(client, org):
    wrong = _login(client, "tyontekija", "väärä-salasana")
    unknown = _login(client, "ei-ketaan", "väärä-salasana")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_login_locks_after_five_failures_even_with_the_right_password(client, org):
    for _ in range(5):
        _login(client, "tyontekija", "väärä-salasana")
    response = _login(client, "tyontekija", PASSWORD)
    assert response.status_code == 429
    assert "Liian monta epäonnistunutta kirjautumista" in response.text
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_username_so_others_can_still_log_in(client, org):
    for _ in range(5):
        _login(client, "tyontekija", "väärä-salasana")
    response = _login(client, "esihenkilo", PASSWORD)
    assert response.status_code == 302


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # but slides: tests/test_security_sessions.py
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_the_deploy_check_is_silent_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-like-key-" + "x" * 40,
        "ALLOWED_HOSTS": "some.suomussalmi.fi",
        "SECURE_SSL_REDIRECT": "true",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout
