"""The organisation's page: the ICT secretary edits its names, website, contacts and logo; anyone gets the logo.

What the record says is read everywhere through ``core.organisation.current()``. Every save is in the audit log and
the record's history.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import organisation
from core.access import set_up_page
from core.models import Organisation
from somegov.forms import OrganisationForm


@set_up_page  # the ICT secretary, or the superuser of a new install (core.access.may_set_up)
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request):
    record = organisation.record_or_first_values()
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        changed = organisation.save(
            request,
            form.save(commit=False),
            form.changed_data,
            logo=form.logo,
            remove_logo=form.cleaned_data["remove_logo"],
        )
        if changed:
            messages.success(request, _("The organisation's details were saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("organisation")
    return render(
        request,
        "somegov/organisation.html",
        {"form": form, "saved": record.pk is not None, "has_logo": bool(record.logo)},
    )


@login_not_required
@require_safe
def organisation_logo(request):
    """The logo as the portal re-encoded it (PNG); cached for a year, its address changes when it does."""
    logo = Organisation.objects.filter(pk=1).values_list("logo", flat=True).first()
    if not logo:
        raise Http404
    response = HttpResponse(bytes(logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600)
    return response
