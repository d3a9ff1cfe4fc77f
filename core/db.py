"""Database helpers shared by the apps."""

import functools
import time

from django.db import OperationalError, transaction

ATTEMPTS = 40


def retry_when_sqlite_locked(func):
    """Decorate ``func`` to run again when SQLite reports the database or a table locked.

    PostgreSQL makes a second writer wait on the row lock (``select_for_update``) or the unique index and then
    see the first one's work. SQLite has no row locks: it serialises writers by refusing the second one, and
    its shared-cache in-memory database (the test database) may refuse even a reader while another connection
    writes. The whole call is retried from the start, which then sees the other's committed work. Only an
    outermost call retries, where nothing of the failed attempt has survived the rollback.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                connection = transaction.get_connection()
                retryable = connection.vendor == "sqlite" and not connection.in_atomic_block and "locked" in str(exc)
                if not retryable or attempt == ATTEMPTS:
                    raise
                time.sleep(0.01 * attempt)  # back off: 8 seconds in all before giving up
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper
