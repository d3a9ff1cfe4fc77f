"""A login expires after SESSION_COOKIE_AGE of inactivity, but the session is not written on every page view.

somegov.middleware.SlidingSessionMiddleware pushes the expiry forward at most once per SESSION_REFRESH_INTERVAL.
The clock is moved by patching ``django.utils.timezone.now``, which both the middleware and Django's database
session store read.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from somegov.middleware import SlidingSessionMiddleware
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGISTRY = reverse("channels:registry")
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    """``clock.at(minutes)`` sets the time to START plus that many minutes."""

    class Clock:
        now = START

        def at(self, minutes):
            self.now = START + datetime.timedelta(minutes=minutes)

    current = Clock()
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def signed_in(client, org, clock):
    """The staff member, logged in through the login form at START."""
    response = client.post(reverse("login"), {"username": "tyontekija", "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_writes(queries):
    table = Session._meta.db_table
    return [
        q["sql"] for q in queries if table in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def stored_expiry(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_the_settings_keep_expiry_after_inactivity_without_a_write_per_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert 0 < settings.SESSION_REFRESH_INTERVAL <= settings.SESSION_COOKIE_AGE // 10
    assert "somegov.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE


def test_the_login_stores_the_time_of_the_refresh(signed_in):
    assert signed_in.session[SlidingSessionMiddleware.KEY] == int(START.timestamp())
    assert stored_expiry(signed_in) == START + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_pages_within_the_interval_do_not_write_the_session(signed_in, clock):
    for minute in (1, 2, 4):
        clock.at(minute)
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get(REGISTRY)
        assert response.status_code == 200
        assert session_writes(queries) == [], minute
        assert settings.SESSION_COOKIE_NAME not in response.cookies  # no new cookie either
    assert stored_expiry(signed_in) == START + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_active_user_is_extended_once_the_interval_has_passed(signed_in, clock):
    clock.at(6)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(REGISTRY)
    assert len(session_writes(queries)) == 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert stored_expiry(signed_in) == START + datetime.timedelta(minutes=6, seconds=settings.SESSION_COOKIE_AGE)
    # Just after the first expiry, the user is still signed in, as they were active.
    clock.at(settings.SESSION_COOKIE_AGE / 60 + 1)
    assert signed_in.get(REGISTRY).status_code == 200


def test_someone_who_comes_back_within_the_age_stays_signed_in_all_day(signed_in, clock):
    for minute in range(0, 2 * settings.SESSION_COOKIE_AGE // 60, 53):
        clock.at(minute)
        assert signed_in.get(REGISTRY).status_code == 200, minute


def test_an_idle_session_expires(signed_in, clock):
    clock.at(1)
    assert signed_in.get(REGISTRY).status_code == 200
    clock.at(settings.SESSION_COOKIE_AGE / 60 + 1)
    response = signed_in.get(REGISTRY)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_latest_write_counts_not_the_latest_request(signed_in, clock):
    """Activity inside the interval does not move the expiry: it ends AGE after the last write at the latest."""
    clock.at(4)
    assert signed_in.get(REGISTRY).status_code == 200
    clock.at(settings.SESSION_COOKIE_AGE / 60 + 1)
    assert signed_in.get(REGISTRY).status_code == 302


def test_anonymous_visitors_get_no_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:directory"))
    assert response.status_code == 200
    assert session_writes(queries) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_logging_out_ends_the_session_and_writes_nothing_back(signed_in, clock):
    clock.at(10)
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.exists()
    assert signed_in.get(REGISTRY).status_code == 302


def test_a_forced_login_counts_as_a_refresh_so_the_next_page_writes_nothing(client, org, clock):
    client.force_login(org.users["staff"])
    clock.at(1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REGISTRY).status_code == 200
    assert session_writes(queries) == []
