"""Every string of ours is translated into every interface language (Finnish, Swedish), and the compiled
catalogues match the sources."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.guideline_factories import make_draft
from tests.registry_helpers import make_channel

ROOT = Path(__file__).resolve().parents[1]
# Every catalogue of ours in every language: ``<app>/locale/<language>/LC_MESSAGES/django.po`` (English is the
# msgids themselves and has no catalogue).
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if not {".venv", "node_modules"} & set(p.parts)
)
LANGUAGES = sorted({p.parts[-3] for p in CATALOGUES})


def _language(path):
    return path.parts[-3]


def _catalogue_dir(path):
    """``locale`` for the project's catalogue, the app's name for an app's."""
    return path.relative_to(ROOT).parts[0]


@pytest.mark.parametrize(
    ("language", "catalogue_dirs"), [("fi", {"locale", "channels", "approvals"}), ("sv", {"locale", "channels"})]
)
def test_there_are_catalogues(language, catalogue_dirs):
    assert {_catalogue_dir(p) for p in CATALOGUES if _language(p) == language} >= catalogue_dirs


def test_every_known_language_but_english_is_translated(settings):
    assert set(LANGUAGES) == {code for code, _name in settings.KNOWN_LANGUAGES} - {"en"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) translations in {po_path}: {fuzzy}"
    with open(po_path.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, f"{po_path.with_suffix('.mo')} is stale: run make messages"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_survive_translation(po_path):
    for entry in polib.pofile(str(po_path)).translated_entries():
        placeholders = sorted(re.findall(r"%\(\w+\)s|\{\w*\}", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)s|\{\w*\}", entry.msgstr)) == placeholders or entry.msgid_plural, entry.msgid


# --- One msgid, one meaning ---------------------------------------------------------------------------------
# Django merges every catalogue into one at runtime (LOCALE_PATHS first, then the apps in INSTALLED_APPS order),
# so a msgid translated differently in two catalogues shows one app's Finnish in the other's pages too. A word
# with two meanings (a person's "title" and a heading's "title") gets a context (pgettext, {% translate ... context %}).


def catalogue_conflicts(paths):
    """``{(msgctxt, msgid, msgid_plural): {path: translation}}`` for every entry translated differently in two
    of the catalogues at ``paths``."""
    translations = {}
    for path in paths:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated():
                continue
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            value = (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            translations.setdefault(key, {})[str(path)] = value
    return {key: found for key, found in translations.items() if len(set(found.values())) > 1}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_msgid_has_the_same_translation_in_every_catalogue(language):
    conflicts = catalogue_conflicts([p for p in CATALOGUES if _language(p) == language])
    lines = [
        f"{msgid!r} (context {context!r}): " + "; ".join(f"{path}: {value[0]!r}" for path, value in found.items())
        for (context, msgid, _plural), found in conflicts.items()
    ]
    assert not conflicts, "translated differently in two catalogues (add a context):\n" + "\n".join(lines)


def _po(tmp_path, name, entries):
    po = polib.POFile()
    for context, msgid, msgstr in entries:
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    path = tmp_path / f"{name}.po"
    po.save(str(path))
    return path


def test_the_check_finds_a_word_with_two_meanings(tmp_path):
    people = _po(tmp_path, "people", [(None, "title", "tehtävänimike"), (None, "Name", "Nimi")])
    guideline = _po(tmp_path, "guideline", [(None, "title", "otsikko"), (None, "Name", "Nimi")])
    assert set(catalogue_conflicts([people, guideline])) == {(None, "title", "")}
    people = _po(tmp_path, "people", [("job title", "title", "tehtävänimike")])
    guideline = _po(tmp_path, "guideline", [("heading", "title", "otsikko")])
    assert catalogue_conflicts([people, guideline]) == {}


def test_a_persons_title_and_a_headings_title_are_different_words(client_for, org):
    client = client_for("ict_secretary")
    person_page = client.get(reverse("channels:person_detail", args=[org.person("staff").pk])).text
    assert '<dt class="col-sm-4">Tehtävänimike</dt>' in person_page
    assert "Otsikko" not in person_page
    acknowledgements = client.get(reverse("guideline_acknowledgements")).text
    assert '<th scope="col">Tehtävänimike</th>' in acknowledgements
    draft = make_draft(org.users["ict_secretary"])
    section = draft.sections.order_by("order").first()
    section_page = client.get(reverse("guideline_draft_section", args=[draft.pk, section.slug])).text
    assert re.search(r'<label\s+for="id_title"[^>]*>\s*Otsikko', section_page)
    assert "Tehtävänimike" not in section_page


def test_a_table_of_contents_and_a_columns_contents_are_different_words(client_for):
    client = client_for("ict_secretary")
    assert '<h2 id="toc-heading">Sisällys</h2>' in client.get(reverse("guideline")).text
    assert '<th scope="col">Sisältö</th>' in client.get(reverse("channels:import_upload")).text


def test_the_review_of_a_channel_is_a_katselmointi_in_the_registry_too(client_for, org):
    make_channel(org.unit, name="Kirjaston Facebook")
    registry = client_for("ict_secretary").get(reverse("channels:registry")).text
    assert '<a href="?sort=review">Seuraava katselmointi</a>' in registry
    assert "tarkistus" not in registry
