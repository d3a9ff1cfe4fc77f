"""The ICT secretary's pages: starting, editing, removing and moving sections of a draft, previewing, publishing."""

import pytest
from django.urls import reverse

from guideline import services
from guideline.hooks import Citation, register_citation_provider, unregister_citation_provider
from guideline.models import GuidelineVersion
from tests.guideline_factories import (
    SECTION_3,
    current_version,
    make_draft,
    publish_data,
    publish_new_version,
    section_slugs,
)

pytestmark = pytest.mark.django_db


def test_starting_a_draft_from_the_page_goes_to_the_draft(client_for):
    client = client_for("ict_secretary")
    response = client.post(reverse("guideline_draft_start"))
    draft = GuidelineVersion.objects.drafts().get()
    assert response["Location"] == reverse("guideline_draft", args=[draft.pk])
    again = client.post(reverse("guideline_draft_start"))
    assert again["Location"] == reverse("guideline_draft", args=[draft.pk])
    assert GuidelineVersion.objects.drafts().count() == 1


def test_the_section_preview_renders_without_saving(client_for, ict):
    draft = make_draft(ict)
    url = reverse("guideline_draft_section", args=[draft.pk, SECTION_3])
    response = client_for("ict_secretary").post(
        url,
        {"title": "Palvelujen käyttöönotto", "body": "**Lihava** teksti\n\n<script>alert(1)</script>", "preview": "1"},
    )
    assert response.status_code == 200
    assert "<strong>Lihava</strong>" in response.text
    assert (
        "<script>alert(1)</script>" not in response.text.split("<textarea")[0] + response.text.split("</textarea>")[-1]
    )
    assert draft.sections.get(slug=SECTION_3).body == current_version().sections.get(slug=SECTION_3).body


def test_saving_a_section_changes_the_draft(client_for, ict):
    draft = make_draft(ict)
    url = reverse("guideline_draft_section", args=[draft.pk, SECTION_3])
    response = client_for("ict_secretary").post(url, {"title": "Käyttöönotto", "body": "Uusi teksti.", "save": "1"})
    assert response.status_code == 302
    section = draft.sections.get(slug=SECTION_3)
    assert (section.title, section.body) == ("Käyttöönotto", "Uusi teksti.")


def test_saving_an_empty_section_shows_an_error_and_changes_nothing(client_for, ict):
    draft = make_draft(ict)
    url = reverse("guideline_draft_section", args=[draft.pk, SECTION_3])
    response = client_for("ict_secretary").post(url, {"title": "", "body": "", "save": "1"})
    assert response.status_code == 200
    assert "Tämä kenttä vaaditaan" in response.text
    assert draft.sections.get(slug=SECTION_3).title == "Palvelujen käyttöönotto"


def test_a_section_of_the_published_version_has_no_edit_page(client_for):
    response = client_for("ict_secretary").get(
        reverse("guideline_draft_section", args=[current_version().pk, SECTION_3])
    )
    assert response.status_code == 404


def test_the_remove_page_asks_first_and_names_the_rules_citing_the_section(client_for, ict):
    draft = make_draft(ict)
    url = reverse("guideline_draft_section_remove", args=[draft.pk, SECTION_3])

    def provider(sections, user):
        return {section.slug: [Citation("Sääntö R3", "/r3/", "Sääntö")] for section in sections}

    register_citation_provider(provider)
    try:
        page = client_for("ict_secretary").get(url).text
    finally:
        unregister_citation_provider(provider)
    assert "Poistetaanko luonnoksesta" in page and "Palvelujen käyttöönotto" in page
    assert "Sääntö R3" in page
    assert draft.sections.filter(slug=SECTION_3).exists()  # the GET only asks


