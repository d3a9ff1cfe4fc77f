"""The guideline, the accessibility feedback and the legal pages as people meet them in a browser.

The test database gets the 2016 guideline once per session, and browser tests run on a database that
earlier transactional tests may have flushed, so each test loads it again first (the same loader).
"""

import re

import pytest
from django.utils import timezone

from guideline.models import GuidelineVersion
from somegov import services
from somegov.models import AccessibilityFeedback
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.guideline_factories import SECTION_3, current_version, ensure_guideline_loaded, make_draft

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _guideline(transactional_db):
    ensure_guideline_loaded()


def _switch_language(page, button):
    page.goto(page.base_url + "/")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _english(page):
    _switch_language(page, "In English")


def test_staff_read_the_guideline_and_acknowledge_it(page, org):
    login(page, "tyontekija")
    prompt = page.locator(".guideline-ack-prompt")
    assert "odottaa, että luet" in prompt.inner_text()
    assert_accessible(page)
    prompt.get_by_role("link").click()
    page.wait_for_url(page.base_url + "/ohje/")
    assert page.locator("h1").inner_text() == "Suomussalmen kunnan sosiaalisen median ohjeet"
    assert page.get_by_role("heading", name="3. Palvelujen käyttöönotto").is_visible()
    assert_accessible(page)

    # The contents list jumps to the section.
    page.get_by_role("navigation", name="Sisällys").get_by_role("link", name="3. Palvelujen käyttöönotto").click()
    assert page.url.endswith(f"#{SECTION_3}")

    # The prompt at the top leads to the confirmation at the end; it works from the keyboard.
    page.get_by_role("link", name="Siirry kuittaukseen").click()
    button = page.get_by_role("button", name="Olen lukenut tämän version")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Kiitos: olet kuitannut lukeneesi tämän version." in page.locator(".messages").inner_text()
    assert page.get_by_text("Kuitattu", exact=True).is_visible()
    assert page.locator(".guideline-ack-prompt").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Etusivu").click()
    assert page.locator(".guideline-ack-prompt").count() == 0
    assert current_version().acknowledgements.filter(user=org.users["staff"]).exists()


def test_the_ict_secretary_edits_previews_compares_and_publishes_a_version(page, org):
    login(page, "ict")
    page.get_by_role("link", name="Ohje", exact=True).click()
    page.get_by_role("link", name="Ohjeen kaikki versiot").click()
    assert_accessible(page)
    page.get_by_role("button", name="Aloita uusi versio").click()
    page.wait_for_url(re.compile(r".*/ohje/luonnos/\d+/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Muokkaa 3. Palvelujen käyttöönotto").click()
    assert_accessible(page)
    body = page.get_by_label("Teksti (Markdown)")
    original = body.input_value()
    new_text = original.replace("kunnanjohtaja tai vastuualuejohtaja", "kunnanjohtaja tai hänen nimeämänsä johtaja")
    body.fill(new_text + "\n\n- uusi **kohta** <img src=x onerror=\"document.title='XSS'\">")
    page.get_by_role("button", name="Esikatsele").click()
    preview = page.locator(".guideline-preview")
    assert "uusi kohta" in preview.inner_text()
    assert preview.locator("strong").inner_text() == "kohta"
    assert preview.locator("img").count() == 0
    assert "XSS" not in page.title()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna luonnokseen").click()
    assert "tallennettiin" in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Muutokset voimassa olevaan versioon").click()
    changes = page.locator("main")
    assert "hänen nimeämänsä" in changes.locator("ins").first.inner_text() or any(
        "nimeämänsä" in text for text in changes.locator("ins").all_inner_texts()
    )
    assert "Kappale lisätty:" in changes.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Takaisin luonnokseen").click()

    # The municipality's own instructions move above the sources; the sources go, after a confirmation.
    page.get_by_role("button", name="Siirrä ylös Kunnan ohjeita").click()
    assert "siirrettiin" in page.locator(".messages").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Poista… Lähteet").click()
    assert "Poistetaanko luonnoksesta osio ”Lähteet”?" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Poista osio").click()
    assert "poistettiin luonnoksesta" in page.locator(".messages").inner_text()
    assert "Poistettu luonnoksesta" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Esikatsele koko luonnosta").click()
    assert "Luonnoksen esikatselu." in page.locator("main").inner_text()
    assert "XSS" not in page.title()
    assert_accessible(page)
    page.get_by_role("link", name="Takaisin luonnokseen").first.click()

    page.get_by_role("link", name="Julkaise…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Julkaise", exact=True).click()  # empty form: errors, still accessible
    assert page.locator(".invalid-feedback").count() >= 2
    assert_accessible(page)
    page.get_by_label("Version tunniste").fill("Kunnanhallitus 1.12.2026")
    page.get_by_label("Hyväksyjä").fill("Kunnanhallitus")
    page.get_by_label("Hyväksytty").fill(timezone.localdate().isoformat())
    page.get_by_label("Mitä muuttui ja miksi").fill("Luvun 3 päättäjät tarkennettu.")
    page.get_by_role("button", name="Julkaise", exact=True).click()
    page.wait_for_url(page.base_url + "/ohje/")
    assert "Uusi versio julkaistiin." in page.locator(".messages").inner_text()
    assert "hänen nimeämänsä johtaja" in page.locator(f"#{SECTION_3}").inner_text()
    assert page.locator(".guideline-ack-prompt").is_visible()  # the publisher is asked to read it too
    assert_accessible(page)

    published = current_version()
    assert published.label == "Kunnanhallitus 1.12.2026" and published.published_by == org.users["ict_secretary"]
    assert list(published.sections.values_list("slug", flat=True))[-1] == "kunnan-ohjeita"
    assert not published.sections.filter(slug="lahteet").exists()
    assert not GuidelineVersion.objects.drafts().exists()

    page.get_by_role("link", name="Lukukuittaukset").click()
    assert "Kuitattu: 0/6." in page.locator("main").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "en"])
