"""The ICT secretary's pages of the policy rules (*Säännöt*): the list, a rule with its history, adding and editing
an attested rule, and taking a rule out of use (or back) with a reason. The services make the changes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from approvals import rule_services
from approvals.models import PolicyRule, RuleKind
from approvals.rule_forms import RuleForm
from approvals.rule_history import rule_changes
from core.access import require_ict_secretary
from core.forms import ReasonForm, add_service_error
from guideline.hooks import section_url


def _citations(rule, numbered):
    """``[(label, url)]``: each cited section, linked to the guideline in force where it has the section."""
    if not rule.sections:
        return [(rule.citation, "")]
    cited = []
    for number in rule.section_numbers:
        section = numbered.get(str(number))
        label = f"§ {number}" + (f" {section.title}" if section else "")
        cited.append((label, section_url(section.slug) if section else ""))
    return cited


def _rule_or_404(pk):
    return get_object_or_404(PolicyRule.objects.prefetch_related("platforms"), pk=pk)


@require_safe
def rule_list(request):
    require_ict_secretary(request.user)
    version, numbered = rule_services.sections_in_force()
    rules = list(PolicyRule.objects.prefetch_related("platforms").order_by("-is_active", "position", "code"))
    for rule in rules:
        rule.cited = _citations(rule, numbered)
    groups = [
        (RuleKind.AUTOMATIC, _("Checked from the registry's data"), [r for r in rules if r.is_automatic]),
        (RuleKind.ATTESTED, _("Attested by a person"), [r for r in rules if not r.is_automatic]),
    ]
    return render(request, "approvals/rules/list.html", {"groups": groups, "version": version})


@require_safe
def rule_detail(request, pk):
    require_ict_secretary(request.user)
    rule = _rule_or_404(pk)
    version, numbered = rule_services.sections_in_force()
    rule.cited = _citations(rule, numbered)
    return render(
        request,
        "approvals/rules/detail.html",
        {"rule": rule, "version": version, "changes": rule_changes(rule)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def rule_add(request):
    require_ict_secretary(request.user)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = rule_services.add_attested_rule(
                form.values(),
                form.cleaned_data["platforms"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except rule_services.RuleRefused as refusal:
            add_service_error(form, refusal)
        else:
            messages.success(request, _("The rule was added and is in use."))
            return redirect("approvals:rule_detail", pk=rule.pk)
    return render(request, "approvals/rules/form.html", {"form": form, "rule": None})


@require_http_methods(["GET", "HEAD", "POST"])
def rule_edit(request, pk):
    require_ict_secretary(request.user)
    rule = _rule_or_404(pk)
    if rule.is_automatic:
        raise Http404(_("A rule checked from the registry's data is not edited here."))
    form = RuleForm.for_rule(rule, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = rule_services.edit_attested_rule(
                rule,
                form.values(),
                form.cleaned_data["platforms"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except rule_services.RuleRefused as refusal:
            add_service_error(form, refusal)
        else:
            if changed:
                messages.success(request, _("The rule was changed."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("approvals:rule_detail", pk=rule.pk)
    return render(request, "approvals/rules/form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "HEAD", "POST"])
def rule_status(request, pk):
    """Take the rule out of use (switch an automatic rule off, retire an attested one), or put it back."""
    require_ict_secretary(request.user)
    rule = _rule_or_404(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = rule_services.take_out_of_use if rule.is_active else rule_services.put_back_in_use
        try:
            rule = change(rule, reason=form.cleaned_data["reason"], actor=request.user, request=request)
        except rule_services.RuleRefused as refusal:
            add_service_error(form, refusal)
        else:
            if not rule.is_active:
                done = _("The rule was switched off.") if rule.is_automatic else _("The rule was retired.")
            else:
                done = _("The rule is in use again.")
            messages.success(request, done)
            return redirect("approvals:rule_detail", pk=rule.pk)
    return render(request, "approvals/rules/status.html", {"form": form, "rule": rule})
