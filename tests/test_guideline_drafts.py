"""Drafting and publishing a new version (services), and the immutability of published versions in the model layer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from guideline import services
from guideline.models import GuidelineSection, GuidelineVersion, PublishedVersionIsImmutable, VersionStatus
from tests.guideline_factories import NOT_ICT, SECTION_3, current_version, make_draft, publish_data, publish_new_version

pytestmark = pytest.mark.django_db


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
