"""The guideline: reading, acknowledging, drafting, comparing and publishing versions; immutability."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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
from guideline.models import (
    GuidelineAcknowledgement,
    GuidelineSection,
    GuidelineVersion,
    PublishedVersionIsImmutable,
    VersionStatus,
)
from tests.factories import make_person, make_unit, make_user
from tests.guideline_factories import current_version, make_draft, publish_data, publish_new_version

pytestmark = pytest.mark.django_db

NOT_ICT = ["staff", "supervisor", "area_head", "municipal_manager", "outsider"]
SECTION_3 = "palvelujen-kayttoonotto"


@pytest.fixture
def ict(org):
    return org.users["ict_secretary"]


# --- Acknowledgements ------------------------------------------------------------------------------


def test_it_asks_staff_to_read_the_version_in_force(org):
    assert services.pending_acknowledgement(org.users["staff"]) == current_version()


def test_it_records_an_acknowledgement_once(org):
    user, version = org.users["staff"], current_version()
    first = services.acknowledge(user, version)
    second = services.acknowledge(user, version)
    assert first.pk == second.pk
    assert GuidelineAcknowledgement.objects.filter(user=user, version=version).count() == 1
    assert services.pending_acknowledgement(user) is None


def test_reading_the_english_aid_acknowledges_the_finnish_original(org):
    english = current_version().translations.get()
    acknowledgement = services.acknowledge(org.users["staff"], english)
    assert acknowledgement.version == current_version()


def test_it_refuses_to_acknowledge_a_draft(org, ict):
    draft = make_draft(ict)
    with pytest.raises(ValidationError):
        services.acknowledge(org.users["staff"], draft)


def test_anonymous_users_cannot_acknowledge():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.acknowledge(AnonymousUser(), current_version())


def test_the_database_holds_one_acknowledgement_per_user_and_version(org):
    GuidelineAcknowledgement.objects.create(user=org.users["staff"], version=current_version())
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineAcknowledgement.objects.create(user=org.users["staff"], version=current_version())


def test_an_acknowledgement_of_a_translation_is_refused_by_clean(org):
    english = current_version().translations.get()
    with pytest.raises(ValidationError):
        GuidelineAcknowledgement(user=org.users["staff"], version=english).clean()


def test_a_new_version_asks_everyone_again(org, ict):
    staff = org.users["staff"]
    services.acknowledge(staff, current_version())
    assert services.pending_acknowledgement(staff) is None
    new = publish_new_version(ict)
    assert current_version() == new
    assert services.pending_acknowledgement(staff) == new
    services.acknowledge(staff, new)
    assert services.pending_acknowledgement(staff) is None
    assert GuidelineAcknowledgement.objects.filter(user=staff).count() == 2


def test_home_and_guideline_prompt_until_acknowledged(client_for):
    client = client_for("staff")
    assert "odottaa, että luet" in client.get(reverse("home")).text
    page = client.get(reverse("guideline")).text
    assert "Lue tämä ohjeen versio." in page
    assert "Olen lukenut tämän version" in page
    response = client.post(reverse("guideline_acknowledge", args=[current_version().pk]), follow=True)
    assert "Kiitos" in response.text
    assert "Olen lukenut tämän version" not in response.text
    assert "Kuitattu" in response.text
    assert "odottaa, että luet" not in client.get(reverse("home")).text


def test_home_prompts_again_after_a_new_version(client_for, org, ict):
    client = client_for("staff")
    services.acknowledge(org.users["staff"], current_version())
    assert "odottaa, että luet" not in client.get(reverse("home")).text
    publish_new_version(ict)
    assert "odottaa, että luet" in client.get(reverse("home")).text


def test_anonymous_readers_are_told_to_log_in_to_acknowledge(client):
    page = client.get(reverse("guideline")).text
    assert "Olen lukenut tämän version" not in page
    assert f"{reverse('login')}?next=/ohje/" in page


def test_an_earlier_version_cannot_be_acknowledged_from_its_page(client_for, ict):
    old = current_version()
    publish_new_version(ict)
    page = client_for("staff").get(reverse("guideline_version", args=[old.pk])).text
    assert "ohjeen aiempi versio" in page
    assert "Olen lukenut tämän version" not in page


# --- The acknowledgement report --------------------------------------------------------------------------


def test_the_report_counts_acknowledgements_per_unit(client_for, org):
    services.acknowledge(org.users["staff"], current_version())
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    units = {unit["unit__name"]: unit for unit in response.context["units"]}
    library = units["Kirjastopalvelut"]  # staff (acknowledged) and supervisor (not yet)
    assert (library["acknowledged"], library["missing"], library["total"]) == (1, 1, 2)
    assert response.context["totals"] == {"total": 6, "acknowledged": 1, "missing": 5}
    text = response.text
    assert "Teemu Tervo" in text and "Sanna Saarinen" in text
    assert "Ei vielä" in text  # status in words, not colour alone


def test_the_report_counts_only_the_version_in_force(client_for, org, ict):
    services.acknowledge(org.users["staff"], current_version())
    publish_new_version(ict)
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    assert response.context["totals"]["acknowledged"] == 0


def test_the_report_leaves_out_people_who_left_or_have_no_login(client_for, org):
    make_person(unit=org.unit)  # no login
    make_person(unit=org.unit, user=make_user(), left_on=datetime.date(2020, 1, 1))
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    assert response.context["totals"]["total"] == 6


def test_the_report_filters_people_not_yet_acknowledged(client_for, org):
    services.acknowledge(org.users["staff"], current_version())
    response = client_for("ict_secretary").get(
        reverse("guideline_acknowledgements"), {"show": "missing", "unit": org.unit.pk}
    )
    names = [person.full_name for person in response.context["page"]]
    assert names == ["Sanna Saarinen"]


@pytest.mark.parametrize("extra_people", [3, 30])
def test_the_report_takes_the_same_queries_whatever_the_staff(client_for, org, django_assert_num_queries, extra_people):
    units = [make_unit(f"Yksikkö {n}", parent=org.area) for n in range(3)]
    for n in range(extra_people):
        user = make_user()
        make_person(unit=units[n % 3], user=user)
        if n % 2:
            services.acknowledge(user, current_version())
    client = client_for("ict_secretary")
    client.get(reverse("guideline_acknowledgements"))  # warm the session
    # session, user, groups, own person (navigation), current version, per-unit counts, page count,
    # page rows (no session save: SlidingSessionMiddleware): the same for 3 or 30 people
    with django_assert_num_queries(8):
        client.get(reverse("guideline_acknowledgements"))


# --- Reading ---------------------------------------------------------------------------------------------


def test_the_guideline_is_finnish_with_a_contents_list_and_anchors(client):
    page = client.get(reverse("guideline")).text
    for section in current_version().sections.all():
        assert f'href="#{section.slug}"' in page
        assert f'id="{section.slug}"' in page
    assert "Sisällys" in page
    assert 'lang="fi"' in page


def test_the_english_ui_offers_the_reading_aid_and_keeps_finnish_authoritative(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("guideline")).text
    english = current_version().translations.get()
    assert "the Finnish text below is authoritative" in page
    assert reverse("guideline_version", args=[english.pk]) in page
    assert "Tämä ohje sisältää Suomussalmen kunnan" in page  # Finnish text by default
    aid = client.get(reverse("guideline_version", args=[english.pk])).text
    assert "Unofficial reading aid." in aid
    assert "Only the Finnish text is authoritative." in aid
    assert f'href="{reverse("guideline")}" lang="fi"' in aid
    assert "This guideline contains the operating principles" in aid or "Introduction" in aid


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


# --- Drafts --------------------------------------------------------------------------------------------------


def test_the_ict_secretary_starts_a_draft_copied_from_the_version_in_force(ict):
    current = current_version()
    draft = services.start_draft(ict)
    assert draft.is_draft and draft.based_on == current and draft.created_by == ict
    copied = [(s.order, s.number, s.slug, s.title, s.body) for s in draft.sections.all()]
    assert copied == [(s.order, s.number, s.slug, s.title, s.body) for s in current.sections.all()]
    assert current_version() == current  # the draft is not in force


@pytest.mark.parametrize("role", NOT_ICT)
def test_only_the_ict_secretary_starts_a_draft(org, role):
    with pytest.raises(PermissionDenied):
        services.start_draft(org.users[role])
    assert not GuidelineVersion.objects.drafts().exists()


def test_there_is_one_draft_at_a_time(ict):
    services.start_draft(ict)
    with pytest.raises(ValidationError, match="Luonnos on jo olemassa"):
        services.start_draft(ict)
    assert GuidelineVersion.objects.drafts().count() == 1


def test_the_database_refuses_a_second_draft(ict):
    draft = services.start_draft(ict)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.create(title="Toinen", status=VersionStatus.DRAFT)
    second = GuidelineVersion(title="Toinen", status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError):
        second.clean()
    assert draft.pk


def test_the_database_refuses_a_translation_without_an_original():
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.create(title="Käännös", is_translation=True)


def test_the_ict_secretary_edits_a_draft_section(ict):
    draft = make_draft(ict)
    section = draft.sections.get(slug=SECTION_3)
    services.edit_section(ict, section, title="Uusi otsikko", body="Uusi teksti.")
    section.refresh_from_db()
    assert (section.title, section.body, section.updated_by) == ("Uusi otsikko", "Uusi teksti.", ict)
    assert current_version().sections.get(slug=SECTION_3).title == "Palvelujen käyttöönotto"


@pytest.mark.parametrize("role", NOT_ICT)
def test_only_the_ict_secretary_edits_a_draft(org, ict, role):
    section = make_draft(ict).sections.get(slug=SECTION_3)
    with pytest.raises(PermissionDenied):
        services.edit_section(org.users[role], section, title="x", body="y")
    section.refresh_from_db()
    assert section.title == "Palvelujen käyttöönotto"


@pytest.mark.parametrize("title, body", [("", "teksti"), ("otsikko", ""), ("  ", "  ")])
def test_a_section_needs_a_title_and_a_text(ict, title, body):
    section = make_draft(ict).sections.get(slug=SECTION_3)
    with pytest.raises(ValidationError):
        services.edit_section(ict, section, title=title, body=body)


def test_adding_a_section_makes_a_unique_anchor(ict):
    draft = make_draft(ict)
    first = services.add_section(ict, draft, number="8.", title="Lähteet", body="Uusi.")
    assert first.slug == "lahteet-2" and first.number == "8" and first.order == 11
    second = services.add_section(ict, draft, number="", title="Tietoturva", body="Uusi.")
    assert second.slug == "tietoturva" and second.order == 12


# State machine: what each operation does to a draft and to a published version.
OPERATIONS = {
    "edit": lambda ict, version: services.edit_section(ict, version.sections.first(), title="x", body="y"),
    "add": lambda ict, version: services.add_section(ict, version, number="9", title="Uusi", body="y"),
    "remove": lambda ict, version: services.remove_section(ict, version.sections.last()),
    "move": lambda ict, version: services.move_section(ict, version.sections.last(), "up"),
    "publish": lambda ict, version: services.publish_version(
        ict, version, **{**publish_data(), "approved_on": timezone.localdate()}
    ),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_operations_are_allowed_on_drafts_only(ict, operation, state):
    version = make_draft(ict, {SECTION_3: "Muutettu."})
    if state == "published":
        version = services.publish_version(ict, version, **{**publish_data(), "approved_on": timezone.localdate()})
    if state == "draft":
        OPERATIONS[operation](ict, version)
    else:
        before = [(s.slug, s.order, s.title, s.body) for s in version.sections.all()]
        with pytest.raises(ValidationError):
            OPERATIONS[operation](ict, version)
        assert [(s.slug, s.order, s.title, s.body) for s in version.sections.all()] == before


# --- Publishing ----------------------------------------------------------------------------------------------


def test_publishing_makes_the_draft_the_version_in_force(ict):
    old = current_version()
    new = publish_new_version(ict)
    new.refresh_from_db()
    assert new.is_published and new.published_by == ict and new.published_at
    assert new.label == "Versio 2" and new.approved_by == "Kunnanhallitus" and new.note == "Luku 3 päivitetty."
    assert current_version() == new
    assert old.is_published  # the earlier version stays, unchanged


def test_an_unchanged_draft_is_not_published(ict):
    draft = make_draft(ict)
    with pytest.raises(ValidationError, match="identtinen"):
        services.publish_version(ict, draft, **{**publish_data(), "approved_on": timezone.localdate()})
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("role", NOT_ICT)
def test_only_the_ict_secretary_publishes(org, ict, role):
    draft = make_draft(ict, {SECTION_3: "Muutettu."})
    with pytest.raises(PermissionDenied):
        services.publish_version(org.users[role], draft, **{**publish_data(), "approved_on": timezone.localdate()})
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize(
    "changes",
    [{"note": ""}, {"title": ""}, {"approved_on": datetime.date(2999, 1, 1)}],
    ids=["no note", "no title", "future approval"],
)
def test_publishing_refuses_bad_details(ict, changes):
    draft = make_draft(ict, {SECTION_3: "Muutettu."})
    with pytest.raises(ValidationError):
        services.publish_version(ict, draft, **{**publish_data(), "approved_on": timezone.localdate(), **changes})
    draft.refresh_from_db()
    assert draft.is_draft


# --- Immutability in the model layer --------------------------------------------------------------------------


def test_a_published_version_refuses_save_and_delete():
    version = current_version()
    version.title = "Muutettu"
    with pytest.raises(PublishedVersionIsImmutable):
        version.save()
    with pytest.raises(PublishedVersionIsImmutable):
        version.delete()
    assert current_version().title == "Suomussalmen kunnan sosiaalisen median ohjeet"


def test_a_section_of_a_published_version_refuses_save_and_delete():
    section = current_version().sections.get(slug=SECTION_3)
    section.body = "Muutettu"
    with pytest.raises(PublishedVersionIsImmutable):
        section.save()
    with pytest.raises(PublishedVersionIsImmutable):
        section.delete()
    with pytest.raises(ValidationError):
        section.clean()


def test_bulk_changes_to_published_versions_are_refused():
    version = current_version()
    with pytest.raises(PublishedVersionIsImmutable):
        GuidelineSection.objects.filter(version=version).update(body="Muutettu")
    with pytest.raises(PublishedVersionIsImmutable):
        GuidelineSection.objects.filter(version=version).delete()
    with pytest.raises(PublishedVersionIsImmutable):
        GuidelineVersion.objects.filter(pk=version.pk).update(title="Muutettu")
    with pytest.raises(PublishedVersionIsImmutable):
        GuidelineVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(PublishedVersionIsImmutable):
        GuidelineSection.objects.bulk_create(
            [GuidelineSection(version=version, order=99, slug="x", title="x", body="x")]
        )
    assert version.sections.count() == 10
    assert not version.sections.filter(body="Muutettu").exists()


def test_a_version_published_in_the_portal_is_immutable_too(ict):
    new = publish_new_version(ict)
    section = new.sections.get(slug=SECTION_3)
    section.body = "Jälkikäteen muutettu"
    with pytest.raises(PublishedVersionIsImmutable):
        section.save()


# --- Changes between versions ------------------------------------------------------------------------------------


def test_changes_are_shown_paragraph_by_paragraph_and_word_by_word(ict):
    current = current_version().sections.get(slug=SECTION_3)
    first, second, third = current.body.split("\n\n")
    edited = "\n\n".join([first.replace("kunnanjohtaja", "kunnanjohtaja tai hänen sijaisensa"), second])
    draft = make_draft(ict, {SECTION_3: edited})
    services.add_section(ict, draft, number="8", title="Tietoturva", body="Uusi luku.")
    changes = services.changes_of(draft)
    by_slug = {change.slug: change for change in changes.sections}
    assert by_slug["tietoturva"].status == "added"
    assert [p.text for p in by_slug["tietoturva"].paragraphs] == ["Uusi luku."]
    assert by_slug["johdanto"].status == "unchanged"
    section = by_slug[SECTION_3]
    assert section.status == "changed" and section.unchanged_paragraphs == 1
    assert [p.kind for p in section.paragraphs] == ["changed", "removed"]
    changed, removed = section.paragraphs
    added = [t.text for t in changed.tokens if t.kind == "added"]
    assert len(added) == 1 and sorted(added[0].split()) == ["hänen", "sijaisensa", "tai"]
    assert not [t for t in changed.tokens if t.kind == "removed"]
    assert "".join(t.text for t in changed.tokens if t.kind != "added") == first
    assert "".join(t.text for t in changed.tokens if t.kind != "removed") == edited.split("\n\n")[0]
    assert removed.text == third


def test_a_paragraph_added_in_the_middle_is_shown_as_added():
    from guideline.diffing import paragraph_diff

    paragraphs, unchanged = paragraph_diff("Yksi.\n\nKolme.", "Yksi.\n\nKaksi.\n\nKolme.")
    assert [(p.kind, p.text) for p in paragraphs] == [("added", "Kaksi.")] and unchanged == 2
    paragraphs, unchanged = paragraph_diff("Yksi.\n\nKaksi.\n\nKolme.", "Yksi.\n\nKolme.")
    assert [(p.kind, p.text) for p in paragraphs] == [("removed", "Kaksi.")] and unchanged == 2


def test_a_paragraph_unlike_the_old_one_is_not_shown_as_changed():
    from guideline.diffing import paragraph_diff

    paragraphs, _unchanged = paragraph_diff(
        "Yksi kaksi kolme neljä.\n\nViisi.", "Jotain aivan muuta.\n\nYksi kaksi kolme neljä viisi."
    )
    assert [p.kind for p in paragraphs] == ["added", "changed", "removed"]
    assert paragraphs[0].text == "Jotain aivan muuta." and paragraphs[2].text == "Viisi."


def test_text_from_a_browser_is_stored_with_plain_line_ends(ict):
    section = make_draft(ict).sections.get(slug=SECTION_3)
    original = section.body
    services.edit_section(ict, section, title=section.title, body=original.replace("\n", "\r\n") + "  \r\n")
    section.refresh_from_db()
    assert section.body == original
    assert services.changes_of(section.version).has_changes is False


def test_a_changed_heading_counts_as_a_change(ict):
    draft = make_draft(ict)
    section = draft.sections.get(slug=SECTION_3)
    services.edit_section(ict, section, title="Palvelujen käyttöön ottaminen", body=section.body)
    change = next(c for c in services.changes_of(draft).sections if c.slug == SECTION_3)
    assert change.status == "changed" and change.title_changed and not change.paragraphs


def test_the_changes_page_tells_changes_in_words(client_for, ict):
    draft = make_draft(ict, {SECTION_3: "Sosiaalisen median käytöstä päättää <script>alert(1)</script> kunta."})
    page = client_for("ict_secretary").get(reverse("guideline_draft_changes", args=[draft.pk])).text
    assert "Kappale muutettu:" in page or "Kappale poistettu:" in page
    assert "<del>" in page and "<ins>" in page
    assert "poistettu:" in page and "lisätty:" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_removed_section_is_listed(ict):
    draft = make_draft(ict)
    services.remove_section(ict, draft.sections.get(slug="lahteet"))
    changes = services.changes_of(draft)
    assert [c.status for c in changes.sections if c.slug == "lahteet"] == ["removed"]
    assert changes.has_changes
    assert current_version().sections.filter(slug="lahteet").exists()  # the version in force keeps it


def _slugs(version):
    return list(version.sections.values_list("slug", flat=True))


@pytest.mark.parametrize("direction, expected", [("up", [1, 0, 2]), ("down", [0, 2, 1])])
def test_moving_a_section_swaps_it_with_its_neighbour(ict, direction, expected):
    draft = make_draft(ict)
    before = _slugs(draft)
    services.move_section(ict, draft.sections.get(slug=before[1]), direction)
    assert _slugs(draft)[:3] == [before[i] for i in expected]
    assert _slugs(draft)[3:] == before[3:]
    assert sorted(draft.sections.values_list("order", flat=True)) == list(range(1, len(before) + 1))


def test_a_moved_section_is_a_change_that_can_be_published(ict):
    draft = make_draft(ict)
    second = draft.sections.all()[1]
    services.move_section(ict, second, "up")
    changes = services.changes_of(draft)
    assert changes.changed == [] and second.slug in changes.moved and changes.has_changes
    published = services.publish_version(ict, draft, **{**publish_data(), "approved_on": timezone.localdate()})
    assert _slugs(published)[0] == second.slug


@pytest.mark.parametrize(
    "position, direction, message",
    [(0, "up", "ensimmäinen"), (-1, "down", "viimeinen"), (1, "sideways", "ylös tai alas")],
)
def test_a_section_that_cannot_move_that_way_is_refused_and_nothing_changes(ict, position, direction, message):
    draft = make_draft(ict)
    before = list(draft.sections.values_list("slug", "order"))
    section = list(draft.sections.all())[position]
    with pytest.raises(ValidationError, match=message):
        services.move_section(ict, section, direction)
    assert list(draft.sections.values_list("slug", "order")) == before


def test_the_last_section_of_a_draft_is_not_removed(ict):
    draft = make_draft(ict)
    for section in list(draft.sections.all())[1:]:
        services.remove_section(ict, section)
    with pytest.raises(ValidationError, match="vähintään yksi"):
        services.remove_section(ict, draft.sections.get())
    assert draft.sections.count() == 1


def test_removing_a_section_twice_says_it_is_gone(ict):
    draft = make_draft(ict)
    section = draft.sections.get(slug="lahteet")
    services.remove_section(ict, section)
    with pytest.raises(ValidationError, match="poistettu jo"):
        services.remove_section(ict, section)


@pytest.mark.parametrize("role", NOT_ICT)
def test_only_the_ict_secretary_removes_or_moves_sections(org, ict, role):
    draft = make_draft(ict)
    before = list(draft.sections.values_list("slug", "order"))
    with pytest.raises(PermissionDenied):
        services.remove_section(org.users[role], draft.sections.last())
    with pytest.raises(PermissionDenied):
        services.move_section(org.users[role], draft.sections.last(), "up")
    assert list(draft.sections.values_list("slug", "order")) == before


def test_the_first_version_has_nothing_to_compare(client):
    assert services.changes_of(current_version()) is None
    page = client.get(reverse("guideline_version_changes", args=[current_version().pk])).text
    assert "ensimmäinen versio" in page


def test_the_changes_of_a_published_version_are_public(client, ict):
    new = publish_new_version(ict)
    page = client.get(reverse("guideline_version_changes", args=[new.pk])).text
    assert "Palvelujen käyttöönotto" in page and "Luku 3 päivitetty." in page


# --- The ICT secretary's pages ---------------------------------------------------------------------------------------


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
    assert _slugs(draft)[:2] == [second.slug, first.slug]
    changes = client.get(reverse("guideline_draft_changes", args=[draft.pk])).text
    assert "Osioiden järjestys muuttui" in changes


def test_a_bad_move_from_the_page_says_why_and_changes_nothing(client_for, ict):
    draft = make_draft(ict)
    before = _slugs(draft)
    url = reverse("guideline_draft_section_move", args=[draft.pk, before[0]])
    response = client_for("ict_secretary").post(url, {"direction": "up"}, follow=True)
    assert "ensimmäinen" in response.text
    response = client_for("ict_secretary").post(url, {"direction": ""}, follow=True)
    assert "ylös tai alas" in response.text
    assert _slugs(draft) == before


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
    # translations (prefetched), version in force, draft (no session save)
    with django_assert_num_queries(9):
        client.get(reverse("guideline_versions"))


def test_the_admin_shows_the_guideline_read_only(client_for):
    client = client_for("ict_secretary")
    version = current_version()
    assert client.get(reverse("admin:guideline_guidelineversion_changelist")).status_code == 200
    page = client.get(reverse("admin:guideline_guidelineversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # no save button: published versions are changed nowhere
    assert client.get(reverse("admin:guideline_guidelineversion_add")).status_code == 403
    assert client.get(reverse("admin:somegov_accessibilityfeedback_changelist")).status_code == 200
    assert client.get(reverse("admin:guideline_guidelineacknowledgement_changelist")).status_code == 200
