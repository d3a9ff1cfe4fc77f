"""The ICT secretary's registry in the browser: the list, channel and person pages, and the changes.

Who sees what (``docs/registry.md``): the ICT secretary manages everything; every other staff role
reads the list, channel and person pages (the registry is a public document under the Openness Act, and staff
need it), but changes nothing; a logged-in user with no role gets 403; anonymous users are sent to log in
(``LoginRequiredMiddleware``). The rules live in the access helpers below, one per object.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels import history, services
from channels.extensions import channel_sections, person_sections
from channels.forms import SORTS, ChannelForm, GrantRightForm, RegistryFilterForm
from channels.models import Channel, ChannelStatus, Person, Unit, UpdateRight
from channels.problems import kind_by_code
from channels.transfer import columns, exporting, importing, reading
from core import audit, spreadsheets
from core.access import is_ict_secretary
from core.forms import ReasonForm, add_service_error
from core.models import AuditAction, AuditResult
from core.roles import roles_of

PAGE_SIZE = 25

# --- Access: one helper per object -------------------------------------------------------------------------


def can_read_registry(user):
    """Any staff role may read the registry; a login without a role may not."""
    return bool(roles_of(user))


def can_manage_registry(user):
    """Only the ICT secretary changes the registry (§3 of the guideline)."""
    return is_ict_secretary(user)


def registry_for_reading(request):
    """The channels the user may see, or 403: every channel for every staff role (the registry is public)."""
    if not can_read_registry(request.user):
        raise PermissionDenied
    return Channel.objects.all()


def registry_for_change(request):
    if not can_manage_registry(request.user):
        raise PermissionDenied
    return Channel.objects.all()


def channel_for_reading(request, pk):
    """A channel the user may read, with its problems and the people it names, or 403/404."""
    channels = registry_for_reading(request).with_problems()
    related = ("platform", "owner_unit", "responsible_person", "decided_by", "holiday_cover_person")
    return get_object_or_404(channels.select_related(*related), pk=pk)


def channel_for_change(request, pk):
    return get_object_or_404(registry_for_change(request).select_related("platform"), pk=pk)


def person_for_reading(request, pk):
    registry_for_reading(request)
    return get_object_or_404(Person.objects.select_related("unit", "supervisor", "unit__parent"), pk=pk)


def right_for_change(request, pk):
    registry_for_change(request)
    return get_object_or_404(UpdateRight.objects.select_related("person", "channel", "channel__platform"), pk=pk)


# --- The registry list -------------------------------------------------------------------------------------


def _unit_and_below(unit):
    """Ids of ``unit`` and every unit under it, from one query of the (small) unit tree."""
    children = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, stack = [], [unit.pk]
    while stack:
        pk = stack.pop()
        ids.append(pk)
        stack.extend(children.get(pk, []))
    return ids


def filtered_channels(request, base):
    """The registry list's queryset for the GET parameters, and the bound filter form."""
    form = RegistryFilterForm(request.GET or None)
    channels = base.with_problems()
    sort = "name"
    if form.is_bound:
        # A filter with a bad value (an old link, a person no longer responsible) is shown as an error on its
        # field and left out; the other filters still apply.
        form.is_valid()
        data = form.cleaned_data
        channels = channels.search(data.get("q"))
        if data.get("platform"):
            channels = channels.filter(platform=data["platform"])
        if data.get("unit"):
            channels = channels.filter(owner_unit__in=_unit_and_below(data["unit"]))
        if data.get("status"):
            channels = channels.filter(status=data["status"])
        if data.get("responsible"):
            channels = channels.filter(responsible_person=data["responsible"])
        problems = data.get("problems")
        if problems == "any":
            channels = channels.filter(has_problems=True)
        elif problems == "none":
            channels = channels.filter(has_problems=False)
        elif problems:
            channels = channels.filter(**{kind_by_code(problems).annotation: True})
        sort = data.get("sort") or "name"
    descending = sort.startswith("-")
    order = SORTS[sort.removeprefix("-")]
    channels = channels.order_by(*[f"-{field}" if descending else field for field in order])
    return form, channels, sort


def _sort_links(request, current):
    """For each sortable column: the URL that sorts by it (toggling the direction) and aria-sort's value."""
    links = {}
    for key in SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = f"-{key}" if current == key else key
        state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        links[key] = {"url": "?" + params.urlencode(), "aria_sort": state}
    return links


