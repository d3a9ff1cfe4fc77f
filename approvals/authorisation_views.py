"""Pages for supervisor authorisations: my team, my page, the ICT secretary's work list and the
who-may-act matrix with its export. Views are thin: an access helper finds the object (or raises
403/404), a form validates, one service function changes the data."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from approvals import authorisation_services as services
from approvals.authorisation_forms import AuthorisationForm, ExtendAuthorisationForm
from approvals.models import Proposal
from approvals.models.authorisations import Authorisation, AuthorisationState, channel_label
from channels.forms import GrantRightForm
from channels.models import Channel, Person, UpdateRight
from channels.services import grant_right, revoke_right
from core import audit, spreadsheets
from core.access import is_ict_secretary, require_ict_secretary, role_not_required
from core.forms import ReasonForm, add_service_error
from core.models import AuditAction

PAGE_SIZE = 20


# --- Access helpers: return the object or raise ----------------------------------------------------


def _supervisor_person(request):
    """The signed-in supervisor's person record; 403 for anyone who does not supervise."""
    me = services.person_of(request.user)
    if me is None or not services.is_supervising(request.user):
        raise PermissionDenied(_("This page is for supervisors."))
    return me


def _authorisable_people(request):
    """The people whose authorisations the signed-in user handles, as a queryset; 403 for others.

    The ICT secretary: everyone but themselves. A supervisor: their own line, scoped in the query.
    """
    me = services.person_of(request.user)
    if is_ict_secretary(request.user):
        people = Person.objects.all()
        return people.exclude(pk=me.pk) if me else people
    me = _supervisor_person(request)
    return Person.objects.filter(pk__in=services.line_of(me))


def _get_person_to_authorise(request, person_pk):
    return get_object_or_404(_authorisable_people(request).select_related("supervisor"), pk=person_pk)


def _get_authorisation(request, pk):
    people = _authorisable_people(request)
    return get_object_or_404(
        Authorisation.objects.filter(person__in=people).select_related("person", "granted_by"), pk=pk
    )


def _after_action(request, person):
    """Back to the team page for supervisors, to the work list for the ICT secretary."""
    if services.person_of(request.user) and person.is_in_line_of(services.person_of(request.user)):
        return redirect("approvals:my_team")
    return redirect("approvals:rights_problems")


# --- Supervisors: my team -------------------------------------------------------------------------


def _with_team_details(people, on):
    authorisations = Authorisation.objects.select_related("granted_by").prefetch_related(
        Prefetch("channels", queryset=Channel.objects.select_related("platform"))
    )
    rights = services.rights_with_basis(on).select_related("channel__platform").order_by("channel__name", "pk")
    return people.select_related("unit", "supervisor").prefetch_related(
        Prefetch("authorisations", queryset=authorisations, to_attr="authorisation_list"),
        Prefetch("rights", queryset=rights, to_attr="current_rights"),
    )


def _describe(person, on, acknowledgements):
    """What a page shows about one person, from prefetched rows only (no queries)."""
    valid = [a for a in person.authorisation_list if a.state(on) == AuthorisationState.VALID]
    for right in person.current_rights:
        right.problems = services.basis_problems(right, on)
    for authorisation in person.authorisation_list:
        authorisation.current_state = authorisation.state(on)
    committed = services.has_commitment(person, on)
    return {
        "person": person,
        "authorisations": person.authorisation_list,
        "has_valid_authorisation": bool(valid),
        "rights": person.current_rights,
        "rights_with_problems": sum(1 for r in person.current_rights if r.problems),
        "committed": committed,
        "has_left": person.has_left(on),
        "guideline": None if acknowledgements is None else bool(acknowledgements.get(person.pk)),
    }


def my_team(request):
    """The supervisor's people (direct and indirect reports), their authorisations and rights."""
    me = _supervisor_person(request)
    on = timezone.localdate()
    line = services.line_of(me)
    # Leavers stay on the page while they still hold a right: that is a problem to see, not to hide.
    people = (
        Person.objects.filter(pk__in=line)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on) | Q(rights__revoked_at__isnull=True, rights__isnull=False))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(_with_team_details(people, on), PAGE_SIZE).get_page(request.GET.get("page"))
    acknowledgements = services.guideline_acknowledgements(page.object_list, on)
    members = [_describe(person, on, acknowledgements) for person in page.object_list]
    # A supervisor reads their people's authorisations, rights and commitments: a view of personal data.
    audit.record(
        request,
        AuditAction.VIEW_PEOPLE,
        object_type=Person._meta.label,
        object_repr="my team",
        detail=f"page {page.number}: people {', '.join(str(person.pk) for person in page.object_list) or '-'}",
    )
    return render(
        request,
        "approvals/authorisations/my_team.html",
        {
            "me": me,
            "page_obj": page,
            "members": members,
            "today": on,
        },
    )


