"""Each role's tools from the header, in Finnish and in English, with axe on every page reached.

The merged portal's data: a channel with a right lacking its basis, a submitted proposal, authorisations,
so the registry's sections, the work lists and the decision queue all have something to show.
"""

import pytest

from approvals.models import ProposalStatus
from tests.a11y import assert_accessible
from tests.authorisation_factories import authorise
from tests.conftest import login
from tests.proposal_builders import make_proposal
from tests.registry_helpers import ensure_platforms, healthy, make_channel, make_right

pytestmark = pytest.mark.browser

ROLES = ["staff", "supervisor", "area_head", "municipal_manager", "ict_secretary"]


@pytest.fixture
def portal(org):
    ensure_platforms()
    channel = healthy(make_channel(org.unit, name="Kirjaston Facebook"), org)
    make_right(channel, org.people["area_head"])  # no commitment: a right without basis
    authorise(org.people["area_head"])
    make_proposal(org, ProposalStatus.SUBMITTED)
    return org


def _tool_links(page):
    links = page.locator("nav.tool-nav a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def _visit_every_tool(page):
    tools = [(name, href) for name, href in _tool_links(page) if not href.startswith("/admin")]
    assert tools, "the header shows no tools"
    for name, href in tools:
        page.goto(page.base_url + href)
        assert page.locator("h1").count() == 1, f"{name} ({href}) has no single h1"
        assert_accessible(page)
    return tools


@pytest.mark.parametrize("role", ROLES)
def test_every_tool_in_the_header_is_accessible_in_finnish_and_english(page, portal, role):
    login(page, portal.users[role].username)
    finnish = _visit_every_tool(page)
    page.goto(page.base_url + "/")
    assert_accessible(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    english = _visit_every_tool(page)
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", name="Your tools").is_visible()  # the home page lists the same tools
    assert_accessible(page)
    assert [href for _, href in finnish] == [href for _, href in english]
    assert [name for name, _ in finnish] != [name for name, _ in english]  # the labels are translated
