"""Operations of the shared layer that change state: a login's roles.

Whoever changes roles (the ICT secretary's "people and roles" page today, a command tomorrow) calls
``change_roles``, so no path skips its rules.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction, AuditResult
from core.roles import Role, roles_of


class RolesRefused(ValidationError):
    """A role change the rules do not allow; the message says why, ``code`` names the rule."""


def _role_names(roles):
    return ", ".join(role.value for role in roles) or "-"


def _check(user, old, new, actor):
    """Raise ``RolesRefused`` unless ``actor`` may change ``user``'s roles from ``old`` to ``new`` (rows locked)."""
    if Role.ICT_SECRETARY in old and Role.ICT_SECRETARY not in new and user.is_active:
        others = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.ICT_SECRETARY.value)
            .exclude(pk=user.pk)
            .exists()
        )
        if not others:
            raise RolesRefused(
                _("%(user)s is the last active ICT secretary. Give the role to someone else first.")
                % {"user": user.get_username()},
                code="last_ict_secretary",
            )
    if actor.pk == user.pk:
        raise RolesRefused(_("Nobody can grant or change their own roles."), code="own_roles")
    if not actor.is_active or not actor.groups.filter(name=Role.ICT_SECRETARY.value).exists():
        raise RolesRefused(_("Only the ICT secretary can change roles."), code="not_ict_secretary")


def change_roles(user, roles, *, actor, request=None):
    """Give ``user`` exactly ``roles`` (``Role`` members or their values), as ``actor``.

    Refused with ``RolesRefused``: removing the last active ICT secretary's role, any change of one's own roles,
    an actor who is not (any longer) the ICT secretary. Side effects: the user's groups and ``is_staff`` (the
    admin is the ICT secretary's; a superuser keeps it); one audit log entry (``change_roles``) with the old
    and new roles, also when refused (``request`` gives the address). Returns the new roles.
    """
    new = [role for role in Role if role in {Role(value) for value in roles}]
    try:
        with transaction.atomic():
            # Lock every active ICT secretary, the user and the actor, in one order, before reading who holds
            # the role: two secretaries removing each other's role at once would otherwise both see the other
            # one staying, and leave the portal with none.
            locked = get_user_model().objects.select_for_update(of=("self",)).order_by("pk")
            list(locked.filter(is_active=True, groups__name=Role.ICT_SECRETARY.value).values_list("pk", flat=True))
            user = locked.get(pk=user.pk)
            actor_row = locked.get(pk=actor.pk)
            old = roles_of(user)
            _check(user, old, new, actor_row)
            groups = [Group.objects.get_or_create(name=role.value)[0] for role in new]
            user.groups.set(groups)
            user.is_staff = Role.ICT_SECRETARY in new or user.is_superuser
            user.save(update_fields=["is_staff"])
            audit.record(
                request,
                AuditAction.CHANGE_ROLES,
                user,
                actor=actor,
                detail=f"roles: {_role_names(old)} -> {_role_names(new)}",
            )
    except RolesRefused as refusal:
        audit.record(
            request,
            AuditAction.CHANGE_ROLES,
            user,
            actor=actor,
            result=AuditResult.REFUSED,
            detail=f"refused ({refusal.code}): {_role_names(roles_of(user))} -> {_role_names(new)}",
        )
        raise
    return new


def grant_role_on_server(user, role, *, command):
    """Add ``role`` to ``user``'s roles from a management command (``command`` names it), which whoever runs the
    server may do: the very first ICT secretary has nobody to be given the role by. Adds, never removes, so the
    last-secretary rule cannot be broken here. Side effects: the group, ``is_staff`` for the ICT secretary, one
    audit log entry without an actor. Returns whether anything changed."""
    role = Role(role)
    old = roles_of(user)
    if role in old:
        return False
    with transaction.atomic():
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        if role == Role.ICT_SECRETARY and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if hasattr(user, "_somegov_roles"):
            del user._somegov_roles
        new = roles_of(user)
        audit.record(
            None, AuditAction.CHANGE_ROLES, user, detail=f"{command}: {_role_names(old)} -> {_role_names(new)}"
        )
    return True