# --- Everyone: my page ----------------------------------------------------------------------------


def my_proposals(request, person):
    """The "My details" page's list of the person's channel proposals (the newest ten)."""
    proposals = (
        Proposal.objects.filter(Q(proposer=person) | Q(created_by=request.user))
        .select_related("platform", "unit", "proposer")
        .order_by("-updated_at", "-pk")[:10]
    )
    return render_to_string("approvals/integrations/my_proposals.html", {"proposals": list(proposals)}, request=request)


@role_not_required
def my_page(request):
    """My authorisations, my update rights, my proposals and the checklist before I may publish."""
    me = services.person_of(request.user)
    on = timezone.localdate()
    context = {"me": me, "today": on}
    if me is not None:
        person = _with_team_details(Person.objects.filter(pk=me.pk), on).get()
        acknowledgements = services.guideline_acknowledgements([person], on)
        context.update(_describe(person, on, acknowledgements))
        context["checklist"] = services.my_checklist(person, on, person.authorisation_list, acknowledgements)
        context["right_checks"] = [
            (right, services.publishing_requirements(person, right.channel, on, person.authorisation_list))
            for right in person.current_rights
        ]
        context["proposals_html"] = my_proposals(request, person)
    return render(request, "approvals/authorisations/my_page.html", context)


# --- Grant, extend, revoke an authorisation ---------------------------------------------------------


