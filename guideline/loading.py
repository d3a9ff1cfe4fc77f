"""Bringing a guideline into the portal: the bundled 2016 guideline, or an organisation's own Markdown or Word file.

A fresh database holds no guideline. ``manage.py load_guideline`` (and the ICT secretary's import page)
call the functions here:

* ``load_bundled(name, GuidelineVersion, GuidelineSection)`` loads a bundled data set (today only
  ``suomussalmi-2016``: Suomussalmi's 2016 guideline and its English reading aid, restored from the PDF in
  ``guideline/data/``) as the version in force. It takes the models as arguments, so the old data
  migration, the tests and the demo all load exactly the same rows.
* ``sections_from_markdown(text)`` splits a Markdown text into sections at its headings;
  ``markdown_from_docx(file)`` converts a Word file to Markdown first (with mammoth).
* ``create_draft(...)`` stores the sections as a **draft**, which the ICT secretary then edits and
  publishes through the version flow of ``guideline.services``.

Every refusal is an ``ImportRefused`` (a ``ValidationError``) with a translatable message that says why.
"""

import dataclasses
import datetime
import io
import json
import re
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import mammoth
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.validators import single_line

DATA_DIR = Path(__file__).resolve().parent / "data"
# Each bundled data set: the original's file and its reading aids' files, and the day it took effect.
BUNDLED = {
    "suomussalmi-2016": {
        "original": DATA_DIR / "guideline_2016_fi.json",
        "translations": [DATA_DIR / "guideline_2016_en.json"],
        # The municipal board's meeting that had the guideline as appendix 1: the day it took effect.
        "published_at": datetime.datetime(2016, 1, 26, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki")),
    },
}
DEFAULT_BUNDLED = "suomussalmi-2016"

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A Word file is a zip: what it unpacks to is limited too (a small file can unpack to gigabytes).
MAX_DOCX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_DOCX_ENTRIES = 2000
MAX_SECTIONS = 200
TITLE_MAX = 300
NUMBER_MAX = 10
SLUG_MAX = 90

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^(```|~~~)")
# "3. Palvelujen käyttöönotto", "3 Palvelujen…", "3.1. Tilit": the number and the title.
NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s+(\S.*)$")
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


class ImportRefused(ValidationError):
    """A guideline could not be loaded or imported; the message says why."""


# --- The bundled guideline ------------------------------------------------------------------------------


def _read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _create_published(GuidelineVersion, GuidelineSection, doc, published_at, translation_of=None):
    meta = doc["version"]
    version = GuidelineVersion.objects.create(
        title=meta["title"],
        label=meta["label"],
        language=meta["language"],
        status="published",
        is_translation=bool(meta.get("is_translation")),
        standing=meta.get("standing", "reading_aid" if meta.get("is_translation") else ""),
        translation_of=translation_of,
        approved_by=meta["approved_by"],
        approved_on=datetime.date.fromisoformat(meta["approved_on"]),
        note=meta["note"],
        editorial_notes=meta.get("editorial_notes", []),
        created_at=published_at,
        published_at=published_at,
    )
    # A published version's sections are immutable, and the model's queryset refuses to add any (see
    # guideline.models); the version is published in the same transaction that writes them, from its source.
    QuerySet(model=GuidelineSection).bulk_create(
        GuidelineSection(
            version=version,
            order=order,
            number=section["number"],
            slug=section["slug"],
            title=section["title"],
            title_is_editorial=bool(section.get("title_is_editorial")),
            body=section["body"],
        )
        for order, section in enumerate(doc["sections"], start=1)
    )
    return version


def bundled_version(GuidelineVersion, name=DEFAULT_BUNDLED):
    """The bundled data set's original version if it is in the database, else None."""
    data = BUNDLED[name]
    meta = _read(data["original"])["version"]
    return GuidelineVersion.objects.filter(
        title=meta["title"],
        label=meta["label"],
        language=meta["language"],
        is_translation=False,
        published_at=data["published_at"],
    ).first()


def load_bundled(GuidelineVersion, GuidelineSection, name=DEFAULT_BUNDLED):
    """Load a bundled guideline (the original and its reading aids) as published versions.

    Returns ``(original, created)``: when the data set is there already nothing changes and ``created`` is
    False. Refuses an unknown name, and refuses while another guideline is in force (an organisation that
    has its own guideline imports a new text as a draft instead). Run it inside a transaction.
    """
    if name not in BUNDLED:
        raise ImportRefused(
            _("There is no bundled guideline called “%(name)s”. Choose one of: %(names)s.")
            % {"name": name, "names": ", ".join(sorted(BUNDLED))}
        )
    existing = bundled_version(GuidelineVersion, name)
    if existing is not None:
        return existing, False
    if GuidelineVersion.objects.filter(status="published", is_translation=False).exists():
        raise ImportRefused(
            _(
                "Another guideline is in force already; the bundled one is not loaded over it. "
                "Import a new text as a draft instead."
            )
        )
    data = BUNDLED[name]
    original = _create_published(GuidelineVersion, GuidelineSection, _read(data["original"]), data["published_at"])
    for path in data["translations"]:
        _create_published(
            GuidelineVersion, GuidelineSection, _read(path), data["published_at"], translation_of=original
        )
    return original, True


# --- An organisation's own guideline: Markdown or Word -------------------------------------------------


@dataclasses.dataclass
class ParsedSection:
    number: str
    title: str
    slug: str
    body: str
    title_is_editorial: bool = False


@dataclasses.dataclass
class ParsedGuideline:
    title: str  # the document's own title, when it has one ("" otherwise)
    sections: list


def decode_markdown(data):
    """The text of an uploaded Markdown file (UTF-8, with or without a byte order mark)."""
    if not data or not data.strip():
        raise ImportRefused(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("The file is not readable text: save it as UTF-8 Markdown (.md).")) from error
    if "\x00" in text:
        raise ImportRefused(_("The file is not readable text: save it as UTF-8 Markdown (.md)."))
    return text


def markdown_from_docx(data):
    """Convert a Word file (its bytes) to Markdown with mammoth; refuses anything that is not a readable .docx."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    not_word = _("The file is not a Word document (.docx) or it is damaged. Save it in Word as .docx and try again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            unpacked = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRefused(not_word) from error
    if "word/document.xml" not in names:
        raise ImportRefused(not_word)
    if len(entries) > MAX_DOCX_ENTRIES or unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise ImportRefused(_("The Word file is too large when unpacked; remove its pictures and try again."))
    # Pictures are not part of the guideline's text (the reading page shows none): they are left out unread.
    no_pictures = mammoth.images.img_element(lambda image: {"src": ""})
    try:
        result = mammoth.convert_to_markdown(
            io.BytesIO(data), convert_image=no_pictures, style_map="p[style-name='Title'] => p:fresh"
        )
    except Exception as error:  # mammoth raises whatever its zip and XML readers raise on a damaged file
        raise ImportRefused(not_word) from error
    return _tidy_escapes(IMAGE.sub("", result.value))


def _tidy_escapes(text):
    """mammoth escapes every full stop and bracket (“tilejä\\.”); keep only the escapes Markdown needs.

    A full stop stays escaped only after a number at the start of a line (“1\\.” would start a list);
    brackets, exclamation marks and hyphens only at the start of a line.
    """
    lines = []
    for line in text.split("\n"):
        head = re.match(r"^(\s*(?:#+\s+)?\d*\\?[.)]?\s*)", line).group(1)
        rest = re.sub(r"\\([.()!\-])", r"\1", line[len(head) :])
        lines.append(head + rest)
    return "\n".join(lines)


def _unescape(text):
    return ESCAPED.sub(r"\1", text).strip()


def _headings(lines):
    """(line index, level, text) of each ATX heading outside code fences."""
    found, fenced = [], False
    for index, line in enumerate(lines):
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match and match.group(2).strip():
            # A tab (Word's numbered headings) or another space inside a heading is one space: a title is one line.
            found.append((index, len(match.group(1)), " ".join(_unescape(match.group(2)).split())))
    return found


def _body(lines, level):
    """Lines under a section heading; its subheadings keep their place, one level below the section."""
    from guideline.services import normalise_markdown

    shifted = []
    for line in lines:
        match = HEADING.match(line)
        if match:
            depth = min(6, max(3, len(match.group(1)) - level + 2))
            line = "#" * depth + " " + match.group(2)
        shifted.append(line)
    return normalise_markdown("\n".join(shifted))


def _split_title(heading):
    match = NUMBERED.match(heading)
    if match and len(match.group(1)) <= NUMBER_MAX:
        return match.group(1), match.group(2).strip()
    return "", heading


def sections_from_markdown(text):
    """Split a Markdown text into sections at its headings.

    The sections start at the highest heading level that occurs more than once (or at the only level);
    a single heading above them is the document's title. Lower headings stay in the section's text as
    subheadings. A leading number ("3. Palvelujen käyttöönotto") becomes the section's number. Text before
    the first section becomes an unnumbered part ("Johdanto"), unless it is a single line, which is taken as
    the title. Refuses a text without any heading.
    """
    from guideline.services import normalise_markdown

    text = normalise_markdown(text)
    if not text:
        raise ImportRefused(_("The file is empty."))
    lines = text.split("\n")
    headings = _headings(lines)
    if not headings:
        raise ImportRefused(
            _(
                "The file has no headings, so it cannot be split into sections. Mark each section's title as a "
                "heading (“# 1. Johdanto” in Markdown, the Heading 1 style in Word) and try again."
            )
        )
    levels = sorted({level for _index, level, _text in headings})
    document_title = ""
    level = levels[0]
    top = [h for h in headings if h[1] == level]
    if len(top) == 1 and len(levels) > 1 and top[0] == headings[0]:
        document_title = top[0][2]
        level = levels[1]
        start_line = top[0][0] + 1
    else:
        start_line = 0
    starts = [h for h in headings if h[1] == level and h[0] >= start_line]
    preamble = normalise_markdown("\n".join(lines[start_line : starts[0][0]]))
    sections = []
    if preamble:
        if "\n" not in preamble and not document_title and len(preamble) <= TITLE_MAX:
            document_title = _unescape(preamble)
        else:
            sections.append(ParsedSection("", _("Introduction"), "", _body(preamble.split("\n"), level), True))
    for position, (index, _level, heading) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        number, title = _split_title(heading)
        if len(title) > TITLE_MAX:
            raise ImportRefused(
                _("A heading is longer than %(max)d characters: “%(start)s…”. Is the text marked as a heading?")
                % {"max": TITLE_MAX, "start": title[:60]}
            )
        try:
            single_line(title)
        except ValidationError:
            raise ImportRefused(
                _("A heading holds a control character: “%(start)s…”. Write the heading again on one line.")
                % {"start": "".join(c if c.isprintable() else "?" for c in title[:60])}
            ) from None
        sections.append(ParsedSection(number, title, "", _body(lines[index + 1 : end], level)))
    if len(sections) > MAX_SECTIONS:
        raise ImportRefused(
            _("The file has %(count)d sections; a guideline can have at most %(max)d.")
            % {"count": len(sections), "max": MAX_SECTIONS}
        )
    taken = set()
    for section in sections:
        base = slugify(section.title)[:SLUG_MAX].strip("-") or "osio"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        section.slug = slug
    return ParsedGuideline(document_title[:TITLE_MAX], sections)


def parse_file(data, filename):
    """The guideline in an uploaded file's bytes: ``.docx`` is converted with mammoth, anything else is Markdown."""
    if (filename or "").lower().endswith(".docx"):
        return sections_from_markdown(markdown_from_docx(data))
    return sections_from_markdown(decode_markdown(data))


def create_draft(GuidelineVersion, GuidelineSection, parsed, *, title="", label="", language="fi", actor=None):
    """Store a parsed guideline as the draft; it is based on the version in force, if there is one.

    Refuses while another draft exists (there is one draft at a time). Run it inside a transaction.
    """
    title = (title or "").strip() or parsed.title
    if not title:
        raise ImportRefused(_("Give the guideline a title: the file has none."))
    if len(title) > TITLE_MAX:
        raise ImportRefused(_("The title is longer than %(max)d characters.") % {"max": TITLE_MAX})
    try:
        single_line(title)
    except ValidationError as error:
        raise ImportRefused(error.messages[0]) from None
    if GuidelineVersion.objects.filter(status="draft", is_translation=False).exists():
        raise ImportRefused(_("There is a draft already; edit or publish it first."))
    current = (
        GuidelineVersion.objects.select_for_update()
        .filter(status="published", is_translation=False)
        .order_by("-published_at", "-pk")
        .first()
    )
    draft = GuidelineVersion.objects.create(
        title=title,
        label=(label or "").strip()[:200],
        language=language,
        status="draft",
        based_on=current,
        created_by=actor,
    )
    GuidelineSection.objects.bulk_create(
        GuidelineSection(
            version=draft,
            order=order,
            number=section.number,
            slug=section.slug,
            title=section.title,
            title_is_editorial=section.title_is_editorial,
            body=section.body,
        )
        for order, section in enumerate(parsed.sections, start=1)
    )
    return draft
