"""The helpers every layer shares, one test each: access checks, forms, e-mail recipients, queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.access import is_ict_secretary, oversees_all, require_ict_secretary
from tests.conftest import ROLE_KEYS
from tests.factories import make_user


def _user(org, role_key):
    return AnonymousUser() if role_key == "anonymous" else org.users[role_key]


# --- Access checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role_key", [*ROLE_KEYS, "superuser", "none"])
def test_only_the_ict_secretary_group_is_the_ict_secretary(org, role_key):
    if role_key == "superuser":
        user = make_user("root", is_superuser=True)  # in no group: not the ICT secretary (see core.access)
    else:
        user = None if role_key == "none" else _user(org, role_key)
    expected = role_key == "ict_secretary"
    assert is_ict_secretary(user) is expected
    if expected:
        assert require_ict_secretary(user) is user
    else:
        with pytest.raises(PermissionDenied, match="Vain ICT-sihteeri voi tehdä tämän"):
            require_ict_secretary(user)


@pytest.mark.parametrize("role_key", ROLE_KEYS)
def test_the_ict_secretary_and_the_municipal_manager_oversee_all(org, role_key):
    assert oversees_all(_user(org, role_key)) is (role_key in {"ict_secretary", "municipal_manager"})
