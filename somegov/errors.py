"""Error pages that need code: the server error handler and the CSRF failure page."""

import sys

from django.shortcuts import render
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from somegov.resilience import database_unavailable_response, is_database_outage


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: a database outage gets the 503 page, anything else the plain 500 page.

    Django calls this inside its ``except`` block, so the exception is still at hand.
    """
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable_response()
    return defaults.server_error(request, template_name)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a refused form in the person's language, without Django's technical reason."""
    return render(request, "403_csrf.html", status=403)
