from core.organisation import InContext, current
from core.roles import ROLE_DUTIES, roles_of


def roles(request):
    """The signed-in user's roles and their person record, for the navigation and the home page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "user_person": None}
    user_roles = roles_of(user)
    return {
        "user_roles": [{"role": role, "label": role.label, "duties": ROLE_DUTIES[role]} for role in user_roles],
        "user_role_values": {role.value for role in user_roles},
        "user_person": getattr(user, "person", None),
    }


def organisation(request):
    """The organisation that runs the portal (core.organisation): ``organisation.name``, ``organisation.genitive``
    in the active language, its website, logo and contacts."""
    return {"organisation": InContext(current())}
