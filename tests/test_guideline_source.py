"""The structured 2016 guideline (guideline/data/guideline_2016_*.json) is faithful to its source.

The source is a PDF text extraction of Suomussalmi's social media guideline: a few long lines, each
starting with its page number (1..5), the first with the page header "Khall liite 1 Kh 26.1.2016
Luonnos 31.12.2015" and the document title in capitals. Bullets appear as "*item", "* item" or "- item",
and two lists (section 6 and "Kunnan ohjeita") lost their bullets altogether.

Only json and pathlib are needed (no Django). The seed is found next to the project
(../shared/seed) or in the directory named by the environment variable SOMEGOV_SEED_DIR.
"""

import json
import os
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT / "guideline" / "data"
FI_PATH = DATA_DIR / "guideline_2016_fi.json"
EN_PATH = DATA_DIR / "guideline_2016_en.json"
SEED_NAME = "000_20ac57258546e424.txt"

PAGE_HEADER = "Khall liite 1 Kh 26.1.2016 Luonnos 31.12.2015"
PAGE_COUNT = 5

NUMBERED_TITLES = {
    "1": "Mitä on sosiaalinen media (some)",
    "2": "Miten kunta voi hyödyntää sosiaalista mediaa",
    "3": "Palvelujen käyttöönotto",
    "4": "Osallistumisen periaatteet",
    "5": "Turvallisesti sosiaalisessa mediassa",
    "6": "Henkilöstö sosiaalisen median käyttäjänä",
    "7": "Suomussalmen kunnan sosiaalisen median välineet",
}
SECTION_7_TOOLS = ["Internetsivut", "Facebook", "Instagram", "YouTube"]

# The caption of the picture of section 1. In the PDF it stands at the top of page 2, after the last
# sentence of section 1 and before the heading "2.": it is kept as the last paragraph of section 1, so
# the reading order of the source is unchanged and the word-order comparison needs no reordering.
CAPTION = "Sosiaalisessa mediassa on lukuisia palveluja kuten sosiaalisen median maisemakuvasta näkyy."
LAST_SENTENCE_OF_1 = "Organisaatiokäytössä sosiaalinen media on vain julkisen tiedon julkaisukanava."

# The one deliberate change to the source's characters: the colon after this heading is dropped.
EDITED_HEADINGS = {"Kunnan ohjeita:": "Kunnan ohjeita"}

SECTION_6_LEAD = "Tiedon ja materiaalin turvallisessa käytössä on muistettava, että"
SECTION_6_ITEMS = [
    "työasiat eivät saa levitä asiaankuulumattomille",
    "vaikutat mielikuvaan kunnasta",
    "ei-julkista tietoa ei saa koskaan julkaista sosiaalisen median palveluissa kenellekään",
    "tekijänoikeuksin suojattua tai aiheeseen liittymätöntä materiaalia ei saa välittää ja jakaa",
    "kuvien, videoiden ym. käyttö- ja tekijänoikeuksia tulee noudattaa",
    "julkaistua sisältöä ei saa välttämättä pois verkosta, joten tutustu ja ymmärrä käyttöön otetun palvelun ehdot",
]
MUNICIPAL_INSTRUCTIONS = [
    "Suomussalmen kunnan vaakunan käyttöohje/kunnanhallitus 15.3.2011 59",
    "Suomussalmen kunnan markkinointitunnuksen/logon käyttöohje/kunnanhallitus 15.3.2011 60",
    "Markkinointisuunnitelma",
    "Kriisiviestintäohje",
    "Ohje aloitteiden käsittelystä/kunnanhallitus 24.11.2009 238",
]

# A bullet of the source: "*" or a lone "-" that does not end a word ("Liikenne- ja" is not a bullet).
STAR_BULLET = re.compile(r"(?<!\S)\*\s*")
SOURCE_BULLET = re.compile(r"(?<!\S)(?:\*|-(?=\s))\s*")


def _seed_path():
    seed_dir = os.environ.get("SOMEGOV_SEED_DIR")
    if seed_dir:
        return Path(seed_dir) / SEED_NAME
    return Path(__file__).resolve().parents[1].parent / "shared" / "seed" / SEED_NAME


def _norm(text):
    return " ".join(text.split())


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fi():
    return _load(FI_PATH)


@pytest.fixture(scope="module")
def en():
    return _load(EN_PATH)


@pytest.fixture(scope="module")
def source():
    """The source text without page numbers, page header or title, whitespace normalised."""
    path = _seed_path()
    if not path.is_file():
        # Never a skip: without the source nothing proves the loaded guideline faithful.
        pytest.fail(f"seed text not found at {path}; set SOMEGOV_SEED_DIR to the folder holding it")
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    assert len(lines) == PAGE_COUNT
    pages = []
    for number, line in enumerate(lines, start=1):
        assert line.startswith(f"{number} "), f"page {number} does not start with its page number"
        pages.append(line[len(f"{number} ") :])
    text = _norm(" ".join(pages))
    assert text.startswith(PAGE_HEADER + " ")
    assert text.count(PAGE_HEADER) == 1
    return text[len(PAGE_HEADER) + 1 :]