@require_GET
def registry(request):
    form, channels, sort = filtered_channels(request, registry_for_reading(request))
    counts = channels.order_by().aggregate(
        total=Count("pk"),
        with_problems=Count("pk", filter=Q(has_problems=True)),
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in ChannelStatus.values},
    )
    page = Paginator(channels.select_related("platform", "owner_unit", "responsible_person"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for channel in page:
        channel.problem_list = channel.problems()
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "channels/registry.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "status_counts": [(status, counts[f"status_{status.value}"]) for status in ChannelStatus],
            "sort_links": _sort_links(request, sort),
            "query_string": params.urlencode(),
            "can_manage": can_manage_registry(request.user),
        },
    )


def _filters_text(request):
    """The list's GET parameters as the audit log keeps them (the page number aside)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()[:400] or "-"


@require_GET
def export(request):
    """The registry (as filtered in the list) as CSV or XLSX, in the columns the import reads."""
    _form, channels, _sort = filtered_channels(request, registry_for_reading(request))
    file_format = request.GET.get("format", "xlsx")
    if file_format not in spreadsheets.CONTENT_TYPES:
        raise Http404
    content, _content_type = exporting.export_channels(channels, file_format)
    # The export names the responsible people: a disclosure of personal data, logged (906/2019 §17).
    audit.record(
        request,
        AuditAction.EXPORT,
        object_type=Channel._meta.label,
        object_repr="channel registry",
        detail=f"{file_format}; filters: {_filters_text(request)}",
    )
    return spreadsheets.attachment(content, file_format, f"somekanavat-{timezone.localtime():%Y-%m-%d}")


# --- A channel ---------------------------------------------------------------------------------------------


def _rights(queryset):
    return queryset.select_related("person", "person__unit", "granted_by", "revoked_by").order_by(
        "person__last_name", "person__first_name", "-granted_at"
    )


@require_GET
def channel_detail(request, pk):
    channel = channel_for_reading(request, pk)
    rights = list(_rights(channel.rights.all()))
    can_manage = can_manage_registry(request.user)
    return render(
        request,
        "channels/channel_detail.html",
        {
            "channel": channel,
            "problems": channel.problems(),
            "current_rights": [right for right in rights if right.is_current],
            "revoked_rights": [right for right in rights if not right.is_current],
            "changes": history.channel_changes(channel, include_security=can_manage),
            "can_manage": can_manage,
            "status_actions": _status_actions(channel) if can_manage else [],
            "extra_sections": channel_sections(request, channel),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def channel_create(request):
    registry_for_change(request)
    form = ChannelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        channel = form.save(commit=False)
        try:
            services.create_channel(channel, actor=request.user, reason=_("Added to the registry"))
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” was added to the registry.") % {"name": channel.name})
            return redirect("channels:channel_detail", channel.pk)
    return render(request, "channels/channel_form.html", {"form": form, "channel": None})


@require_http_methods(["GET", "POST"])
def channel_edit(request, pk):
    channel = channel_for_change(request, pk)
    form = ChannelForm(request.POST if request.method == "POST" else None, instance=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_channel(form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("channels:channel_detail", channel.pk)
    return render(request, "channels/channel_form.html", {"form": form, "channel": channel})


def _status_actions(channel):
    return [(action, label) for action, (_new, sources, label) in STATUS_ACTIONS.items() if channel.status in sources]


# action: (new status, the statuses it starts from, the button's label)
STATUS_ACTIONS = {
    "activate": (ChannelStatus.ACTIVE, {ChannelStatus.APPROVED}, gettext_lazy("Activate")),
    "pause": (ChannelStatus.PAUSED, {ChannelStatus.ACTIVE}, gettext_lazy("Pause")),
    "reactivate": (ChannelStatus.ACTIVE, {ChannelStatus.PAUSED, ChannelStatus.RETIRED}, gettext_lazy("Reactivate")),
    "retire": (
        ChannelStatus.RETIRED,
        {ChannelStatus.PROPOSED, ChannelStatus.APPROVED, ChannelStatus.ACTIVE, ChannelStatus.PAUSED},
        gettext_lazy("Retire"),
    ),
}


@require_http_methods(["GET", "POST"])
def channel_status(request, pk, action):
    """Activate, pause, reactivate or retire: a confirmation page with a reason, then a POST."""
    channel = channel_for_change(request, pk)
    if action not in STATUS_ACTIONS:
        raise Http404
    target, sources, _label = STATUS_ACTIONS[action]
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(channel, target, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” is now %(status)s.") % {"name": channel.name, "status": target.label.lower()}
            )
            return redirect("channels:channel_detail", channel.pk)
    return render(
        request,
        "channels/channel_status.html",
        {"channel": channel, "form": form, "action": action, "target": target, "allowed": channel.status in sources},
    )


@require_http_methods(["GET", "POST"])
def right_grant(request, pk):
    channel = channel_for_change(request, pk)
    form = GrantRightForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_right(
                channel, data["person"], role=data["role"], weekly_hours=data["weekly_hours"], actor=request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s now has an update right on “%(channel)s”.")
                % {"person": data["person"], "channel": channel.name},
            )
            return redirect("channels:channel_detail", channel.pk)
    return render(request, "channels/right_grant.html", {"channel": channel, "form": form})


@require_http_methods(["GET", "POST"])
def right_revoke(request, pk):
    right = right_for_change(request, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_right(right, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The update right of %(person)s on “%(channel)s” was revoked.")
                % {"person": right.person, "channel": right.channel.name},
            )
            return redirect("channels:channel_detail", right.channel_id)
    return render(request, "channels/right_revoke.html", {"right": right, "form": form})


# --- A person ----------------------------------------------------------------------------------------------


@require_GET
def person_detail(request, pk):
    person = person_for_reading(request, pk)
    if person.user_id is None or person.user_id != request.user.pk:
        audit.record(request, AuditAction.VIEW_PERSON, person)
    channel_fields = ("platform", "owner_unit")
    rights = list(
        person.rights.select_related("channel", "channel__platform", "granted_by", "revoked_by").order_by(
            "channel__name", "-granted_at"
        )
    )
    return render(
        request,
        "channels/person_detail.html",
        {
            "person": person,
            "responsible_for": person.responsible_for.select_related(*channel_fields).order_by("name"),
            "holiday_cover_for": person.holiday_cover_for.select_related(*channel_fields).order_by("name"),
            "current_rights": [right for right in rights if right.is_current],
            "revoked_rights": [right for right in rights if not right.is_current],
            "extra_sections": person_sections(request, person),
            "can_manage": can_manage_registry(request.user),
            "today": timezone.localdate(),
        },
    )


# --- Import ------------------------------------------------------------------------------------------------


def _plan_text(plan):
    """The audit log's detail of a previewed plan or an applied import (which has no errors)."""
    errors = getattr(plan, "error_count", 0)
    return f"{plan.created} to add, {plan.changed} to change, {plan.unchanged} unchanged, {errors} errors"


