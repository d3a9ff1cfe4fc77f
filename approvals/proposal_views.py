"""Pages of channel proposals: my proposals, drafting, the proposal page, the decision queue, deciding.

Who sees a proposal: its proposer; once submitted, the people who decide on it and the people it names;
the municipal manager; the ICT secretary (all, drafts too). Everyone else gets 404, as if it did not exist.
Each view finds the proposal through an access helper, validates with a form and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from approvals import proposal_services as services
from approvals.models import (
    PolicyRule,
    Proposal,
    ProposalChecklistAnswer,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
)
from approvals.models.proposals import person_of
from approvals.proposal_forms import (
    ApproveForm,
    ChecklistForm,
    ProposalForm,
    RejectForm,
    ReturnForm,
    WithdrawForm,
    maintainer_formset,
)
from core.access import oversees_all
from core.forms import add_service_error
from core.roles import Role, has_role

PAGE_SIZE = 25

FIELD_LABELS = {
    "maintainers": gettext_lazy("Maintainers and working time"),
    "checklist": gettext_lazy("Policy checklist"),
}


def _field_label(name):
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    return Proposal._meta.get_field(name).verbose_name.capitalize()


def _missing_rows(missing):
    """``{field: [messages]}`` as rows for the template: the field's label, its anchor and the messages."""
    return [{"field": name, "label": _field_label(name), "messages": msgs} for name, msgs in missing.items()]


def _list_queryset(queryset):
    return queryset.select_related("platform", "unit", "proposer")


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _get_viewable(request, pk):
    """The proposal if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = Proposal.objects.viewable_by(request.user).select_related(
        "unit__parent",
        "platform",
        "proposer__unit",
        "responsible_person__unit",
        "holiday_cover_person__unit",
        "decided_by",
        "channel",
        "created_by",
    )
    return get_object_or_404(queryset, pk=pk)


def _get_own_editable(request, pk):
    """For the proposer's actions: the proposal, 403 for other viewers, None (with a message) when its
    state no longer allows the action."""
    proposal = _get_viewable(request, pk)
    if not proposal.is_proposed_by(request.user):
        raise PermissionDenied(_("Only the proposer can do this."))
    if not proposal.is_editable:
        messages.error(
            request,
            _("A proposal that is %(status)s cannot be changed any more.")
            % {"status": proposal.get_status_display().lower()},
        )
        return proposal, False
    return proposal, True


def _get_decidable(request, pk):
    """For the deciders' actions: the proposal, 403 for viewers who do not decide it, and False (with a
    message) when it no longer awaits a decision."""
    proposal = _get_viewable(request, pk)
    if not proposal.can_be_decided_by(request.user, any_status=True):
        raise PermissionDenied(
            _("Only the head of the proposing unit's responsibility area or the municipal manager decides on it.")
        )
    if proposal.status != ProposalStatus.SUBMITTED:
        messages.error(request, services.not_awaiting_message(proposal))
        return proposal, False
    return proposal, True


def _require_person(request):
    person = person_of(request.user)
    if person is None or person.has_left():
        raise PermissionDenied(
            _(
                "Only members of staff can propose channels. Ask the ICT secretary to link your login to your person "
                "record."
            )
        )
    return person


# --- Lists ---------------------------------------------------------------------------------------------


def proposal_list(request):
    """The user's own proposals, newest change first."""
    queryset = _list_queryset(Proposal.objects.proposed_by(request.user)).order_by("-updated_at", "-pk")
    return render(
        request,
        "approvals/proposals/list.html",
        {"page_obj": _page(request, queryset), "may_propose": person_of(request.user) is not None},
    )


def proposal_all(request):
    """Every proposal the ICT secretary or the municipal manager may see, filtered by status."""
    if not oversees_all(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    queryset = _list_queryset(Proposal.objects.viewable_by(request.user)).order_by("-updated_at", "-pk")
    if status in ProposalStatus.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "approvals/proposals/all.html",
        {"page_obj": _page(request, queryset), "status": status, "statuses": ProposalStatus.choices},
    )


