"""HTTP habits of the public pages and the API: a rate limit per client, validators and cache headers.

Rate limit: a sliding window per client IP address (``core.ratelimit``).

Validators: every public answer carries an ETag made of the registry version, the language, the path and the
query; a request with a matching ``If-None-Match`` gets 304 after one small query. Pages are ``private``
(their HTML has a CSRF token and the user's navigation): their ETag also covers the CSRF cookie, and only
anonymous visitors get 304, so a stored page never carries someone else's token or menu. API answers are
``public``. All vary on the language (``Accept-Language`` and the language cookie). No Last-Modified is sent:
a timestamp can miss a change committed in the same second or by a transaction that started earlier.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from channels.public import registry_version
from core.ratelimit import take_slot

RATE_LIMIT_SCOPE = "public"


def take_request_slot(request, scope=RATE_LIMIT_SCOPE):
    """Count one request to the API or the check: ``PUBLIC_RATE_LIMIT`` per ``PUBLIC_RATE_LIMIT_WINDOW`` seconds."""
    return take_slot(request, scope, settings.PUBLIC_RATE_LIMIT, settings.PUBLIC_RATE_LIMIT_WINDOW)


def rate_limited_message(retry_after):
    return _("Too many requests from your address. Wait %(seconds)s seconds and try again.") % {"seconds": retry_after}


def json_error(code, message, status):
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


def _etag(request, *parts):
    text = "|".join([registry_version(request), get_language() or "", request.path, request.GET.urlencode(), *parts])
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _finish(response, etag, *, private):
    if etag and (response.status_code == 304 or 200 <= response.status_code < 300):
        response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    if private:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return response


def public_page(view):
    """For HTML pages of the public: revalidated on every use, 304 for anonymous visitors when unchanged."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        etag = None
        if not request.user.is_authenticated:
            etag = _etag(request, "page", request.COOKIES.get(settings.CSRF_COOKIE_NAME, "-"))
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _finish(not_modified, etag, private=True)
        return _finish(view(request, *args, **kwargs), etag, private=True)

    return wrapped


def public_api(view):
    """For the API: CORS for everyone (no credentials), 304 when unchanged, public caching."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        etag = _etag(request, "api")
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return _finish(response, etag, private=False)

    return wrapped


def rate_limited_api(view):
    """Counts the request against the client's limit; over it, 429 with Retry-After and a JSON error."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        retry_after = take_request_slot(request)
        if retry_after is not None:
            response = json_error("rate_limited", rate_limited_message(retry_after), 429)
            response["Retry-After"] = str(retry_after)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            patch_cache_control(response, no_store=True)
            return response
        return view(request, *args, **kwargs)

    return wrapped
