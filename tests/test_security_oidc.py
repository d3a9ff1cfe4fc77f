"""Optional log-in with the municipality's identity provider (OpenID Connect).

Off by default: no URLs, no backend, no button. Switched on with a settings override and a
reloaded URLconf; the provider's token and user-info endpoints are mocked (no network).
"""

import importlib
import os
import subprocess
import sys
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, clear_url_caches, reverse

from channels.models import Person
from core.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, make_person, make_user

pytestmark = pytest.mark.django_db

BACKEND = "somegov.oidc.MunicipalOIDCBackend"
SECRET = "test-client-secret-that-is-long-enough-for-hs256"


def _reload_urls():
    import somegov.urls

    clear_url_caches()
    importlib.reload(somegov.urls)


@pytest.fixture
def oidc(settings):
    """The settings OIDC_ENABLED=true and the OIDC_* variables produce, and the URLs they add."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "somegov"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.suomussalmi.invalid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.suomussalmi.invalid/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.suomussalmi.invalid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = None
    settings.OIDC_RP_SIGN_ALGO = "HS256"  # signed with the client secret: no key server to mock
    settings.OIDC_RP_SCOPES = "openid email"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_TIMEOUT = 10
    settings.OIDC_CREATE_USER = False
    settings.LOGIN_REDIRECT_URL_FAILURE = "login"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.AXES_WHITELIST_CALLABLE = "somegov.oidc.not_a_password_attempt"
    _reload_urls()
    yield settings
    settings.OIDC_ENABLED = False
    _reload_urls()


class Provider:
    """Stands in for the identity provider's token and user-info endpoints."""

    def __init__(self, claims, token_status=200):
        self.claims = claims
        self.token_status = token_status
        self.nonce = None
        self.token_requests = []

    def post(self, url, data=None, **kwargs):
        self.token_requests.append(data)
        id_token = jwt.encode({"sub": "abc", "aud": "somegov", "nonce": self.nonce}, SECRET, algorithm="HS256")
        return _response(self.token_status, {"id_token": id_token, "access_token": "access-token"})

    def get(self, url, headers=None, **kwargs):
        assert headers == {"Authorization": "Bearer access-token"}
        return _response(200, self.claims)


def _response(status, payload):
    response = mock.Mock(status_code=status, url="https://idp.suomussalmi.invalid/", text="")
    response.json.return_value = payload
    response.headers = {"content-type": "application/json"}
    response.raise_for_status.side_effect = None if status == 200 else requests.HTTPError(str(status))
    return response


def _log_in_through_provider(client, provider, next_url=""):
    """Start at the portal, "visit" the provider, come back to the callback; returns the final response."""
    start = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert start["Location"].startswith("https://idp.suomussalmi.invalid/authorize?")
    assert query["client_id"] == ["somegov"] and query["code_challenge_method"] == ["S256"]
    provider.nonce = query["nonce"][0]
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post", side_effect=provider.post),
        mock.patch("mozilla_django_oidc.auth.requests.get", side_effect=provider.get),
    ):
        return client.get(reverse("oidc_authentication_callback"), {"code": "the-code", "state": query["state"][0]})


def _logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


# --- Off by default -------------------------------------------------------------------------


def test_it_is_off_by_default_with_no_urls_no_backend_and_no_button(client):
    assert django_settings.OIDC_ENABLED is False
    assert BACKEND not in django_settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "Kirjaudu kunnan tunnuksilla" not in client.get(reverse("login")).text


