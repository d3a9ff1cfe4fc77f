"""The access checks that more than one app asks: is this the ICT secretary, does this user oversee everything.

The superuser rule, decided once, here: **being a superuser is not a role.** SECURITY.md promises that what a
person may do in the portal follows their role (a Django group) and that a login without a role sees only the
public pages and its own account; the permission matrix (``tests/matrix``) holds every page to the roles and
knows no superuser. A superuser keeps what Django gives one, the admin, and does the ICT secretary's work in
the portal's own pages by joining the ICT secretary group, like anyone else.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.roles import Role, has_role


def is_ict_secretary(user):
    """Whether ``user`` (a login, anonymous or None) is in the ICT secretary group; a superuser as such is not."""
    return user is not None and has_role(user, Role.ICT_SECRETARY)


def require_ict_secretary(user):
    """``user`` if they are the ICT secretary (``is_ict_secretary``); otherwise ``PermissionDenied`` (403)."""
    if not is_ict_secretary(user):
        raise PermissionDenied(_("Only the ICT secretary can do this."))
    return user


def oversees_all(user):
    """Whether ``user`` reads every proposal, every review and the compliance dashboard: the ICT secretary and
    the municipal manager (by group, as ``is_ict_secretary``)."""
    return user is not None and has_role(user, Role.ICT_SECRETARY, Role.MUNICIPAL_MANAGER)