@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a spreadsheet; the answer is a preview of what would change. Nothing is saved here; a plan without
    errors is kept for its confirmation."""
    registry_for_change(request)
    form = reading.ImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        version = importing.current_version()
        plan = importing.plan_import(form.cleaned_data["table"])
        audit.record(
            request,
            AuditAction.IMPORT_PREVIEW,
            object_type=Channel._meta.label,
            object_repr=form.cleaned_data["file"].name,
            detail=_plan_text(plan),
        )
        token = None
        if plan.has_errors or not plan.change_count:
            importing.forget_plan(request.session)
        else:
            token = importing.remember_plan(request.session, plan, version, name=form.cleaned_data["file"].name)
        return render(request, "channels/import_preview.html", {"plan": plan, "token": token})
    return render(
        request,
        "channels/import_upload.html",
        {"form": form, "columns": columns.COLUMNS, "limit_mb": reading.MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=400 if form.is_bound else 200,  # a file that cannot be read: the form again, with its error
    )


@require_POST
def import_confirm(request):
    """Apply the plan that was previewed, in one transaction, if the registry has not changed since."""
    registry_for_change(request)
    name = importing.previewed_name(request.session)

    def refused(plan=None):
        audit.record(
            request,
            AuditAction.IMPORT,
            object_type=Channel._meta.label,
            object_repr=name,
            result=AuditResult.REFUSED,
            detail=_plan_text(plan) if plan is not None else "no previewed plan, or the registry changed since",
        )

    try:
        summary = importing.apply_previewed(request.session, request.POST.get("token", ""), actor=request.user)
    except importing.PreviewExpired:
        refused()
        messages.error(request, _("The preview has expired or was already used. Upload the file again."))
        return redirect("channels:import_upload")
    except importing.RegistryChanged:
        refused()
        messages.error(
            request,
            _(
                "The registry has changed since the preview, so nothing was imported. Upload the file again to "
                "see what it would change now."
            ),
        )
        return redirect("channels:import_upload")
    except importing.ImportRefused as exc:
        refused(exc.plan)
        return render(request, "channels/import_preview.html", {"plan": exc.plan, "token": None})
    audit.record(
        request, AuditAction.IMPORT, object_type=Channel._meta.label, object_repr=name, detail=_plan_text(summary)
    )
    messages.success(
        request,
        _("Import done: %(created)s channels added, %(changed)s changed, %(unchanged)s unchanged.")
        % {"created": summary.created, "changed": summary.changed, "unchanged": summary.unchanged},
    )
    return redirect(reverse("channels:registry"))
