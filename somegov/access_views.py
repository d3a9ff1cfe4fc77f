"""The ICT secretary's pages on who uses the portal: the audit log (read, filtered, exported) and people and roles.

Both are the ICT secretary's alone (``require_ict_secretary``). Reading and exporting the log are written to the
log itself, and so is every role change (``core.services.change_roles``). The log cannot be changed here: these
pages only read it.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import audit, spreadsheets
from core.access import require_ict_secretary
from core.forms import add_service_error
from core.models import AuditAction, AuditEvent
from core.roles import Role, roles_of
from core.services import RolesRefused, change_roles
from somegov.forms import AuditLogFilterForm, RolesForm

LOG_PER_PAGE = 50
PEOPLE_PER_PAGE = 50


# --- The audit log -----------------------------------------------------------------------------------------


def _filtered_log(request):
    """The bound filter form and the log entries it selects; a filter with a bad value shows an error on its
    field and is left out, the others still apply."""
    form = AuditLogFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if not form.is_bound:
        return form, events
    form.is_valid()
    data = form.cleaned_data
    if data.get("start"):
        events = events.filter(at__date__gte=data["start"])
    if data.get("end"):
        events = events.filter(at__date__lte=data["end"])
    if data.get("actor"):
        events = events.filter(actor_name__icontains=data["actor"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("target"):
        target = data["target"]
        events = events.filter(
            Q(object_type__icontains=target) | Q(object_id=target) | Q(object_repr__icontains=target)
        )
    return form, events


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
def audit_log(request):
    """The log, newest first, filtered and paged. The read is logged first, so it is on the page it made."""
    require_ict_secretary(request.user)
    form, events = _filtered_log(request)
    audit.record(
        request,
        AuditAction.READ_LOG,
        object_type=AuditEvent._meta.label,
        object_repr="audit log",
        detail=f"filters: {_query_without_page(request) or '-'}; page {request.GET.get('page', '1')[:10]}",
    )
    page = Paginator(events, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "somegov/audit/log.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


def _log_rows(events):
    header = [
        _("Time"),
        _("Who"),
        _("Action"),
        _("Result"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Detail"),
        _("IP address"),
    ]
    rows = [header]
    for event in events.iterator():
        rows.append(
            [
                # As text: the spreadsheet writer keeps a date's day only, and the log needs the second.
                f"{timezone.localtime(event.at):%d.%m.%Y %H:%M:%S}",
                event.actor_name,
                event.get_action_display(),
                event.get_result_display(),
                event.object_type,
                event.object_id,
                event.object_repr,
                event.detail,
                event.ip_address or "",
            ]
        )
    return rows


@require_safe
def audit_log_export(request):
    """The filtered log as CSV (``core.spreadsheets``); the export is logged, with the filters and the count."""
    require_ict_secretary(request.user)
    form, events = _filtered_log(request)
    if form.is_bound and form.errors:
        return HttpResponseBadRequest(
            _("The filters are not valid. Correct them on the audit log page and export again."),
            content_type="text/plain; charset=utf-8",
        )
    rows = _log_rows(events)
    audit.record(
        request,
        AuditAction.EXPORT,
        object_type=AuditEvent._meta.label,
        object_repr="audit log",
        detail=f"csv, {len(rows) - 1} entries; filters: {_query_without_page(request) or '-'}",
    )
    return spreadsheets.download(rows, "csv", f"kayttoloki-{timezone.localdate().isoformat()}")


# --- People and roles --------------------------------------------------------------------------------------


@require_safe
def people_roles(request):
    """Every login with its roles and its person in the registry (the list of people is a view of their data,
    and logged as one)."""
    require_ict_secretary(request.user)
    logins = (
        get_user_model()
        .objects.select_related("person", "person__unit")
        .prefetch_related("groups")
        .order_by("username", "pk")
    )
    page = Paginator(logins, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    audit.record(
        request,
        AuditAction.VIEW_PEOPLE,
        object_type=get_user_model()._meta.label,
        object_repr="people and roles",
        detail=f"page {page.number}: logins {', '.join(str(login.pk) for login in page)}",
    )
    for login in page:
        names = {group.name for group in login.groups.all()}
        login.role_list = [role for role in Role if role.value in names]
    return render(request, "somegov/people/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def user_roles(request, pk):
    """One login's roles: a form of checkboxes; removing the ICT secretary's role asks for a confirmation."""
    actor = require_ict_secretary(request.user)
    login = get_object_or_404(get_user_model().objects.select_related("person"), pk=pk)
    current = roles_of(login)
    form = RolesForm(request.POST if request.method == "POST" else None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        new = [Role(value) for value in form.cleaned_data["roles"]]
        removes_ict = Role.ICT_SECRETARY in current and Role.ICT_SECRETARY not in new
        if removes_ict and not form.cleaned_data["confirmed"] and login.pk != actor.pk:
            return render(request, "somegov/people/confirm.html", {"login": login, "new_roles": new})
        try:
            change_roles(login, new, actor=actor, request=request)
        except RolesRefused as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(request, _("The roles of %(user)s were saved.") % {"user": login.get_username()})
            return redirect("people_roles")
    return render(
        request,
        "somegov/people/roles.html",
        {"login": login, "form": form, "current": current, "is_self": login.pk == actor.pk},
    )