def authorisation_grant(request, person_pk):
    """Authorise a person (a supervisor), or record a supervisor's written authorisation (ICT secretary)."""
    person = _get_person_to_authorise(request, person_pk)
    me = services.person_of(request.user)
    in_my_line = bool(me and services.is_supervising(request.user) and person.is_in_line_of(me))
    recording = not in_my_line
    form = AuthorisationForm(request.POST if request.method == "POST" else None, person=person, recording=recording)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_authorisation(
                person,
                actor=request.user,
                granted_by=data.get("granted_by"),
                scope=data["scope"],
                channels=data["channels"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                conditions=data["conditions"],
                decision_reference=data.get("decision_reference", ""),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(person)s is now authorised.") % {"person": person})
            return _after_action(request, person)
    return render(
        request,
        "approvals/authorisations/grant.html",
        {"person": person, "form": form, "recording": recording},
    )


def authorisation_extend(request, pk):
    authorisation = _get_authorisation(request, pk)
    form = ExtendAuthorisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_authorisation(
                authorisation,
                actor=request.user,
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The authorisation of %(person)s was extended.") % {"person": authorisation.person}
            )
            return _after_action(request, authorisation.person)
    return render(request, "approvals/authorisations/extend.html", {"authorisation": authorisation, "form": form})


def authorisation_revoke(request, pk):
    authorisation = _get_authorisation(request, pk)
    on = timezone.localdate()
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_authorisation(authorisation, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The authorisation of %(person)s was revoked. Their update rights without another basis are now "
                    "listed for the ICT secretary to revoke."
                )
                % {"person": authorisation.person},
            )
            return _after_action(request, authorisation.person)
    # Which rights would be left without a basis: shown before the supervisor confirms.
    others = list(
        Authorisation.objects.valid(on)
        .filter(person=authorisation.person)
        .exclude(pk=authorisation.pk)
        .prefetch_related("channels")
    )
    rights = UpdateRight.objects.current().filter(person=authorisation.person).select_related("channel__platform")
    at_risk = [r for r in rights if not any(a.covers(r.channel) for a in others)]
    return render(
        request,
        "approvals/authorisations/revoke.html",
        {"authorisation": authorisation, "form": form, "at_risk": at_risk},
    )


# --- The ICT secretary: problems, who may act, grant and revoke rights -------------------------------


def _record_people_view(request, what, page, person_pks):
    """The ICT secretary's lists show people's rights, authorisations and commitments: a view of personal data."""
    audit.record(
        request,
        AuditAction.VIEW_PEOPLE,
        object_type=Person._meta.label,
        object_repr=what,
        detail=f"page {page.number}: people {', '.join(str(pk) for pk in sorted(person_pks)) or '-'}",
    )


def rights_problems(request):
    """The ICT secretary's work list: current rights without basis, each one action from revocation."""
    require_ict_secretary(request.user)
    on = timezone.localdate()
    page = Paginator(services.rights_without_basis(on), PAGE_SIZE).get_page(request.GET.get("page"))
    for right in page.object_list:
        right.problems = services.basis_problems(right, on)
    _record_people_view(request, "rights without basis", page, {right.person_id for right in page.object_list})
    return render(request, "approvals/authorisations/problems.html", {"page_obj": page, "today": on})


def right_revoke(request, pk):
    """Confirm and revoke an update right (``channels.services.revoke_right``)."""
    require_ict_secretary(request.user)
    on = timezone.localdate()
    right = get_object_or_404(
        services.rights_with_basis(on, UpdateRight.objects.all()).select_related("person", "channel__platform"), pk=pk
    )
    if not right.is_current:
        raise Http404(_("This right was already revoked."))
    problems = services.basis_problems(right, on)
    form = ReasonForm(request.POST if request.method == "POST" else None, initial={"reason": " ".join(problems)})
    if request.method == "POST" and form.is_valid():
        try:
            revoke_right(right, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The update right of %(person)s on %(channel)s was revoked.")
                % {"person": right.person, "channel": channel_label(right.channel)},
            )
            # A URL, never a view name: redirect() would try to reverse "1e309" and fail.
            return HttpResponseRedirect(_next_or_work_list(request, request.POST.get("next", "")))
    # The registry's channel page links here with ?next= so the secretary returns to the channel.
    return render(
        request,
        "approvals/authorisations/right_revoke.html",
        {
            "right": right,
            "problems": problems,
            "form": form,
            "next": _next_or_work_list(request, request.POST.get("next") or request.GET.get("next", "")),
        },
    )


def _next_or_work_list(request, target):
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("approvals:rights_problems")
    return target


def right_grant(request, channel_pk):
    """The ICT secretary gives an update right; ``grant_right`` applies every registered check."""
    require_ict_secretary(request.user)
    channel = get_object_or_404(services.channels_for_matrix(), pk=channel_pk)
    form = GrantRightForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant_right(
                channel, data["person"], role=data["role"], weekly_hours=data["weekly_hours"], actor=request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s now has an update right on %(channel)s.")
                % {"person": data["person"], "channel": channel_label(channel)},
            )
            return redirect("approvals:who_may_act")
    return render(request, "approvals/authorisations/right_grant.html", {"channel": channel, "form": form})


def _matrix(request, on):
    """Channels (gaps first when asked) with their current rights annotated with their basis."""
    rights = services.rights_with_basis(on).select_related("person").order_by("person__last_name", "pk")
    channels = services.channels_with_gaps(services.channels_for_matrix(), on).prefetch_related(
        Prefetch("rights", queryset=rights, to_attr="current_rights")
    )
    gaps_only = request.GET.get("gaps") == "1"
    if gaps_only:
        channels = channels.filter(has_gap=True)
    return channels.order_by("name", "pk"), gaps_only


def who_may_act(request):
    """Channel → people with current rights, each with their authorisation and commitment; gaps in words."""
    require_ict_secretary(request.user)
    on = timezone.localdate()
    channels, gaps_only = _matrix(request, on)
    page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
    for channel in page.object_list:
        for right in channel.current_rights:
            right.problems = services.basis_problems(right, on)
    people = {right.person_id for channel in page.object_list for right in channel.current_rights}
    _record_people_view(request, "who may act", page, people)
    return render(
        request,
        "approvals/authorisations/who_may_act.html",
        {"page_obj": page, "gaps_only": gaps_only, "today": on},
    )


def _export_rows(channels, on):
    yes, no = _("yes"), _("no")
    header = [
        _("Channel"),
        _("Platform"),
        _("Address"),
        _("Owning unit"),
        _("Channel status"),
        _("Person"),
        _("Role on the platform"),
        _("Valid authorisation"),
        _("Commitment recorded"),
        _("In service"),
        _("Problems"),
    ]
    rows = [header]
    for channel in channels:
        base = [
            channel.name,
            channel.platform.name,
            channel.address,
            channel.owner_unit.name,
            channel.get_status_display(),
        ]
        if not channel.current_rights:
            rows.append([*base, "", "", "", "", "", _("Nobody has an update right.")])
        for right in channel.current_rights:
            rows.append(
                [
                    *base,
                    right.person.full_name,
                    right.get_role_display(),
                    yes if right.has_authorisation else no,
                    yes if right.has_commitment else no,
                    no if right.has_left else yes,
                    " ".join(services.basis_problems(right, on)),
                ]
            )
    return rows


def who_may_act_export(request, fmt):
    """The who-may-act list as CSV or XLSX (``core.spreadsheets``)."""
    require_ict_secretary(request.user)
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    on = timezone.localdate()
    channels, _gaps_only = _matrix(request, on)
    rows = _export_rows(channels, on)
    # The list names the people who may act and their authorisations: a disclosure, logged (906/2019 §17).
    audit.record(
        request,
        AuditAction.EXPORT,
        object_type=UpdateRight._meta.label,
        object_repr="who may act",
        detail=f"{fmt}, {len(rows) - 1} rows",
    )
    return spreadsheets.download(rows, fmt, f"kuka-saa-toimia-{on.isoformat()}", title=on.isoformat())
