"""The security pages as a person meets them, in Finnish, with axe finding nothing.

A refused (forged or stale) form, the log-in with the municipality's account from the button to
the home page (the identity provider answered by the browser's request routing and by mocks in
the server: no network), and the 503 page shown while the database is away.
"""

from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login
from tests.factories import PASSWORD
from tests.test_security_oidc import Provider, oidc  # noqa: F401 - the fixture that switches OIDC on

pytestmark = pytest.mark.browser


def test_a_refused_form_explains_itself_and_sending_again_works(page, org):
    page.goto(page.base_url + "/accounts/login/")
    # A token that does not match the browser's cookie, as from a forged form or a stale page.
    # (Clearing the cookie would race with the page's other responses, which renew it.)
    page.locator("main input[name=csrfmiddlewaretoken]").evaluate("field => { field.value = 'x'.repeat(64); }")
    page.get_by_label("Käyttäjätunnus").fill("tyontekija")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    assert page.locator("h1").inner_text() == "Lomaketta ei voitu lähettää"
    assert "Mitään ei tallennettu" in page.locator("main").inner_text()
    assert_accessible(page)
    login(page, "tyontekija")  # reloading the form and sending it again, as the page advises
    assert "Teemu Tervo" in page.locator("main").inner_text()


def test_staff_log_in_with_the_municipality_account(page, org, oidc):  # noqa: F811
    user = org.users["staff"]
    user.email = "teemu.tervo@suomussalmi.invalid"
    user.save(update_fields=["email"])
    provider = Provider({"email": user.email, "email_verified": True})

    def identity_provider(route):
        # The provider's log-in page: it sends the person straight back with a code.
        query = parse_qs(urlparse(route.request.url).query)
        provider.nonce = query["nonce"][0]
        callback = f"{query['redirect_uri'][0]}?code=the-code&state={query['state'][0]}"
        route.fulfill(status=302, headers={"Location": callback})

    page.route("https://idp.suomussalmi.invalid/**", identity_provider)
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page)
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post", side_effect=provider.post),
        mock.patch("mozilla_django_oidc.auth.requests.get", side_effect=provider.get),
    ):
        page.get_by_role("link", name="Kirjaudu kunnan tunnuksilla").click()
        page.wait_for_url(page.base_url + "/")
    main = page.locator("main").inner_text()
    assert "Teemu Tervo" in main and "Henkilöstö" in main
    assert_accessible(page)


def test_the_outage_page_is_clear_and_accessible(page, settings, transactional_db):
    settings.ROOT_URLCONF = "tests.test_security_resilience"  # has a view that loses the database
    response = page.goto(page.base_url + "/test-outage/")
    assert response.status == 503 and response.headers["retry-after"] == "30"
    assert page.locator("h1").inner_text() == "Palvelu on hetken poissa käytöstä"
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.locator("h2[lang=en]").inner_text() == "Service temporarily unavailable"
    assert_accessible(page)
