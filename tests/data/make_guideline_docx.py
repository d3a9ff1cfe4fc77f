"""Writes tests/data/guideline_example.docx, the small Word file the guideline import tests read.

A .docx is a zip of XML parts; this writes the four a Word document needs, by hand, with the standard
library only (python-docx is not a dependency): the content types, the package relationship, the styles
(Title, Heading 1, Heading 2 as Word names them) and the document. Run it again after changing PARAGRAPHS:

    .venv/bin/python tests/data/make_guideline_docx.py

The file is committed; tests/test_guideline_loading.py checks that it is what this script writes.
"""

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

TARGET = Path(__file__).resolve().parent / "guideline_example.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# (style, text, bold): the example guideline of an invented town, in Finnish.
PARAGRAPHS = [
    ("Title", "Esimerkkilän kaupungin sosiaalisen median ohje", False),
    ("Heading1", "1. Johdanto", False),
    (None, "Tämä ohje koskee kaupungin virallisia tilejä.", False),
    (None, "Tärkeää", True),
    ("Heading1", "2. Palvelujen käyttöönotto", False),
    ("Heading2", "Hyväksyntä", False),
    (None, "Uuden tilin hyväksyy esihenkilö.", False),
    ("Heading1", "Lähteet", False),
    (None, "Kuntaliiton ohjeet.", False),
]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
    + "".join(
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/></w:style>'
        for style_id, name in [("Title", "Title"), ("Heading1", "heading 1"), ("Heading2", "heading 2")]
    )
    + "</w:styles>"
)


def paragraph(style, text, bold):
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    run_properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{properties}<w:r>{run_properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_bytes(paragraphs=PARAGRAPHS):
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
        + "".join(paragraph(*p) for p in paragraphs)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed timestamp, so the bytes are the same on every run.
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/styles.xml", STYLES),
            ("word/document.xml", document),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(docx_bytes())
    sys.stdout.write(f"wrote {TARGET}\n")
