"""The portal's roles. Each role is a Django group; membership is what the portal checks.

The groups are created by a data migration (``somegov/migrations/0001_roles.py``); the
model permissions they carry for the admin are kept in step after every migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name; it is Finnish because the admin shows it as it is.
    ICT_SECRETARY = "ICT-sihteeri", _("ICT secretary")
    MUNICIPAL_MANAGER = "Kunnanjohtaja", _("Municipal manager")
    AREA_HEAD = "Vastuualuejohtaja", _("Head of responsibility area")
    SUPERVISOR = "Esihenkilö", _("Supervisor")
    STAFF = "Henkilöstö", _("Staff")


ROLE_DUTIES = {
    Role.ICT_SECRETARY: _(
        "Keeps the list of the municipality's public social media services, the people responsible and their "
        "update rights; guides staff."
    ),
    Role.MUNICIPAL_MANAGER: _("Decides on introducing new social media services for any unit."),
    Role.AREA_HEAD: _("Decides on new social media services of the units in their responsibility area."),
    Role.SUPERVISOR: _("Authorises their people to act for the municipality on social media."),
    Role.STAFF: _("Reads the guideline, proposes channels and maintains the channels they are authorised for."),
}

# Apps whose every model the ICT secretary manages in the admin.
ICT_SECRETARY_APPS = ("core", "channels", "guideline", "approvals", "somegov")


def roles_of(user):
    """The roles a user holds, in the order of ``Role``; cached on the user object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_somegov_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._somegov_roles = [role for role in Role if role.value in names]
    return user._somegov_roles


def has_role(user, *roles):
    return any(role in roles_of(user) for role in roles)


def active_users_with(*roles):
    """The active logins holding any of ``roles``, each once, in the order they were created."""
    from django.contrib.auth import get_user_model

    groups = [role.value for role in roles]
    return get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct().order_by("pk")


def grant_role_permissions(sender, using="default", **kwargs):
    """Give the ICT secretary group every model permission of the registry apps (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name=Role.ICT_SECRETARY.value).first()
    if group is None:
        return
    wanted = Permission.objects.using(using).filter(content_type__app_label__in=ICT_SECRETARY_APPS)
    group.permissions.add(*wanted)
