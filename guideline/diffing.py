"""Changes between two versions of the guideline, section by section, as data for a template.

Sections are matched by slug. Within a section, the Markdown source is compared paragraph by
paragraph (a paragraph, list item or heading is one line); a changed paragraph is compared word by
word. The result holds plain strings only: the template escapes them and marks removed and added
words with <del>/<ins> and with words ("removed:", "added:"), so the change is never told by colour.
"""

import dataclasses
import difflib
import re

SECTION_ADDED = "added"
SECTION_REMOVED = "removed"
SECTION_CHANGED = "changed"
SECTION_UNCHANGED = "unchanged"
# Paragraphs sharing at least this share of their words are shown as one changed paragraph.
SIMILAR_ENOUGH = 0.5


@dataclasses.dataclass
class Token:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclasses.dataclass
class Paragraph:
    kind: str  # "removed", "added" or "changed"
    text: str = ""
    tokens: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class SectionChange:
    slug: str
    status: str
    old_heading: str
    new_heading: str
    paragraphs: list = dataclasses.field(default_factory=list)
    unchanged_paragraphs: int = 0

    @property
    def heading(self):
        return self.new_heading or self.old_heading

    @property
    def title_changed(self):
        return bool(self.old_heading and self.new_heading and self.old_heading != self.new_heading)


@dataclasses.dataclass
class VersionChanges:
    sections: list
    moved: frozenset = frozenset()  # slugs of the sections both versions have, at another place among them

    def count(self, status):
        return sum(1 for section in self.sections if section.status == status)

    @property
    def changed(self):
        return [section for section in self.sections if section.status != SECTION_UNCHANGED]

    @property
    def has_changes(self):
        return bool(self.changed or self.moved)


def _lines(body):
    return [line for line in (body or "").split("\n") if line.strip()]


def _words(text):
    return [token for token in re.split(r"(\s+)", text) if token]


def word_diff(old, new):
    """Tokens of ``new`` against ``old``: runs of same, removed and added words."""
    a, b = _words(old), _words(new)
    tokens = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            tokens.append(Token("same", "".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            tokens.append(Token("removed", "".join(a[i1:i2])))
        if op in {"insert", "replace"}:
            tokens.append(Token("added", "".join(b[j1:j2])))
    return tokens


def paragraph_diff(old_body, new_body):
    """(changed paragraphs, number of unchanged ones) between two Markdown bodies."""
    a, b = _lines(old_body), _lines(new_body)
    paragraphs, unchanged = [], 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
        elif op == "delete":
            paragraphs += [Paragraph("removed", text=line) for line in a[i1:i2]]
        elif op == "insert":
            paragraphs += [Paragraph("added", text=line) for line in b[j1:j2]]
        else:
            paragraphs += _pair_replaced(a[i1:i2], b[j1:j2])
    return paragraphs, unchanged


def _similar(old, new):
    return difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= SIMILAR_ENOUGH


def _pair_replaced(old, new):
    """Paragraphs replaced by others: similar ones as changed (word by word), the rest removed or added."""
    paragraphs, i, j = [], 0, 0
    while i < len(old) and j < len(new):
        if _similar(old[i], new[j]):
            paragraphs.append(Paragraph("changed", tokens=word_diff(old[i], new[j])))
            i, j = i + 1, j + 1
        elif any(_similar(old[i], later) for later in new[j + 1 :]):
            paragraphs.append(Paragraph("added", text=new[j]))
            j += 1
        else:
            paragraphs.append(Paragraph("removed", text=old[i]))
            i += 1
    paragraphs += [Paragraph("removed", text=line) for line in old[i:]]
    paragraphs += [Paragraph("added", text=line) for line in new[j:]]
    return paragraphs


def compare_versions(old_sections, new_sections):
    """Section-by-section changes from ``old_sections`` to ``new_sections`` (iterables of sections)."""
    old_by_slug = {section.slug: section for section in old_sections}
    new_list = list(new_sections)
    new_slugs = {section.slug for section in new_list}
    changes = []
    for section in new_list:
        before = old_by_slug.get(section.slug)
        if before is None:
            paragraphs = [Paragraph("added", text=line) for line in _lines(section.body)]
            changes.append(SectionChange(section.slug, SECTION_ADDED, "", section.heading, paragraphs))
            continue
        paragraphs, unchanged = paragraph_diff(before.body, section.body)
        status = SECTION_CHANGED if paragraphs or before.heading != section.heading else SECTION_UNCHANGED
        changes.append(SectionChange(section.slug, status, before.heading, section.heading, paragraphs, unchanged))
    for slug, before in old_by_slug.items():
        if slug not in new_slugs:
            paragraphs = [Paragraph("removed", text=line) for line in _lines(before.body)]
            changes.append(SectionChange(slug, SECTION_REMOVED, before.heading, "", paragraphs))
    old_order = [slug for slug in old_by_slug if slug in new_slugs]
    new_order = [section.slug for section in new_list if section.slug in old_by_slug]
    moved = frozenset(slug for slug, was in zip(new_order, old_order, strict=True) if slug != was)
    return VersionChanges(changes, moved)
