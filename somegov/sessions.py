"""The session engine: Django's database sessions, with a database outage reported as one.

Django's ``SessionStore.save`` turns *any* database error while updating a session into ``UpdateError``,
which the session middleware answers with 400 Bad Request ("the session was deleted before the request
completed"). When the database is simply unreachable, e.g. PostgreSQL restarting after the view already
answered, the visitor should get the 503 page and keep their session, not a 400 that blames them. The
outage error is raised as it is, and ``handler500`` (``somegov.errors``) turns it into the 503 page.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError

from somegov.resilience import is_database_outage


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            if is_database_outage(error.__context__):
                raise error.__context__ from None
            raise
