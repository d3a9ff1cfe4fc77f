"""The open data API, read-only and without login: the official channels as JSON and CSV, and the account check.

Plain Django views returning JSON: the API is small and read-only, so a framework would bring more than it
gives. The OpenAPI description is ``channels.openapi.SCHEMA``; a test validates real answers against it.
Every error is ``{"error": {"code": ..., "message": ...}}`` with the message in the request's language.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from channels import public
from channels.addresses import InvalidAddress
from channels.openapi import schema_for
from channels.public_http import json_error, public_api, rate_limited_api
from core import organisation, spreadsheets

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
CSV_COLUMNS = [
    "id",
    "name",
    "platform",
    "platform_name",
    "url",
    "address",
    "unit_id",
    "unit",
    "purposes",
    "summary",
    "official_since",
    "last_reviewed_on",
]
CSV_NAME = "{stem}-somekanavat"  # saved as suomussalmi-somekanavat.csv (the organisation's file stem)


class BadParameter(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _positive_int(request, name, default):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise BadParameter(
            "invalid_parameter", _("The parameter %(name)s must be a positive whole number.") % {"name": name}
        )
    return value


def _filters(request, data):
    """The platform slug and unit id of the query, checked against the registry (any platform or unit)."""
    platform = request.GET.get("platform") or None
    if platform is not None and platform not in data.platforms:
        raise BadParameter(
            "invalid_parameter",
            _("Unknown platform “%(value)s”. Use one of: %(choices)s.")
            % {"value": platform[:50], "choices": ", ".join(sorted(data.platforms))},
        )
    unit = None
    if request.GET.get("unit"):
        unit = _positive_int(request, "unit", None)
        if unit not in data.units:
            raise BadParameter("invalid_parameter", _("Unknown unit %(value)s.") % {"value": unit})
    return platform, unit


def _page_link(request, page, page_size):
    params = {key: value for key, value in request.GET.items() if key not in ("page", "page_size")}
    params.update(page=page, page_size=page_size)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(params.items()))}")


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_safe
@rate_limited_api
@public_api
def channel_list(request):
    """The active channels, by name, a page at a time."""
    data = public.snapshot(request)
    try:
        platform, unit = _filters(request, data)
        page = _positive_int(request, "page", 1)
        page_size = min(_positive_int(request, "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        entries = public.filter_active(data, platform=platform, unit=unit)
        pages = max(1, -(-len(entries) // page_size))
        if page > pages:
            raise BadParameter(
                "page_not_found", _("There is no page %(page)s: the last page is %(pages)s.") % {
                    "page": page, "pages": pages
                }, status=404
            )  # fmt: skip
    except BadParameter as exc:
        return json_error(exc.code, exc.message, exc.status)
    start = (page - 1) * page_size
    return _json(
        {
            "count": len(entries),
            "page": page,
            "page_size": page_size,
            "pages": pages,
            "next": _page_link(request, page + 1, page_size) if page < pages else None,
            "previous": _page_link(request, page - 1, page_size) if page > 1 else None,
            "results": [public.public_fields(entry) for entry in entries[start : start + page_size]],
        }
    )


@login_not_required
@require_safe
@rate_limited_api
@public_api
def channel_csv(request):
    """The active channels as a CSV file for spreadsheets, as Finnish Excel opens it (``core.spreadsheets``).

    Filters as in the JSON list; no pages. Dates are ISO dates, as in the JSON.
    """
    data = public.snapshot(request)
    try:
        platform, unit = _filters(request, data)
    except BadParameter as exc:
        return json_error(exc.code, exc.message, exc.status)
    rows = [CSV_COLUMNS]
    for entry in public.filter_active(data, platform=platform, unit=unit):
        fields = public.public_fields(entry)
        rows.append(
            [
                fields["id"],
                fields["name"],
                fields["platform"]["slug"],
                fields["platform"]["name"],
                fields["url"],
                fields["address"],
                fields["unit"]["id"],
                fields["unit"]["name"],
                ",".join(purpose["code"] for purpose in fields["purposes"]),
                fields["summary"],
                fields["official_since"],
                fields["last_reviewed_on"],
            ]
        )
    # Not written to the audit log, unlike the portal's exports: this is the public open data, which holds no
    # personal data (``public.public_fields`` leaves the people out), and anyone may fetch it without logging in.
    return spreadsheets.download(rows, "csv", CSV_NAME.format(stem=organisation.current().file_stem))


def verification_json(result):
    """The check's answer; ``channel`` is the one registered match, ``matches`` lists every candidate."""
    return {
        "address": result.address,
        "status": result.verdict,
        "channel": public.public_fields(result.channel) if result.channel else None,
        "matches": [
            {
                "platform": match.platform,
                "key": match.key,
                "status": match.verdict,
                "channel": public.public_fields(match.channel) if match.channel else None,
            }
            for match in result.matches
        ],
    }


@login_not_required
@require_safe
@rate_limited_api
@public_api
def verify(request):
    """Is this address or username one of the municipality's accounts?"""
    if "address" not in request.GET:
        return json_error("missing_parameter", _("Give the address to check in the parameter address."), 400)
    try:
        result = public.verify(request.GET["address"], request)
    except InvalidAddress as exc:
        return json_error(exc.code, exc.message, 400)
    return _json(verification_json(result))


@login_not_required
@require_safe
def schema(request):
    name, _genitive = organisation.current().names("en")
    response = HttpResponse(json.dumps(schema_for(name), ensure_ascii=False, indent=2), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
