"""Staying up while the database is not: a friendly 503 instead of a 500, and recovery by itself.

When PostgreSQL restarts (an update, a fail-over, a full disk), every query raises
``OperationalError`` or ``InterfaceError``. People then get the 503 page (Finnish and English,
no stack trace, ``Retry-After``) and the broken connections are closed at once, so the next
request opens a fresh one; ``CONN_HEALTH_CHECKS`` makes Django test a kept connection before
reusing it. Nothing to restart by hand when the database is back.

Two places catch the error, because it can happen in two kinds of places:

- ``DatabaseUnavailableMiddleware.process_exception``: errors raised by a view or while a
  template renders, also when ``DEBUG`` is on;
- ``somegov.errors.server_error`` (``handler500``): errors raised in a middleware, e.g. when the
  session middleware saves the session after the view (``somegov.sessions`` lets that error through:
  Django's own store would turn it into a 400 "session deleted").
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(exception):
    """True for the errors a lost or refused database connection raises (not for a bad query)."""
    return isinstance(exception, DATABASE_ERRORS)


def drop_broken_connections():
    """Close every open connection that no longer works, so the next query reconnects.

    Django also closes a connection that saw an error when the request finishes, and with
    ``CONN_HEALTH_CHECKS`` it tests a kept connection before reusing it; closing here as well means
    a worker never hands a dead socket to the next request. A working connection is left alone.
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.is_usable():
            continue
        try:
            connection.close()
        except DatabaseError:  # already gone: closing a dead socket can fail the same way
            logger.debug("closing the broken connection %s failed", connection.alias, exc_info=True)


def database_unavailable_response():
    """The 503 page. It uses no request context: the context processors would query the database."""
    drop_broken_connections()
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database outage during a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()
