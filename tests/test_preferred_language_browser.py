"""A member of staff switches the portal to English while logged in: their own page and their person page then say
that their e-mails come in English, the choice is kept on their person, and axe finds nothing on the way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from channels.models import Person
from tests.a11y import assert_accessible
from tests.conftest import login

pytestmark = pytest.mark.browser


def test_switching_the_language_while_logged_in_sets_the_language_of_e_mails(page, org):
    staff = org.person("staff")
    login(page, org.users["staff"].username)
    page.goto(page.base_url + reverse("approvals:my_page"))
    expect(page.locator("#my-language")).to_contain_text("Asiointikielesi: suomi.")
    assert_accessible(page)

    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    expect(page.locator("#my-language")).to_contain_text("Your preferred language: English.")
    assert page.locator("html").get_attribute("lang") == "en"
    assert Person.objects.get(pk=staff.pk).preferred_language == "en"
    assert_accessible(page)

    page.goto(page.base_url + reverse("channels:person_detail", args=[staff.pk]))
    expect(page.locator("#preferred-language")).to_contain_text("English")
    expect(page.locator("#preferred-language")).to_contain_text("your e-mails switch to that language too")
    assert_accessible(page)

    page.get_by_role("button", name="Suomeksi").click()
    page.wait_for_load_state()
    expect(page.locator("#preferred-language")).to_contain_text("suomi")
    assert Person.objects.get(pk=staff.pk).preferred_language == "fi"
