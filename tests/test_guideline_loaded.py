"""The 2016 guideline as ``load_guideline suomussalmi-2016`` loads it: every heading and list item of the source
is in the database and on the reading page, word for word; the old data migration leaves it alone both ways.

The expectations come from the seed text itself (the PDF extraction), not from the JSON files the
loader reads, so a loader that dropped or garbled a section would fail here.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from guideline.models import GuidelineSection, GuidelineVersion
from tests import test_guideline_source as src

pytestmark = pytest.mark.django_db


def _source_text():
    """The seed without page numbers, page header and document title, whitespace normalised."""
    path = src._seed_path()
    if not path.is_file():
        pytest.fail(f"seed text not found at {path}; set SOMEGOV_SEED_DIR to the folder holding it")
    pages = path.read_text(encoding="utf-8").strip().split("\n")
    text = src._norm(" ".join(line.split(" ", 1)[1] for line in pages))
    return text[len(src.PAGE_HEADER) + 1 :]


def _loaded(language="fi"):
    version = GuidelineVersion.objects.published().get(
        language=language, label__in=["Luonnos 31.12.2015", "Draft 31.12.2015"]
    )
    return version, list(version.sections.all())


def _as_doc(version, sections):
    """The database rows in the shape of the data files, so the source comparisons can be reused."""
    return {
        "version": {"title": version.title},
        "sections": [
            {
                "number": s.number,
                "slug": s.slug,
                "title": s.title,
                "title_is_editorial": s.title_is_editorial,
                "body": s.body,
            }
            for s in sections
        ],
    }


class _Outline(HTMLParser):
    """Collects the text of h1-h3 headings and list items of a page."""

    def __init__(self):
        super().__init__()
        self.stack, self.items = [], []

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "h3", "li"}:
            self.stack.append([tag, ""])

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            kind, text = self.stack.pop()
            self.items.append((kind, src._norm(html.unescape(text))))

    def handle_data(self, data):
        for entry in self.stack:
            entry[1] += data


def _outline(text):
    parser = _Outline()
    parser.feed(text)
    return parser.items


def test_the_finnish_2016_version_is_the_first_published_version():
    version = GuidelineVersion.objects.current()
    assert version.title == "Suomussalmen kunnan sosiaalisen median ohjeet"
    assert version.label == "Luonnos 31.12.2015"
    assert version.language == "fi" and not version.is_translation
    assert version.approved_by == "Kunnanhallitus" and version.approved_on.isoformat() == "2016-01-26"
    assert version.published_by is None  # loaded from the source, not published by a person
    assert GuidelineVersion.objects.published().originals().count() == 1
    assert version.editorial_notes and all(note["fi"] and note["en"] for note in version.editorial_notes)


def test_the_english_reading_aid_translates_the_finnish_version():
    finnish = GuidelineVersion.objects.current()
    english = finnish.translations.get()
    assert english.language == "en" and english.is_translation and english.is_published
    assert english.note == "Unofficial English reading aid. The Finnish text is authoritative."
    assert [s.slug for s in english.sections.all()] == [s.slug for s in finnish.sections.all()]


def test_the_loaded_text_reproduces_the_source_word_for_word():
    version, sections = _loaded()
    expected = src._source_text_for_comparison(_source_text())
    assert src._structured_text(_as_doc(version, sections)) == expected


def test_every_numbered_heading_of_the_source_is_a_section():
    source = _source_text()
    _version, sections = _loaded()
    numbered = [s for s in sections if s.number]
    assert [(s.number, s.title) for s in numbered] == list(src.NUMBERED_TITLES.items())
    for section in numbered:
        assert f"{section.number}. {section.title}" in source
    unnumbered = [s.title for s in sections if not s.number]
    assert unnumbered == ["Johdanto", "Lähteet", "Kunnan ohjeita"]
    assert "Lähteet" in source and "Kunnan ohjeita:" in source


def test_every_star_item_of_the_source_is_a_list_item_in_the_database():
    source = _source_text()
    pieces = [src._norm(piece) for piece in src.STAR_BULLET.split(source)[1:]]
    _version, sections = _loaded()
    by_number = {s.number: s for s in sections}
    items = src._items({"body": by_number["2"].body}) + src._items({"body": by_number["7"].body})
    assert len(pieces) == len(items) == 26
    for piece, item in zip(pieces, items, strict=True):
        # The last item of a list runs on into the next heading in the extracted text.
        assert piece == item or piece.startswith(item + " "), (piece[:60], item)


def test_the_lists_that_lost_their_bullets_are_list_items_in_the_database():
    source = _source_text()
    _version, sections = _loaded()
    by_slug = {s.slug: s for s in sections}
    six = src._items({"body": by_slug["henkilosto-sosiaalisen-median-kayttajana"].body})
    assert six == src.SECTION_6_ITEMS and " ".join(six) in source
    instructions = src._items({"body": by_slug["kunnan-ohjeita"].body})
    assert instructions == src.MUNICIPAL_INSTRUCTIONS and source.endswith(" ".join(instructions))
    sources = src._items({"body": by_slug["lahteet"].body})
    assert "Lähteet - " + " - ".join(sources) + " Kunnan ohjeita:" in source


def test_the_reading_page_shows_every_heading_and_list_item(client):
    source = _source_text()
    _version, sections = _loaded()
    outline = _outline(client.get(reverse("guideline")).text)
    headings = {text for kind, text in outline if kind in {"h1", "h2", "h3"}}
    items = [text for kind, text in outline if kind == "li"]
    assert "Suomussalmen kunnan sosiaalisen median ohjeet" in headings
    for section in sections:
        assert section.heading in headings
    for tool in src.SECTION_7_TOOLS:
        assert tool in headings
        assert re.search(rf"(?<!\S){tool}\s+\*", source)
    expected_items = [item for section in sections for item in src._items({"body": section.body})]
    assert len(expected_items) == 26 + 6 + 4 + 5
    for item in expected_items:
        assert item in items, item


def test_sections_have_unique_slugs_and_a_stable_order():
    version, sections = _loaded()
    assert [s.order for s in sections] == list(range(1, len(sections) + 1))
    assert len({s.slug for s in sections}) == len(sections) == 10
    assert GuidelineSection.objects.filter(version=version, number="").count() == 3


def test_the_old_data_migration_keeps_an_existing_install_s_guideline_both_ways(transactional_db):
    """Existing installs ran 0003 when it loaded the guideline; unapplying and reapplying it now changes nothing."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.guideline_factories import ensure_guideline_loaded

    ensure_guideline_loaded()
    executor = MigrationExecutor(connection)
    before_the_load = [("somegov", "0002_guideline_and_accessibility_feedback")]
    executor.migrate(before_the_load)
    # Back then the models were the somegov app's (they moved to the guideline app later): read them as they were.
    historical = executor.loader.project_state(before_the_load).apps
    assert historical.get_model("somegov", "GuidelineVersion").objects.count() == 2
    assert historical.get_model("somegov", "GuidelineSection").objects.count() == 20
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert GuidelineVersion.objects.count() == 2
    assert GuidelineSection.objects.count() == 20
    assert GuidelineVersion.objects.current().label == "Luonnos 31.12.2015"
