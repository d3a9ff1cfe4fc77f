"""Known attacks: forged POSTs without CSRF, a huge username, redirects off the site, paths to system files."""

from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import reverse

from tests.bad_input import HUGE, SYSTEM_FILE_MARKERS, URL_NAMES, assert_same_site, pick_row, response_body, row_counts
from tests.factories import PASSWORD

# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "ict_secretary"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_forged_posts_without_csrf_are_refused_in_finnish(name, role, org):
    row, _role = pick_row(name, "POST")
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(org.users[role])
    url = reverse(name, args=row.args(org) if row.args else None)
    data = dict(row.data(org)) if row.data and row.method == "POST" else {"next": "/"}
    counts_before = row_counts()
    for forged in ({}, {"csrfmiddlewaretoken": "forged" * 8}):
        response = client.post(url, {**data, **forged}, HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403, f"POST {url} as {role} without a valid CSRF token: {response.status_code}"
        text = response.content.decode()
        assert "Lomaketta ei voitu lähettää" in text and "Mitään ei tallennettu" in text
        assert "CSRF" not in text  # the technical reason is for the log, not for people
    assert row_counts() == counts_before


@pytest.mark.parametrize("username", ["x" * 256, HUGE, "ä" * 300])
def test_a_very_long_username_gets_the_normal_refusal(client, org, username):
    # Regression: django-axes stored the username typed into a 255-character column, and
    # PostgreSQL answered a long one with a 500.
    for _ in range(6):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code in (200, 429)
    assert response.status_code == 429  # the lockout still counts it
    assert "_auth_user_id" not in client.session


# --- Redirects and files --------------------------------------------------------------------

EVIL_NEXT = [
    "//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "../../etc/passwd",
    " //evil.example",
]


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_logging_in_never_redirects_off_the_site(client, org, evil):
    page = client.get(reverse("login"), {"next": evil})
    assert page.status_code == 200
    assert "evil.example" not in page.context["next"]
    response = client.post(reverse("login"), {"username": "tyontekija", "password": PASSWORD, "next": evil})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert_same_site(response["Location"])
    assert "evil.example" not in response["Location"]
    # A relative "next" stays on this site; following it shows no file of the server.
    landing = client.get(urljoin("/accounts/login/", response["Location"]))
    assert not any(marker in response_body(landing) for marker in SYSTEM_FILE_MARKERS)


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_changing_language_and_logging_out_never_redirect_off_the_site(client, org, evil):
    response = client.post(reverse("set_language"), {"language": "en", "next": evil})
    assert response.status_code == 302
    assert_same_site(response["Location"])
    assert "evil.example" not in response["Location"]
    response = client.get(reverse("set_language"), {"next": evil}, HTTP_REFERER=evil)
    assert "evil.example" not in response.get("Location", "")
    client.force_login(org.users["staff"])
    response = client.post(reverse("logout"), {"next": evil})
    assert response.status_code in (200, 302)
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/vendor/bootstrap/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/vendor/bootstrap/../../../../../../../etc/passwd",
        "/media/../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "ict_secretary"])
def test_paths_cannot_read_files_outside_the_site(client, org, path, role):
    if role != "anonymous":
        client.force_login(org.users[role])
    response = client.get(path)
    assert response.status_code in (302, 400, 404), f"{path}: {response.status_code}"
    assert not any(marker in response_body(response) for marker in SYSTEM_FILE_MARKERS)
    if response.status_code == 302:
        assert_same_site(response["Location"])