def test_settings_read_the_oidc_variables_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OIDC_RP_CLIENT_ID, s.OIDC_OP_TOKEN_ENDPOINT, s.OIDC_RP_SIGN_ALGO, s.AUTHENTICATION_BACKENDS[-1])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "somegov.settings",
        "SECRET_KEY": "x" * 50,
        "OIDC_ENABLED": "true",
        "OIDC_RP_CLIENT_ID": "portal",
        "OIDC_RP_CLIENT_SECRET": "s",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.invalid/a",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.invalid/t",
        "OIDC_OP_USER_ENDPOINT": "https://idp.invalid/u",
        "OIDC_OP_JWKS_ENDPOINT": "https://idp.invalid/k",
        "OIDC_RP_SIGN_ALGO": "RS256",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["portal", "https://idp.invalid/t", "RS256", BACKEND]
    # RS256 without the provider's key set is refused at start-up, not at the first log-in.
    del env["OIDC_OP_JWKS_ENDPOINT"]
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode != 0 and "OIDC_OP_JWKS_ENDPOINT" in result.stderr


# --- On --------------------------------------------------------------------------------------


def test_the_login_page_offers_the_municipality_account(oidc, client):
    page = client.get(reverse("login") + "?next=/tietosuoja/").text
    assert "Kirjaudu kunnan tunnuksilla" in page
    assert f'href="{reverse("oidc_authentication_init")}?next=/tietosuoja/"' in page


def test_it_logs_in_an_existing_login_matched_by_email(oidc, client, org):
    user = org.users["staff"]
    user.email = "teemu.tervo@suomussalmi.invalid"
    user.save(update_fields=["email"])
    provider = Provider({"email": "Teemu.Tervo@Suomussalmi.invalid", "email_verified": True})
    response = _log_in_through_provider(client, provider, next_url="/tietosuoja/")
    assert response.status_code == 302 and response["Location"] == "/tietosuoja/"
    assert _logged_in_user(client) == user
    assert provider.token_requests[0]["code"] == "the-code" and "code_verifier" in provider.token_requests[0]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()


def test_it_links_a_registry_person_without_a_login_and_gives_no_role(oidc, client, org):
    person = make_person("Ritva", "Rautio", org.unit, work_email="ritva.rautio@suomussalmi.invalid")
    users_before = get_user_model().objects.count()
    response = _log_in_through_provider(client, Provider({"email": "ritva.rautio@suomussalmi.invalid"}))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = _logged_in_user(client)
    assert get_user_model().objects.count() == users_before + 1
    person.refresh_from_db()
    assert person.user == user
    assert (user.username, user.first_name, user.last_name) == ("ritva.rautio", "Ritva", "Rautio")
    assert not user.groups.exists() and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert person.history.first().user_id == user.pk  # the link is in the person's history
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(user.pk)).exists()


def test_it_uses_the_login_of_the_person_with_that_work_email(oidc, client, org):
    person = org.people["supervisor"]
    response = _log_in_through_provider(client, Provider({"email": person.work_email.upper()}))
    assert response.status_code == 302
    assert _logged_in_user(client) == org.users["supervisor"]


def test_a_username_already_taken_gets_a_suffix(oidc, client, org):
    make_user("ritva.rautio")
    make_person("Ritva", "Rautio", org.unit, work_email="ritva.rautio@suomussalmi.invalid")
    _log_in_through_provider(client, Provider({"email": "ritva.rautio@suomussalmi.invalid"}))
    assert _logged_in_user(client).username == "ritva.rautio-2"


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"email": "tuntematon@example.invalid"}, "nobody in the portal has this address"),
        ({"email": "teemu.tervo@suomussalmi.invalid", "email_verified": False}, "the provider did not verify it"),
        ({"sub": "no-email"}, "no address at all"),
    ],
)
def test_it_refuses_unknown_or_unverified_addresses(oidc, client, org, claims, why):
    org.users["staff"].email = "teemu.tervo@suomussalmi.invalid"
    org.users["staff"].save(update_fields=["email"])
    users_before = get_user_model().objects.count()
    response = _log_in_through_provider(client, Provider(claims))
    assert response.status_code == 302 and response["Location"] == reverse("login"), why
    assert _logged_in_user(client) is None, why
    assert get_user_model().objects.count() == users_before, why
    page = client.get(response["Location"]).text
    assert "Kirjautuminen kunnan tunnuksilla ei onnistunut" in page