def test_every_new_page_is_accessible(page, org, language):
    ict = org.users["ict_secretary"]
    english = current_version().translations.get()
    draft = make_draft(ict, {SECTION_3: "Muutettu teksti.\n\n- uusi kohta"})
    feedback = services.submit_feedback(message="Linkit eivät erotu.", email="kaisa@example.invalid")
    answered = services.submit_feedback(message="Vastattu palaute.")
    services.mark_feedback_answered(ict, answered, answered_on=timezone.localdate(), note="Vastattu puhelimitse.")
    if language == "en":
        _english(page)
    public = [
        "/ohje/",
        "/ohje/versiot/",
        f"/ohje/versiot/{english.pk}/",
        f"/ohje/versiot/{current_version().pk}/muutokset/",
        "/saavutettavuus/",
        "/saavutettavuus/palaute/",
        "/saavutettavuus/palaute/kiitos/",
        "/tietosuoja/",
    ]
    for path in public:
        page.goto(page.base_url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    if language == "en":
        _switch_language(page, "Suomeksi")  # the login helper speaks Finnish
    login(page, "ict")
    if language == "en":
        _english(page)
    staff_pages = [
        *public,
        "/",
        "/ohje/kuittaukset/",
        "/ohje/kuittaukset/?show=missing",
        f"/ohje/luonnos/{draft.pk}/",
        f"/ohje/luonnos/{draft.pk}/osiot/{SECTION_3}/",
        f"/ohje/luonnos/{draft.pk}/osiot/uusi/",
        f"/ohje/luonnos/{draft.pk}/osiot/{SECTION_3}/poista/",
        f"/ohje/luonnos/{draft.pk}/esikatselu/",
        f"/ohje/luonnos/{draft.pk}/muutokset/",
        f"/ohje/luonnos/{draft.pk}/julkaise/",
        "/saavutettavuus/palautteet/",
        "/saavutettavuus/palautteet/?show=all",
        f"/saavutettavuus/palautteet/{feedback.pk}/",
        f"/saavutettavuus/palautteet/{answered.pk}/",
    ]
    for path in staff_pages:
        page.goto(page.base_url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_a_resident_sends_accessibility_feedback(page, org):
    page.goto(page.base_url + "/saavutettavuus/")
    page.get_by_role("link", name="saavutettavuuspalautteen lomakkeella").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lähetä palaute").click()  # empty: an error, still accessible
    assert page.locator(".invalid-feedback").count() == 1
    assert_accessible(page)
    assert page.locator("input[name=website]").evaluate("el => el.getBoundingClientRect().right <= 0")
    page.get_by_label("Sähköpostiosoitteesi (vapaaehtoinen)").fill("kaisa@example.invalid")
    page.get_by_label("Palautteesi").fill("Ohjeen sivulla linkit eivät erotu tekstistä.")
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_url(page.base_url + "/saavutettavuus/palaute/kiitos/")
    assert page.locator("h1").inner_text() == "Kiitos palautteestasi"
    assert_accessible(page)
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.email == "kaisa@example.invalid" and feedback.page_url == ""


def test_the_guideline_reads_on_a_phone_and_prints_without_navigation(browser, live_server, transactional_db):
    context = browser.new_context(locale="fi-FI", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path in ["/ohje/", "/saavutettavuus/", "/tietosuoja/"]:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways on a phone: {width}px"
        page.goto(live_server.url + "/ohje/")
        assert_accessible(page)
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator(".guideline-toc").is_visible()
        assert page.get_by_role("heading", name="7. Suomussalmen kunnan sosiaalisen median välineet").is_visible()
    finally:
        context.close()


def test_the_ict_secretary_imports_a_word_guideline_as_a_draft(page, org):
    from tests.data.make_guideline_docx import TARGET

    login(page, "ict")
    page.goto(page.base_url + "/ohje/versiot/")
    page.get_by_role("link", name="Tuo ohje").click()
    page.wait_for_url(page.base_url + "/ohje/tuo/")
    assert_accessible(page)
    page.get_by_label("Ohjetiedosto (Markdown tai Word)").set_input_files(str(TARGET))
    page.get_by_role("button", name="Tuo luonnokseksi").click()
    page.wait_for_url(re.compile(r"/ohje/luonnos/\d+/$"))
    assert "3 osiota" in page.locator(".messages").inner_text()
    assert page.get_by_role("rowheader", name="2. Palvelujen käyttöönotto").is_visible()
    assert_accessible(page)