def _section(doc, slug):
    matches = [s for s in doc["sections"] if s["slug"] == slug]
    assert len(matches) == 1, slug
    return matches[0]


def _numbered(doc, number):
    matches = [s for s in doc["sections"] if s["number"] == number]
    assert len(matches) == 1, number
    return matches[0]


def _blocks(body):
    """Markdown body -> [(kind, text)] with kind "p", "h3" or "li"."""
    blocks = []
    for chunk in body.split("\n\n"):
        lines = chunk.split("\n")
        if lines[0].startswith("### "):
            assert len(lines) == 1, chunk
            blocks.append(("h3", lines[0][4:]))
        elif lines[0].startswith("- "):
            assert all(line.startswith("- ") for line in lines), chunk
            blocks.extend(("li", line[2:]) for line in lines)
        else:
            assert len(lines) == 1, f"a paragraph is one line: {chunk!r}"
            blocks.append(("p", lines[0]))
    return blocks


def _items(section):
    return [text for kind, text in _blocks(section["body"]) if kind == "li"]


def _heading(section):
    return f"{section['number']}. {section['title']}" if section["number"] else section["title"]


def _structured_text(doc):
    parts = [doc["version"]["title"].upper()]
    for section in doc["sections"]:
        if not section.get("title_is_editorial"):
            parts.append(_heading(section))
        parts.extend(text for _kind, text in _blocks(section["body"]))
    return _norm(" ".join(parts))


def _source_text_for_comparison(source):
    text = source
    for printed, stored in EDITED_HEADINGS.items():
        assert text.count(printed) == 1
        text = text.replace(printed, stored)
    return _norm(SOURCE_BULLET.sub(" ", text))


# --- shape -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [FI_PATH, EN_PATH], ids=["fi", "en"])
def test_markdown_bodies_are_well_formed(path):
    doc = _load(path)
    slugs = [s["slug"] for s in doc["sections"]]
    assert len(slugs) == len(set(slugs))
    for section in doc["sections"]:
        assert set(section) >= {"number", "slug", "title", "body"}
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", section["slug"])
        body = section["body"]
        assert body and body == body.strip() and "\n\n\n" not in body
        assert "*" not in body and "*" not in section["title"]
        assert all(line == line.rstrip() for line in body.split("\n"))
        assert _blocks(body)
        assert PAGE_HEADER not in body and "Khall" not in body


def test_version_metadata(fi, en):
    assert fi["version"]["title"] == "Suomussalmen kunnan sosiaalisen median ohjeet"
    assert fi["version"]["label"] == "Luonnos 31.12.2015"
    assert fi["version"]["approved_by"] == "Kunnanhallitus"
    assert fi["version"]["approved_on"] == "2016-01-26"
    assert fi["version"]["language"] == "fi"
    assert fi["version"]["note"] == "Kunnanhallituksen kokouksen 26.1.2016 liite 1"
    assert en["version"]["language"] == "en"
    assert en["version"]["is_translation"] is True
    assert en["version"]["note"] == "Unofficial English reading aid. The Finnish text is authoritative."
    assert en["version"]["approved_on"] == fi["version"]["approved_on"]
    for doc in (fi, en):
        notes = doc["version"]["editorial_notes"]
        assert notes and all(note["fi"] and note["en"] for note in notes)


def test_metadata_comes_from_the_page_header(fi, source):
    # "Khall liite 1 Kh 26.1.2016 Luonnos 31.12.2015": appendix 1, municipal board 26.1.2016, draft 31.12.2015
    assert fi["version"]["label"] in PAGE_HEADER
    assert "Kh 26.1.2016" in PAGE_HEADER and "liite 1" in PAGE_HEADER
    assert source.startswith(fi["version"]["title"].upper() + " ")


# --- (a) every word of the source, in order -------------------------------------------------------------


def test_structured_text_reproduces_the_source_word_for_word(fi, source):
    expected = _source_text_for_comparison(source)
    actual = _structured_text(fi)
    if actual != expected:
        exp, act = expected.split(), actual.split()
        first = next((i for i, (a, b) in enumerate(zip(exp, act, strict=False)) if a != b), min(len(exp), len(act)))
        pytest.fail(f"differs at word {first}: source {exp[first : first + 8]} vs json {act[first : first + 8]}")


def test_caption_stays_in_section_1_where_the_source_has_it(fi, source):
    # The source's order: end of section 1, the caption, then heading 2.
    assert f"{LAST_SENTENCE_OF_1} {CAPTION} 2. {NUMBERED_TITLES['2']}" in source
    blocks_1 = _blocks(_numbered(fi, "1")["body"])
    assert blocks_1[-1] == ("p", CAPTION)
    assert blocks_1[-2][1].endswith(LAST_SENTENCE_OF_1)
    for section in fi["sections"]:
        if section["number"] != "1":
            assert CAPTION not in section["body"]