def test_with_create_user_on_an_unknown_address_gets_a_login_without_a_role(oidc, client, org):
    oidc.OIDC_CREATE_USER = True
    _log_in_through_provider(client, Provider({"email": "uusi.kayttaja@suomussalmi.invalid", "given_name": "Uusi"}))
    user = _logged_in_user(client)
    assert user.username == "uusi.kayttaja" and user.first_name == "Uusi"
    assert not user.groups.exists() and not user.is_staff and not user.is_superuser
    assert not Person.objects.filter(user=user).exists()


@pytest.mark.parametrize("ambiguity", ["two logins", "two people", "login of another person"])
def test_it_refuses_ambiguous_addresses(oidc, client, org, ambiguity):
    email = "yhteinen@suomussalmi.invalid"
    if ambiguity == "two logins":
        for key in ("staff", "supervisor"):
            org.users[key].email = email
            org.users[key].save(update_fields=["email"])
    elif ambiguity == "two people":
        make_person(unit=org.unit, work_email=email)
        make_person(unit=org.unit, work_email=email)
    else:
        org.users["staff"].email = email  # the login says one person...
        org.users["staff"].save(update_fields=["email"])
        org.people["supervisor"].work_email = email  # ...the registry another, who has a login of their own
        org.people["supervisor"].save(update_fields=["work_email"])
    response = _log_in_through_provider(client, Provider({"email": email}))
    assert response["Location"] == reverse("login")
    assert _logged_in_user(client) is None


def test_an_inactive_login_is_refused(oidc, client, org):
    user = org.users["staff"]
    user.email, user.is_active = "teemu.tervo@suomussalmi.invalid", False
    user.save(update_fields=["email", "is_active"])
    response = _log_in_through_provider(client, Provider({"email": user.email}))
    assert response["Location"] == reverse("login")
    assert _logged_in_user(client) is None


def test_a_provider_that_does_not_answer_gets_a_message_not_a_500(oidc, client, org):
    response = _log_in_through_provider(client, Provider({"email": "x@suomussalmi.invalid"}, token_status=503))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Kunnan kirjautumispalvelu ei vastannut" in client.get(response["Location"]).text


def test_a_forged_state_or_replayed_callback_is_refused(oidc, client, org):
    user = org.users["staff"]
    user.email = "teemu.tervo@suomussalmi.invalid"
    user.save(update_fields=["email"])
    provider = Provider({"email": user.email})
    client.get(reverse("oidc_authentication_init"))
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post", side_effect=provider.post),
        mock.patch("mozilla_django_oidc.auth.requests.get", side_effect=provider.get),
    ):
        response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "forged"})
    assert response.status_code == 400
    assert _logged_in_user(client) is None
    assert provider.token_requests == []  # the code was never exchanged


def test_next_cannot_send_people_to_another_site(oidc, client, org):
    for evil in ("//evil.example", "https://evil.example/", "/\\evil.example"):
        client.get(reverse("oidc_authentication_init"), {"next": evil})
        assert client.session["oidc_login_next"] is None, evil


def test_failed_provider_log_ins_do_not_lock_out_the_office(oidc, client, org):
    # The provider does its own lockout; failures here carry no username, so counting them would
    # lock every colleague behind the same address out of the provider's log-in.
    user = org.users["staff"]
    user.email = "teemu.tervo@suomussalmi.invalid"
    user.save(update_fields=["email"])
    for _ in range(6):
        _log_in_through_provider(client, Provider({"email": "tuntematon@example.invalid"}))
    response = _log_in_through_provider(client, Provider({"email": user.email}))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _logged_in_user(client) == user


def test_password_log_ins_are_still_locked_out_with_oidc_on(oidc, client, org):
    for _ in range(5):
        client.post(reverse("login"), {"username": "tyontekija", "password": "väärä-salasana"})
    response = client.post(reverse("login"), {"username": "tyontekija", "password": PASSWORD})
    assert response.status_code == 429
