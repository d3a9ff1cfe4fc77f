"""The foundation as a person meets it: every page in Finnish and English, logged in as each role."""

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/saavutettavuus/", "/tietosuoja/", "/accounts/login/"]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_public_pages_are_accessible(page, language, transactional_db):
    if language == "en":
        page.goto(page.base_url + "/")
        page.get_by_role("button", name="In English").click()
        page.wait_for_load_state()
    for path in PUBLIC_PAGES:
        page.goto(page.base_url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_each_role_logs_in_and_sees_who_they_are(page, org):
    for role_key, role_name in [
        ("staff", "Henkilöstö"),
        ("supervisor", "Esihenkilö"),
        ("area_head", "Vastuualuejohtaja"),
        ("municipal_manager", "Kunnanjohtaja"),
        ("ict_secretary", "ICT-sihteeri"),
    ]:
        login(page, org.users[role_key].username)
        main = page.locator("main")
        assert org.person(role_key).full_name in main.inner_text()
        assert role_name in main.inner_text()
        assert_accessible(page)
        page.get_by_role("button", name="Kirjaudu ulos").click()
        page.wait_for_url(page.base_url + "/")
        assert page.get_by_role("link", name="Kirjaudu sisään").first.is_visible()


def test_password_change_page_is_accessible(page, org):
    login(page, "tyontekija")
    page.get_by_role("link", name="Vaihda salasana").click()
    assert_accessible(page)
    page.get_by_role("button", name="Vaihda salasana").click()  # empty form: errors, still accessible
    page.locator(".invalid-feedback").first.wait_for()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_content(page, transactional_db):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main", timeout=5000)  # a fragment navigation, finished asynchronously
    assert page.evaluate("document.activeElement.id") == "main"
