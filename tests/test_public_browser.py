"""A resident checks an account and browses the official channels: no login, Finnish then English, axe on each."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.public_data import make_channel

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(org):
    make_channel(org.municipality, "facebook", "https://www.facebook.com/suomussalmi", name="Suomussalmen kunta")
    make_channel(org.unit, "instagram", "@suomussalmi", name="Kirjaston Instagram", goals="Kirjaston uutiset.")
    make_channel(org.other_unit, "tiktok", "@suomussalmi", name="Ympäristön TikTok", status="paused")
    make_channel(org.unit, "x", "twitter.com/suomussalmi", name="Vanha X-tili", status="retired")
    for n in range(30):  # enough for two pages in the directory
        make_channel(org.unit, "instagram", f"@kirjasto_{n:02}", name=f"Kirjaston kanava {n:02}")


def check(page, address, button="Tarkista", label="Tilin osoite tai käyttäjänimi"):
    page.get_by_label(label).fill(address)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_a_resident_checks_accounts_and_browses_the_directory(page, registry):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Tarkista tili", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onko tili virallinen?")
    assert_accessible(page)

    results = [
        ("https://m.facebook.com/Suomussalmi/?fbclid=IwAR0abc", "Virallinen tili"),
        ("tiktok.com/@suomussalmi", "Virallinen tili, tauolla"),
        ("https://twitter.com/suomussalmi", "Entinen virallinen tili"),
        ("@ei_kunnan_tili", "Ei rekisterissä"),
        ("@suomussalmi", "Rekisterissä useassa palvelussa"),
    ]
    for address, headline in results:
        check(page, address)
        status = page.get_by_role("status")
        expect(status.get_by_role("heading", level=2, name=headline, exact=True)).to_be_visible()
        assert page.title().startswith(headline + " – ")
        assert_accessible(page)
    expect(page.get_by_role("heading", name="Instagram: virallinen")).to_be_visible()
    expect(page.get_by_role("heading", name="TikTok: virallinen, tauolla")).to_be_visible()
    expect(page.get_by_role("heading", name="X (Twitter): entinen virallinen tili")).to_be_visible()

    check(page, "https://www.facebook.com/suomussalmi/posts/123")
    expect(page.locator(".invalid-feedback")).to_contain_text("yksittäiseen julkaisuun")
    assert page.title().startswith("Virhe: ")
    assert_accessible(page)

    page.get_by_role("link", name="Viralliset kanavat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Viralliset sosiaalisen median kanavat")
    expect(page.get_by_role("navigation", name="Sivut")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Palvelu").select_option("facebook")
    page.get_by_role("button", name="Näytä").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("link", name="Suomussalmen kunta")).to_have_attribute(
        "href", "https://www.facebook.com/suomussalmi"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Avoin data ja rajapinta").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avoin data ja rajapinta")
    assert_accessible(page)

    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data and API")
    assert_accessible(page)
    page.get_by_role("link", name="Check an account", exact=True).click()
    check(page, "  instagram.com/suomussalmi/  ", button="Check", label="Address or username of the account")
    expect(
        page.get_by_role("status").get_by_role("heading", level=2, name="Official account", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Kirjastopalvelut")).to_be_visible()
    assert_accessible(page)
    check(page, "@someone_else", button="Check", label="Address or username of the account")
    expect(page.get_by_role("status")).to_contain_text("Not in the registry")
    assert_accessible(page)
    page.get_by_role("link", name="Official channels", exact=True).click()
    assert_accessible(page)


def test_the_directory_reads_on_a_phone_without_sideways_scrolling(browser, live_server, registry):
    context = browser.new_context(locale="fi-FI", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/kanavat/")
        wrapper = page.locator(".table-responsive")
        scroll, visible = wrapper.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert scroll <= visible, f"the channel list scrolls sideways on a phone: {scroll}px in {visible}px"
        cell = page.locator("tbody td").first
        # Each value says what it is, as the column headers (hidden on a phone) did.
        assert cell.get_attribute("data-label") == "Palvelu"
        assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"Palvelu: "'
        assert_accessible(page)
    finally:
        context.close()
