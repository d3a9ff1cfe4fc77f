"""A forgotten password, as a person meets it in Finnish: from the log-in page to the e-mail (the locmem backend,
shared with the live server's thread), the link, a new password and a log-in with it; axe finds nothing."""

import re

import pytest
from django.core import mail

from tests.a11y import assert_accessible
from tests.conftest import login

pytestmark = pytest.mark.browser


def test_a_forgotten_password_is_reset_by_e_mail(page, org, settings, live_server):
    settings.SITE_URL = live_server.url
    user = org.users["staff"]
    user.email = "teemu.tervo@suomussalmi.invalid"
    user.save(update_fields=["email"])

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("link", name="Unohtuiko salasana?").click()
    assert page.locator("h1").inner_text() == "Unohtunut salasana"
    assert_accessible(page)
    page.locator("main input[name=email]").fill("teemu.tervo@suomussalmi.invalid")
    page.get_by_role("button", name="Lähetä linkki").click()
    assert page.locator("h1").inner_text() == "Tarkista sähköpostisi"
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Aseta uusi salasana"
    assert_accessible(page)
    page.locator("main input[name=new_password1]").fill("Lyhyt-1x")
    page.locator("main input[name=new_password2]").fill("Lyhyt-1x")
    page.get_by_role("button", name="Aseta salasana").click()
    assert "Tämä salasana on liian lyhyt" in page.locator("main").inner_text()
    assert_accessible(page)
    new = "Kirjastonhoitaja-2026-uusi"
    page.locator("main input[name=new_password1]").fill(new)
    page.locator("main input[name=new_password2]").fill(new)
    page.get_by_role("button", name="Aseta salasana").click()
    assert page.locator("h1").inner_text() == "Salasana asetettu"
    assert_accessible(page)

    login(page, "tyontekija", new)
    assert "Teemu Tervo" in page.locator("main").inner_text()
