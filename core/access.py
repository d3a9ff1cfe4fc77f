"""The access checks that more than one app asks: is this the ICT secretary, does this user oversee everything.

The superuser rule, decided once, here: **being a superuser is not a role.** SECURITY.md promises that what a
person may do in the portal follows their role (a Django group) and that a login without a role sees only the
public pages and its own account; the permission matrix (``tests/matrix``) holds every page to the roles and
knows no superuser. A superuser keeps what Django gives one, the admin, and does the ICT secretary's work in
the portal's own pages by joining the ICT secretary group, like anyone else.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.roles import Role, has_role, roles_of


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


# --- A login without a role ----------------------------------------------------------------------------
# SECURITY.md: what a person may do follows their role; a login without one (the identity provider creates
# such logins) sees only the public pages and its own account. The rule is kept here, once, and deny by
# default: ``RoleRequiredMiddleware`` refuses a roleless login every view that is neither public
# (``login_not_required``) nor one of its own account's pages (``role_not_required``); the services that act
# on behalf of someone call ``require_role`` too, so no other path skips the rule.


def has_any_role(user):
    """Whether ``user`` (a login, anonymous or None) holds at least one role (a group of ``Role``)."""
    return user is not None and bool(roles_of(user))


def require_role(user):
    """``user`` if they hold a role (``has_any_role``); otherwise ``PermissionDenied`` (403)."""
    if not has_any_role(user):
        raise PermissionDenied(_("Your login has no role in the portal yet. Ask the ICT secretary for one."))
    return user


def role_not_required(view_func):
    """Mark a view of one's own account (password, log-out, my page): a login without a role may use it."""
    view_func.role_required = False
    return view_func


class RoleRequiredMiddleware:
    """403 for a logged-in user without a role on every view but the public and own-account ones.

    After ``LoginRequiredMiddleware`` (which sends anonymous visitors to log in). The admin keeps its own
    checks (staff status and model permissions), as ``core.access`` says of the superuser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or has_any_role(request.user):
            return None
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "role_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        raise PermissionDenied(_("Your login has no role in the portal yet. Ask the ICT secretary for one."))


# --- Setting up a new install ----------------------------------------------------------------------------
# The one exception to "a superuser is not a role": before anyone holds a role, the superuser that
# ``createsuperuser`` made is the only login there is. It may use the set-up pages (the first-run checklist, the
# organisation's page and the units import) so that it can make the install the organisation's own; everything
# else it does in the portal needs the ICT secretary's group, as above.


def may_set_up(user):
    """Whether ``user`` may use the set-up pages: the ICT secretary, or an active superuser."""
    if user is None or not user.is_authenticated:
        return False
    return is_ict_secretary(user) or (user.is_superuser and user.is_active)


def set_up_page(view_func):
    """A set-up page: open to ``may_set_up``, 403 for others. A superuser without a role passes the role
    middleware here (``role_not_required``), and the view checks ``may_set_up`` itself."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not may_set_up(request.user):
            require_role(request.user)  # a roleless login hears why, as on other pages
            raise PermissionDenied(_("Only the ICT secretary can do this."))
        return view_func(request, *args, **kwargs)

    return role_not_required(wrapper)