def decision_queue(request):
    """Proposals awaiting the user's decision, oldest first, with their age in days."""
    if not has_role(request.user, Role.MUNICIPAL_MANAGER, Role.AREA_HEAD):
        raise PermissionDenied
    queryset = _list_queryset(Proposal.objects.awaiting(request.user))
    return render(request, "approvals/proposals/queue.html", {"page_obj": _page(request, queryset)})


# --- Drafting ------------------------------------------------------------------------------------------


def _draft_forms(request, user, proposal=None):
    data = request.POST if request.method == "POST" else None
    return (
        ProposalForm(data, user=user, instance=proposal),
        maintainer_formset(proposal, data),
        ChecklistForm(data, proposal=proposal, prefix="checklist"),
    )


def _render_draft_form(request, form, formset, checklist, proposal=None):
    return render(
        request,
        "approvals/proposals/form.html",
        {"form": form, "formset": formset, "checklist": checklist, "proposal": proposal},
    )


@require_http_methods(["GET", "POST"])
def proposal_create(request):
    _require_person(request)
    form, formset, checklist = _draft_forms(request, request.user)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid(), checklist.is_valid()]):
        try:
            proposal = services.create_draft(
                actor=request.user,
                fields=form.cleaned_data,
                maintainers=formset.maintainers(),
                answers=checklist.answers(),
                language=get_language(),
            )
        except services.ProposalError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The draft is saved. Submit it for decision when it is complete."))
            return redirect("approvals:proposal_detail", proposal.pk)
    return _render_draft_form(request, form, formset, checklist)


@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal, allowed = _get_own_editable(request, pk)
    if not allowed:
        return redirect("approvals:proposal_detail", proposal.pk)
    form, formset, checklist = _draft_forms(request, request.user, proposal)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid(), checklist.is_valid()]):
        try:
            services.update_draft(
                proposal,
                actor=request.user,
                fields=form.cleaned_data,
                maintainers=formset.maintainers(),
                answers=checklist.answers(),
                language=get_language(),
            )
        except services.ProposalError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("approvals:proposal_detail", proposal.pk)
    return _render_draft_form(request, form, formset, checklist, proposal)


# --- The proposal page ---------------------------------------------------------------------------------


def _proposal_context(request, proposal):
    """Everything the proposal page (and the pages that show the proposal) needs, in a fixed number of queries."""
    maintainers = list(proposal.maintainers.select_related("person__unit").order_by("pk"))
    answers = {a.rule_id: a for a in ProposalChecklistAnswer.objects.filter(proposal=proposal).select_related("rule")}
    rules = list(PolicyRule.objects.for_proposals())
    # Rules answered earlier but no longer asked stay visible with their answers.
    rules += [a.rule for rule_id, a in answers.items() if rule_id not in {r.pk for r in rules}]
    checklist = [(rule, answers.get(rule.pk)) for rule in rules]
    events = list(ProposalEvent.objects.filter(proposal=proposal).order_by("at", "pk"))
    user = request.user
    is_proposer = proposal.is_proposed_by(user)
    may_decide = proposal.can_be_decided_by(user)
    missing = services.missing_for_submission(proposal) if is_proposer and proposal.is_editable else {}
    if is_proposer:
        back = ("approvals:proposal_list", _("My channel proposals"))
    elif may_decide:
        back = ("approvals:decision_queue", _("Proposals awaiting your decision"))
    elif oversees_all(user):
        back = ("approvals:proposal_all", _("All channel proposals"))
    else:
        back = ("home", _("Home"))
    return {
        "back_url": reverse(back[0]),
        "back_label": back[1],
        "proposal": proposal,
        "maintainers": maintainers,
        "checklist": checklist,
        "events": events,
        "returned_event": next((e for e in reversed(events) if e.kind == ProposalEventKind.RETURNED), None),
        "is_proposer": is_proposer,
        "can_edit": is_proposer and proposal.is_editable,
        "can_decide": may_decide,
        "missing": _missing_rows(missing),
    }


def proposal_detail(request, pk):
    proposal = _get_viewable(request, pk)
    return render(request, "approvals/proposals/detail.html", _proposal_context(request, proposal))


