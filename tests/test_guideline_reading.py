"""Reading the guideline: the Finnish text and the English reading aid, the versions page, and the citation hook."""

import pytest
from django.urls import reverse
from django.utils import timezone

from guideline import services
from guideline.hooks import (
    Citation,
    citations_for,
    register_citation_provider,
    section_url,
    unregister_citation_provider,
)
from tests.guideline_factories import SECTION_3, current_version, make_draft, publish_data, publish_new_version

pytestmark = pytest.mark.django_db


def test_the_guideline_is_finnish_with_a_contents_list_and_anchors(client):
    page = client.get(reverse("guideline")).text
    for section in current_version().sections.all():
        assert f'href="#{section.slug}"' in page
        assert f'id="{section.slug}"' in page
    assert "Sisällys" in page
    assert 'lang="fi"' in page


def test_the_english_ui_shows_the_reading_aid_and_keeps_finnish_authoritative(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    original = current_version()
    page = client.get(reverse("guideline")).text
    # The guideline page shows an English reader the English reading aid, saying that it is one.
    assert "Unofficial reading aid." in page
    assert "This is a reading aid; the Finnish version is authoritative." in page
    assert f'href="{reverse("guideline_version", args=[original.pk])}" lang="fi"' in page
    # The original's own page is Finnish and points to the reading aid.
    finnish = client.get(reverse("guideline_version", args=[original.pk])).text
    english = original.translations.get()
    assert "the Finnish text below is authoritative" in finnish
    assert reverse("guideline_version", args=[english.pk]) in finnish
    assert "Tämä ohje sisältää Suomussalmen kunnan" in finnish


def test_the_finnish_ui_marks_the_reading_aid_unofficial(client):
    english = current_version().translations.get()
    page = client.get(reverse("guideline_version", args=[english.pk])).text
    assert "Epävirallinen lukuapu." in page


def test_the_english_ui_says_when_a_version_has_no_reading_aid(client, ict):
    publish_new_version(ict)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("guideline")).text
    assert "there is no reading aid in your language for this version" in page


def test_the_versions_page_lists_published_versions_and_offers_a_draft_to_the_ict_secretary(client_for, ict):
    publish_new_version(ict)
    page = client_for("ict_secretary").get(reverse("guideline_versions")).text
    assert "Versio 2" in page and "Luonnos 31.12.2015" in page
    assert "Aloita uusi versio" in page
    assert "Aloita uusi versio" not in client_for("staff").get(reverse("guideline_versions")).text


def test_the_versions_page_hides_the_publishers_name_from_the_public(client_for, org, ict):
    publish_new_version(ict)
    public = client_for("anonymous").get(reverse("guideline_versions")).text
    assert org.users["ict_secretary"].get_username() not in public


def _sized_version(ict, extra_sections):
    draft = make_draft(ict, {SECTION_3: "Muutettu."})
    for n in range(extra_sections):
        services.add_section(ict, draft, number=str(8 + n), title=f"Lisäluku {n}", body=f"Teksti {n}.\n\n- kohta")
    return services.publish_version(ict, draft, **{**publish_data(), "approved_on": timezone.localdate()})


@pytest.mark.parametrize("extra_sections", [0, 12])
def test_the_reading_page_takes_the_same_queries_whatever_its_length(
    client_for, ict, django_assert_num_queries, extra_sections
):
    _sized_version(ict, extra_sections)
    client = client_for("staff")
    client.get(reverse("guideline"))
    # session, user, current version (view), sections, current version (context), reading aid,
    # acknowledgement, groups and own person (navigation), the policy rules citing the sections (one
    # query, approvals' citation provider); no session save: whatever the length
    with django_assert_num_queries(9):
        client.get(reverse("guideline"))


# --- The citation hook -------------------------------------------------------------------------------------


def test_registered_providers_show_their_citations_beside_the_section(client):
    calls = []

    def provider(sections, user):
        calls.append(len(sections))
        return {SECTION_3: [Citation("Käyttöönotosta on päätös", "/saannot/1/", "Sääntö")]}

    register_citation_provider(provider)
    register_citation_provider(provider)  # idempotent
    try:
        page = client.get(reverse("guideline")).text
    finally:
        unregister_citation_provider(provider)
    assert calls == [10]  # once per page, with every section
    assert "Tähän lukuun viittaavat säännöt" in page
    assert '<a href="/saannot/1/">Käyttöönotosta on päätös</a>' in page
    section_start = page.index(f'id="{SECTION_3}"')
    assert section_start < page.index("Käyttöönotosta on päätös") < page.index('id="osallistumisen-periaatteet"')


@pytest.fixture
def without_the_policy_rules_provider():
    from approvals.integrations import policy_rules_citing

    unregister_citation_provider(policy_rules_citing)
    yield
    register_citation_provider(policy_rules_citing)


def test_without_providers_no_citations_are_shown(client, without_the_policy_rules_provider):
    assert citations_for(current_version().sections.all(), None) == {}
    assert "Tähän lukuun viittaavat säännöt" not in client.get(reverse("guideline")).text


def test_section_url_points_at_the_anchor():
    assert section_url(SECTION_3) == f"/ohje/#{SECTION_3}"
