"""The units import: the ICT secretary (or, on a new install, the superuser) uploads the organisation's units,
sees what would be added, and confirms. See ``channels.transfer.units``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from channels.models import Unit, UnitKind
from channels.transfer import reading, units
from core import audit
from core.access import set_up_page
from core.models import AuditAction, AuditResult


class UnitsImportForm(reading.ImportForm):
    no_rows_message = gettext_lazy("The file has column headers but no units.")


def _plan_text(plan):
    if plan.has_errors:
        return f"{plan.error_count} errors"
    return f"{plan.created} added, {plan.unchanged} existed"


@set_up_page
@require_http_methods(["GET", "HEAD", "POST"])
def units_import(request):
    """Upload a spreadsheet of units; the answer is a preview. Nothing is saved here."""
    form = UnitsImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        file_errors, rows = units.rows_of(form.cleaned_data["table"])
        plan = units.plan_units(rows, file_errors)
        audit.record(
            request, AuditAction.IMPORT_PREVIEW, object_type=Unit._meta.label, object_repr=name, detail=_plan_text(plan)
        )
        token = None
        if plan.has_errors or not plan.created:
            units.forget_rows(request.session)
        else:
            token = units.remember_rows(request.session, rows, name=name)
        return render(request, "channels/units_preview.html", {"plan": plan, "token": token})
    return render(
        request,
        "channels/units_import.html",
        {
            "form": form,
            "kinds": UnitKind.choices,
            "unit_count": Unit.objects.count(),
            "limit_mb": reading.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=400 if form.is_bound else 200,  # a file that cannot be read: the form again, with its error
    )


@set_up_page
@require_POST
def units_import_confirm(request):
    """Add the previewed units, in one transaction (planned again against the registry as it is now)."""
    name = units.previewed_name(request.session)
    try:
        plan = units.apply_previewed(request.session, request.POST.get("token", ""))
    except units.PreviewExpired:
        audit.record(
            request,
            AuditAction.IMPORT,
            object_type=Unit._meta.label,
            object_repr=name,
            result=AuditResult.REFUSED,
            detail="no previewed file",
        )
        messages.error(request, _("The preview has expired or was already used. Upload the file again."))
        return redirect("channels:units_import")
    except units.UnitsRefused as refusal:
        audit.record(
            request,
            AuditAction.IMPORT,
            object_type=Unit._meta.label,
            object_repr=name,
            result=AuditResult.REFUSED,
            detail=_plan_text(refusal.plan),
        )
        return render(request, "channels/units_preview.html", {"plan": refusal.plan, "token": None})
    audit.record(request, AuditAction.IMPORT, object_type=Unit._meta.label, object_repr=name, detail=_plan_text(plan))
    messages.success(
        request,
        _("Units imported: %(created)s added, %(unchanged)s existed already.")
        % {"created": plan.created, "unchanged": plan.unchanged},
    )
    return redirect("channels:units_import")
