"""Every URL pattern of the project (the admin aside) answers each role as its matrix row says."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ROLE_KEYS, all_rows

ROWS = all_rows()


def _named_patterns(resolver=None, namespace=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_url_pattern_has_a_row():
    missing = _named_patterns() - {row.name for row in ROWS}
    assert not missing, f"URL patterns without a permission matrix row: {sorted(missing)}"


def test_every_row_names_a_real_pattern():
    unknown = {row.name for row in ROWS} - _named_patterns()
    assert not unknown, f"matrix rows for URL names that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("role", ROLE_KEYS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_matrix(row, role, org, client_for):
    assert set(row.expect) == set(ROLE_KEYS), f"row {row.id} must say what every role gets"
    client = client_for(role)
    url = reverse(row.name, args=row.args(org) if row.args else None) + row.query
    data = row.data(org) if row.data else None
    response = getattr(client, row.method.lower())(url, data)
    assert response.status_code == row.expect[role], (
        f"{row.method} {url} as {role}: got {response.status_code}, the matrix says {row.expect[role]}"
    )
    if role == "anonymous" and row.expect[role] == 302 and "login" in response.get("Location", ""):
        assert response["Location"].startswith(reverse("login"))