def test_introduction_has_no_heading_in_the_source(fi, source):
    intro = fi["sections"][0]
    assert intro["number"] == ""
    assert intro["title_is_editorial"] is True
    first = _blocks(intro["body"])[0][1]
    assert source.startswith(f"{fi['version']['title'].upper()} {first}")
    editorial = [s["slug"] for s in fi["sections"] if s.get("title_is_editorial")]
    assert editorial == [intro["slug"]]


# --- (b) headings -------------------------------------------------------------------------------------------


def test_numbered_headings_have_their_exact_titles_in_order(fi, source):
    numbered = [s for s in fi["sections"] if s["number"]]
    assert [s["number"] for s in numbered] == list(NUMBERED_TITLES)
    positions = []
    for section in numbered:
        assert section["title"] == NUMBERED_TITLES[section["number"]]
        heading = _heading(section)
        assert source.count(heading) == 1, heading
        positions.append(source.index(heading))
    assert positions == sorted(positions)


def test_section_order_and_back_matter(fi):
    assert [s["number"] for s in fi["sections"]] == ["", *NUMBERED_TITLES, "", ""]
    assert [s["title"] for s in fi["sections"][-2:]] == ["Lähteet", "Kunnan ohjeita"]
    assert fi["sections"][1]["slug"] == "mita-on-sosiaalinen-media"


def test_section_7_tools_are_subheadings(fi, source):
    section = _numbered(fi, "7")
    headings = [text for kind, text in _blocks(section["body"]) if kind == "h3"]
    assert headings == SECTION_7_TOOLS
    for tool in SECTION_7_TOOLS:
        assert re.search(rf"(?<!\S){tool}\s+\*", source), tool


# --- (c) every "*item" of the source is a list item -------------------------------------------------------------


def test_every_star_item_of_the_source_is_a_separate_list_item(fi, source):
    star_items = _items(_numbered(fi, "2")) + _items(_numbered(fi, "7"))
    pieces = [_norm(piece) for piece in STAR_BULLET.split(source)[1:]]
    assert len(pieces) == len(star_items) == 26
    headings = {_heading(s) for s in fi["sections"]} | set(SECTION_7_TOOLS) | set(EDITED_HEADINGS)
    for piece, item in zip(pieces, star_items, strict=True):
        if piece == item:
            continue
        # The last item of a list runs on into the next heading in the extracted text.
        assert piece.startswith(item + " "), (piece[:60], item)
        rest = piece[len(item) + 1 :]
        assert any(rest.startswith(heading) for heading in headings), (item, rest[:60])


def test_section_2_items_keep_their_lower_case(fi):
    items = _items(_numbered(fi, "2"))
    assert len(items) == 11
    assert all(item[0].islower() for item in items)


def test_sources_are_list_items(fi, source):
    items = _items(_section(fi, "lahteet"))
    assert len(items) == 4
    assert "Lähteet - " + " - ".join(items) + " Kunnan ohjeita:" in source


# --- (d) the lists that lost their bullets ---------------------------------------------------------------------


def test_section_6_list_is_restored_as_six_items(fi, source):
    assert f"{SECTION_6_LEAD} {' '.join(SECTION_6_ITEMS)} 7. {NUMBERED_TITLES['7']}" in source
    blocks = _blocks(_numbered(fi, "6")["body"])
    lead = blocks.index(("p", SECTION_6_LEAD))
    assert blocks[lead + 1 :] == [("li", item) for item in SECTION_6_ITEMS]


def test_municipal_instructions_are_restored_as_five_items(fi, source):
    assert source.endswith("Kunnan ohjeita: " + " ".join(MUNICIPAL_INSTRUCTIONS))
    assert _items(_section(fi, "kunnan-ohjeita")) == MUNICIPAL_INSTRUCTIONS


# --- (e) the English reading aid ------------------------------------------------------------------------------------


def test_english_has_the_same_sections_in_the_same_order(fi, en):
    assert [(s["number"], s["slug"]) for s in en["sections"]] == [(s["number"], s["slug"]) for s in fi["sections"]]
    for fi_section, en_section in zip(fi["sections"], en["sections"], strict=True):
        assert en_section["title"] and en_section["title"] != fi_section["title"]
        assert en_section.get("title_is_editorial", False) == fi_section.get("title_is_editorial", False)


def test_english_has_the_same_structure_per_section(fi, en):
    for fi_section, en_section in zip(fi["sections"], en["sections"], strict=True):
        fi_kinds = [kind for kind, _text in _blocks(fi_section["body"])]
        en_kinds = [kind for kind, _text in _blocks(en_section["body"])]
        assert en_kinds.count("li") == fi_kinds.count("li"), fi_section["slug"]
        assert en_kinds == fi_kinds, fi_section["slug"]