@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk):
    """GET: check the proposal before sending it (what is missing, field by field). POST: submit."""
    proposal, allowed = _get_own_editable(request, pk)
    if not allowed:
        return redirect("approvals:proposal_detail", proposal.pk)
    context = _proposal_context(request, proposal)
    context["deciders"] = [] if context["missing"] else services.deciders_for(proposal)
    if request.method == "POST":
        try:
            services.submit(proposal, actor=request.user, language=get_language())
        except services.ProposalIncomplete as exc:
            context["missing"] = _missing_rows(exc.message_dict)
        except services.ProposalError as exc:
            context["errors"] = services.error_messages(exc)
        else:
            messages.success(request, _("The proposal is submitted. Its deciders have been told by e-mail."))
            return redirect("approvals:proposal_detail", proposal.pk)
    return render(request, "approvals/proposals/submit.html", context)


@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    proposal, allowed = _get_own_editable(request, pk)
    if not allowed:
        return redirect("approvals:proposal_detail", proposal.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except services.ProposalError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The proposal is withdrawn."))
            return redirect("approvals:proposal_detail", proposal.pk)
    return render(
        request,
        "approvals/proposals/confirm.html",
        {
            "proposal": proposal,
            "form": form,
            "title": _("Withdraw the proposal"),
            "intro": _("A withdrawn proposal stays in the records but cannot be submitted any more."),
            "button": _("Withdraw the proposal"),
            "danger": True,
        },
    )


# --- Deciding ------------------------------------------------------------------------------------------


def _decision_view(request, pk, form_class, action, template_context):
    proposal, allowed = _get_decidable(request, pk)
    if not allowed:
        return redirect("approvals:proposal_detail", proposal.pk)
    kwargs = {"proposal": proposal} if form_class is ApproveForm else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            action(proposal, form.cleaned_data)
        except services.ProposalError as exc:
            add_service_error(form, exc)
        else:
            return None
    context = _proposal_context(request, proposal)
    context.update(template_context, form=form)
    return render(request, "approvals/proposals/decide.html", context)


@require_http_methods(["GET", "POST"])
def proposal_approve(request, pk):
    def action(proposal, data):
        services.approve(
            proposal,
            actor=request.user,
            responsible_person=data["responsible_person"],
            goals=data["goals"],
            conditions=data["conditions"],
            decision_reference=data["decision_reference"],
        )

    response = _decision_view(
        request,
        pk,
        ApproveForm,
        action,
        {
            "title": _("Approve the proposal"),
            "intro": _(
                "Approving adds the channel to the registry and gives the maintainers their update rights. "
                "Confirm or change the responsible person and the goals."
            ),
            "button": _("Approve and add to the registry"),
        },
    )
    if response is None:
        messages.success(
            request,
            _("The proposal is approved and the channel is in the registry. The people concerned have been told."),
        )
        return redirect("approvals:proposal_detail", pk)
    return response


@require_http_methods(["GET", "POST"])
def proposal_return(request, pk):
    def action(proposal, data):
        services.return_for_changes(proposal, actor=request.user, comment=data["comment"])

    response = _decision_view(
        request,
        pk,
        ReturnForm,
        action,
        {
            "title": _("Return the proposal for changes"),
            "intro": _("The proposer can edit the proposal and submit it again."),
            "button": _("Return for changes"),
        },
    )
    if response is None:
        messages.success(request, _("The proposal is returned to the proposer for changes."))
        return redirect("approvals:proposal_detail", pk)
    return response


@require_http_methods(["GET", "POST"])
def proposal_reject(request, pk):
    def action(proposal, data):
        services.reject(proposal, actor=request.user, reason=data["reason"])

    response = _decision_view(
        request,
        pk,
        RejectForm,
        action,
        {
            "title": _("Reject the proposal"),
            "intro": _("A rejected proposal cannot be submitted again; the unit can make a new proposal."),
            "button": _("Reject the proposal"),
            "danger": True,
        },
    )
    if response is None:
        messages.success(request, _("The proposal is rejected. The proposer has been told."))
        return redirect("approvals:proposal_detail", pk)
    return response
