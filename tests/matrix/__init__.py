"""The permission matrix: what anonymous users and each role get from every URL pattern.

Each feature keeps its rows in a module of this package (``foundation.py``, ``registry.py``, ...)
as a list named ``ROWS``; ``tests/test_permission_matrix.py`` collects them all and fails when a
URL pattern of the project (the admin aside) has no row.
"""

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable

ROLE_KEYS = ["anonymous", "outsider", "staff", "supervisor", "area_head", "municipal_manager", "ict_secretary"]
LOGIN = 302  # anonymous users are sent to the login page
STAFF_ROLES = ["staff", "supervisor", "area_head", "municipal_manager", "ict_secretary"]


@dataclasses.dataclass
class Row:
    """One URL pattern, one method: the status each role gets.

    ``args`` builds the URL's arguments from the ``org`` fixture (creating objects as needed);
    ``data`` builds the POST body the same way. ``note`` says why where it is not obvious.
    """

    name: str
    expect: dict
    method: str = "GET"
    args: Callable | None = None
    data: Callable | None = None
    query: str = ""
    note: str = ""

    @property
    def id(self):
        return f"{self.name}-{self.method}{'-' + self.note if self.note else ''}"


def everyone(code=200):
    """A public page: the same answer for everyone, logged in or not."""
    return dict.fromkeys(ROLE_KEYS, code)


def logged_in(code=200, anonymous=LOGIN):
    """Any logged-in user with a role, whichever it is; a login without a role (the outsider) gets 403, as on
    every page that is neither public nor its own account's (``core.access.RoleRequiredMiddleware``);
    anonymous users go to log in."""
    return {**dict.fromkeys(ROLE_KEYS, code), "outsider": 403, "anonymous": anonymous}


def own_account(code=200, anonymous=LOGIN):
    """A page of one's own account (password, my page): every login, a login without a role too."""
    return {**dict.fromkeys(ROLE_KEYS, code), "anonymous": anonymous}


def only(*allowed, code=200, refused=403, anonymous=LOGIN):
    """Only the named roles; other logged-in users are refused."""
    return {key: (anonymous if key == "anonymous" else code if key in allowed else refused) for key in ROLE_KEYS}


def all_rows():
    rows = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        rows.extend(getattr(module, "ROWS", []))
    return rows
