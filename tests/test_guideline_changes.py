"""Changes between versions: paragraph and word differences, removed and moved sections, the public changes page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guideline import services
from tests.guideline_factories import (
    NOT_ICT,
    SECTION_3,
    current_version,
    make_draft,
    publish_data,
    publish_new_version,
    section_slugs,
)

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("direction, expected", [("up", [1, 0, 2]), ("down", [0, 2, 1])])
def test_moving_a_section_swaps_it_with_its_neighbour(ict, direction, expected):
    draft = make_draft(ict)
    before = section_slugs(draft)
    services.move_section(ict, draft.sections.get(slug=before[1]), direction)
    assert section_slugs(draft)[:3] == [before[i] for i in expected]
    assert section_slugs(draft)[3:] == before[3:]
    assert sorted(draft.sections.values_list("order", flat=True)) == list(range(1, len(before) + 1))


def test_a_moved_section_is_a_change_that_can_be_published(ict):
    draft = make_draft(ict)
    second = draft.sections.all()[1]
    services.move_section(ict, second, "up")
    changes = services.changes_of(draft)
    assert changes.changed == [] and second.slug in changes.moved and changes.has_changes
    published = services.publish_version(ict, draft, **{**publish_data(), "approved_on": timezone.localdate()})
    assert section_slugs(published)[0] == second.slug


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