def test_removing_a_section_from_the_page(client_for, ict):
    draft = make_draft(ict)
    client = client_for("ict_secretary")
    response = client.post(reverse("guideline_draft_section_remove", args=[draft.pk, SECTION_3]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("guideline_draft", args=[draft.pk])
    assert "poistettiin luonnoksesta" in response.text
    assert "Poistettu luonnoksesta" in response.text  # listed under the table
    assert not draft.sections.filter(slug=SECTION_3).exists()
    again = client.post(reverse("guideline_draft_section_remove", args=[draft.pk, SECTION_3]), follow=True)
    assert "poistettu jo" in again.text  # a second click loses nothing and says why


def test_the_only_section_has_no_remove_button(client_for, ict):
    draft = make_draft(ict)
    for section in list(draft.sections.all())[1:]:
        services.remove_section(ict, section)
    only = draft.sections.get()
    page = client_for("ict_secretary").get(reverse("guideline_draft_section_remove", args=[draft.pk, only.slug])).text
    assert "vähintään yksi" in page and ">Poista osio</button>" not in page
    draft_page = client_for("ict_secretary").get(reverse("guideline_draft", args=[draft.pk])).text
    assert "Poista…" not in draft_page


def test_moving_a_section_from_the_page(client_for, ict):
    draft = make_draft(ict)
    first, second = list(draft.sections.all())[:2]
    client = client_for("ict_secretary")
    url = reverse("guideline_draft_section_move", args=[draft.pk, second.slug])
    response = client.post(url, {"direction": "up"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#section-{second.slug}")
    assert "siirrettiin" in response.text
    assert section_slugs(draft)[:2] == [second.slug, first.slug]
    changes = client.get(reverse("guideline_draft_changes", args=[draft.pk])).text
    assert "Osioiden järjestys muuttui" in changes


def test_a_bad_move_from_the_page_says_why_and_changes_nothing(client_for, ict):
    draft = make_draft(ict)
    before = section_slugs(draft)
    url = reverse("guideline_draft_section_move", args=[draft.pk, before[0]])
    response = client_for("ict_secretary").post(url, {"direction": "up"}, follow=True)
    assert "ensimmäinen" in response.text
    response = client_for("ict_secretary").post(url, {"direction": ""}, follow=True)
    assert "ylös tai alas" in response.text
    assert section_slugs(draft) == before


def test_sections_of_a_published_version_cannot_be_removed_or_moved_from_the_pages(client_for):
    client = client_for("ict_secretary")
    version = current_version()
    remove = client.post(reverse("guideline_draft_section_remove", args=[version.pk, SECTION_3]))
    move = client.post(reverse("guideline_draft_section_move", args=[version.pk, SECTION_3]), {"direction": "up"})
    assert (remove.status_code, move.status_code) == (404, 404)
    assert version.sections.filter(slug=SECTION_3).exists()


def test_the_draft_preview_is_marked_unpublished(client_for, ict):
    draft = make_draft(ict, {SECTION_3: "Esikatseltava teksti."})
    page = client_for("ict_secretary").get(reverse("guideline_draft_preview", args=[draft.pk])).text
    assert "Luonnoksen esikatselu." in page and "Esikatseltava teksti." in page
    assert "Olen lukenut tämän version" not in page


def test_the_publish_page_confirms_and_publishes(client_for, ict):
    draft = make_draft(ict, {SECTION_3: "Muutettu teksti."})
    client = client_for("ict_secretary")
    confirm = client.get(reverse("guideline_draft_publish", args=[draft.pk]))
    assert "1 luku poikkeaa voimassa olevasta versiosta." in confirm.text
    response = client.post(reverse("guideline_draft_publish", args=[draft.pk]), publish_data())
    assert response["Location"] == reverse("guideline")
    assert current_version() == draft
    assert "Muutettu teksti." in client.get(reverse("guideline")).text


def test_publishing_with_missing_details_shows_errors_and_publishes_nothing(client_for, ict):
    draft = make_draft(ict, {SECTION_3: "Muutettu teksti."})
    response = client_for("ict_secretary").post(
        reverse("guideline_draft_publish", args=[draft.pk]), publish_data(note="", approved_on="")
    )
    assert response.status_code == 200
    assert response.text.count("Tämä kenttä vaaditaan") == 2
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_an_unchanged_draft_from_the_page_is_refused(client_for, ict):
    draft = make_draft(ict)
    response = client_for("ict_secretary").post(reverse("guideline_draft_publish", args=[draft.pk]), publish_data())
    assert response.status_code == 200
    assert "identtinen" in response.text
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_published_version_has_no_publish_page(client_for, ict):
    new = publish_new_version(ict)
    assert client_for("ict_secretary").get(reverse("guideline_draft_publish", args=[new.pk])).status_code == 404


@pytest.mark.parametrize("versions", [1, 4])
def test_the_versions_page_takes_the_same_queries_whatever_the_history(
    client_for, ict, django_assert_num_queries, versions
):
    for n in range(versions - 1):
        publish_new_version(ict, {SECTION_3: f"Versio {n}."}, label=f"Versio {n + 2}")
    client = client_for("ict_secretary")
    client.get(reverse("guideline_versions"))
    # session, user, groups, own person (navigation), page count, versions with their publishers,
    # translations (prefetched), version in force, draft, the version in force's draft language versions and
    # the languages it has (the ICT secretary's "add a language version" links) (no session save)
    with django_assert_num_queries(11):
        client.get(reverse("guideline_versions"))
