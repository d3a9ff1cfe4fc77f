"""First run: the set-up checklist a superuser gets on an install with no saved organisation yet.

The same five steps as ``manage.py setup_organisation`` (``somegov.setup``), each with its state read from the
data and a link to the page that does it. The home page sends a superuser here until the organisation is saved.
"""

import dataclasses

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from channels.models import Platform, Unit
from core import organisation
from core.access import set_up_page
from core.roles import Role, active_users_with
from guideline.models import GuidelineVersion


@dataclasses.dataclass
class Step:
    title: str
    done: bool
    state: str
    url: str
    link: str


def platforms_chosen():
    """Whether the platforms in use have been chosen: some platform has been switched off or on since it was made
    (the set-up command and the admin both leave a change in the platform's history)."""
    return Platform.history.filter(history_type="~").exists() or Platform.objects.filter(is_active=False).exists()


def steps():
    org = organisation.current()
    secretaries = active_users_with(Role.ICT_SECRETARY).count()
    units = Unit.objects.count()
    in_use = Platform.objects.filter(is_active=True).count()
    in_force = GuidelineVersion.objects.filter(status="published", is_translation=False).exists()
    draft = GuidelineVersion.objects.filter(status="draft", is_translation=False).exists()
    return [
        Step(
            _("The organisation"),
            org.saved,
            _("Saved: %(name)s") % {"name": org.name} if org.saved else _("Not saved yet"),
            reverse("organisation"),
            _("Organisation's details"),
        ),
        Step(
            _("The first ICT secretary"),
            secretaries > 0,
            _("%(count)s ICT secretaries") % {"count": secretaries} if secretaries else _("Nobody holds the role yet"),
            reverse("admin:auth_user_changelist"),
            _("Logins in the admin (then People and roles)"),
        ),
        Step(
            _("The units"),
            units > 0,
            _("%(count)s units") % {"count": units} if units else _("No units yet"),
            reverse("channels:units_import"),
            _("Import units from a spreadsheet"),
        ),
        Step(
            _("The platforms in use"),
            platforms_chosen(),
            _("%(count)s platforms in use") % {"count": in_use},
            reverse("admin:channels_platform_changelist"),
            _("Platforms in the admin"),
        ),
        Step(
            _("The guideline"),
            in_force,
            _("A guideline is in force")
            if in_force
            else (_("A draft waits to be published") if draft else _("No guideline yet")),
            reverse("guideline_import"),
            _("Import the guideline"),
        ),
    ]


@set_up_page
@require_safe
def first_run(request):
    return render(
        request,
        "somegov/first_run.html",
        {"steps": steps(), "people_roles_url": reverse("people_roles")},
    )
