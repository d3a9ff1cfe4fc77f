"""A database outage gives the friendly 503 page (never a bare 500), and the portal recovers by itself.

Here the outage is simulated (a cursor or a view raising ``OperationalError``/``InterfaceError``);
``scripts/loadtest.py`` restarts a real PostgreSQL under load and checks the same from outside.
"""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.db import DatabaseError, InterfaceError, OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, path, reverse

import somegov.urls
from somegov import errors, resilience

pytestmark = pytest.mark.django_db

OUTAGES = [
    OperationalError("server closed the connection unexpectedly"),
    OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused'),
    InterfaceError("connection already closed"),
]


# A URLconf of the real patterns plus views that fail the way a lost database makes them fail.
def _failing_view(exception):
    @login_not_required
    def view(request):
        raise exception

    return view


def _session_writing_view(request):
    request.session["seen"] = request.session.get("seen", 0) + 1
    return HttpResponse("ok")


urlpatterns = [
    path("test-session/", _session_writing_view, name="session_write"),
    path("test-outage/", _failing_view(OperationalError("the database system is shutting down")), name="outage"),
    path("test-interface/", _failing_view(InterfaceError("connection already closed")), name="interface"),
    path("test-bug/", _failing_view(ProgrammingError('relation "x" does not exist')), name="bug"),
    *somegov.urls.urlpatterns,
]
handler500 = somegov.urls.handler500


@pytest.fixture
def browser_client():
    """A client that, like a browser, receives the error page instead of the test seeing the exception."""
    return Client(raise_request_exception=False)


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(resilience.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Palvelu on hetken poissa käytöstä" in text  # Finnish first
    assert "Service temporarily unavailable" in text  # and English
    for leak in ("Traceback", "OperationalError", "InterfaceError", "5432", "127.0.0.1", "connection"):
        assert leak not in text, f"the 503 page must not show {leak!r}"


def test_the_project_urlconf_uses_the_outage_aware_500_handler():
    assert get_resolver().resolve_error_handler(500) is errors.server_error


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("name", ["outage", "interface"])
def test_a_view_losing_the_database_gets_the_503_page(settings, browser_client, name, debug):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = debug  # the middleware answers before Django's debug page would
    assert_friendly_503(browser_client.get(reverse(name)))


@pytest.mark.parametrize("exception", OUTAGES, ids=lambda e: str(e)[:30])
def test_a_lost_database_anywhere_in_the_request_gets_the_503_page(browser_client, org, exception):
    # A logged-in request reads its session in the middleware, before any view runs.
    browser_client.force_login(org.users["staff"])
    with mock.patch.object(CursorWrapper, "execute", side_effect=exception):
        response = browser_client.get(reverse("home"))
    assert_friendly_503(response)


@pytest.mark.parametrize("exception", OUTAGES, ids=lambda e: str(e)[:30])
def test_a_database_lost_while_the_session_is_saved_gets_the_503_page_not_a_400(
    settings, browser_client, org, exception
):
    # The view has answered; the database goes away before the session middleware writes the session.
    settings.ROOT_URLCONF = __name__
    browser_client.force_login(org.users["staff"])
    with mock.patch.object(Session, "save", side_effect=exception):
        response = browser_client.get(reverse("session_write"))
    assert_friendly_503(response)
    assert browser_client.get(reverse("session_write")).status_code == 200  # back, and still logged in


def test_a_session_deleted_during_the_request_is_still_a_400(settings, browser_client, org):
    # Django's own case (another tab logged out meanwhile) keeps its answer; only outages become 503.
    settings.ROOT_URLCONF = __name__
    browser_client.force_login(org.users["staff"])
    with mock.patch.object(Session, "save", side_effect=DatabaseError("no such row")):
        response = browser_client.get(reverse("session_write"))
    assert response.status_code == 400


def test_a_lost_database_while_logging_in_gets_the_503_page(browser_client, org):
    with mock.patch.object(CursorWrapper, "execute", side_effect=OUTAGES[0]):
        response = browser_client.post(reverse("login"), {"username": "tyontekija", "password": "x" * 12})
    assert_friendly_503(response)


def test_the_portal_recovers_by_itself_when_the_database_is_back(browser_client, org):
    browser_client.force_login(org.users["staff"])
    with mock.patch.object(CursorWrapper, "execute", side_effect=OUTAGES[0]):
        assert browser_client.get(reverse("home")).status_code == 503
    response = browser_client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["user"] == org.users["staff"]  # still logged in: the session survived


def test_other_errors_are_not_disguised_as_an_outage(settings, browser_client):
    settings.ROOT_URLCONF = __name__
    response = browser_client.get(reverse("bug"))
    assert response.status_code == 500
    assert "Palvelussa on häiriö" in response.content.decode()
    assert "Retry-After" not in response


def test_only_broken_connections_are_closed():
    broken = mock.Mock(connection=object(), is_usable=mock.Mock(return_value=False))
    working = mock.Mock(connection=object(), is_usable=mock.Mock(return_value=True))
    never_opened = mock.Mock(connection=None)
    failing_close = mock.Mock(connection=object(), is_usable=mock.Mock(return_value=False))
    failing_close.close.side_effect = DatabaseError("already closed")
    with mock.patch.object(resilience.connections, "all", return_value=[broken, working, never_opened, failing_close]):
        resilience.drop_broken_connections()
    broken.close.assert_called_once()
    failing_close.close.assert_called_once()
    working.close.assert_not_called()
    never_opened.close.assert_not_called()


def test_health_checks_and_kept_connections_are_configured_for_postgresql():
    code = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "somegov.settings", "SECRET_KEY": "x" * 50}
    env["DATABASE_URL"] = "postgres://somegov@127.0.0.1:5432/somegov"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "60"]
