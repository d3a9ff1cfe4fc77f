"""Malformed spreadsheets for the bad-input tests, made here rather than kept as binary fixtures.

An XLSX file is a zip of XML parts. ``workbook()`` writes a valid minimal one (a header row, and a row with a
shared string, a number and a date cell); each entry of ``MALFORMED_XLSX`` breaks one part of it, as a damaged
or hand-made file would be. ``MALFORMED_CSV`` holds the CSV files an import page must refuse or read without a
server error.
"""

import io
import zipfile

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Kanavat" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

WORKBOOK_WITHOUT_SHEETS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets/>
</workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

# Style 1 is a date (the built-in number format 14), so a number in a cell of style 1 is read as a date.
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

SHARED_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>Yksikkö</t></si><si><t>Tyyppi</t></si><si><t>Ylempi yksikkö</t></si><si><t>Kunta</t></si>
</sst>"""

HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
GOOD_CELLS = '<c r="A2" t="s"><v>3</v></c><c r="B2"><v>42</v></c><c r="C2" s="1"><v>46000</v></c>'


def sheet(cells=GOOD_CELLS):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{HEADER_ROW}<row r="2">{cells}</row></sheetData></worksheet>'
    )


def workbook(**replaced):
    """A minimal XLSX file's bytes; ``replaced`` gives other text for a part (``sheet``, ``workbook``...)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": replaced.get("workbook", WORKBOOK),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": replaced.get("shared_strings", SHARED_STRINGS),
        "xl/worksheets/sheet1.xml": replaced.get("sheet", sheet()),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8") if isinstance(text, str) else text)
    return buffer.getvalue()


MALFORMED_XLSX = {
    "truncated sheet XML": workbook(sheet=sheet()[: len(sheet()) // 2 + 40]),
    "badly formed XML": workbook(sheet=sheet().replace("</row>", "</rw>", 1)),
    "a date cell holding not-a-date": workbook(sheet=sheet('<c r="A2" s="1"><v>not-a-date</v></c>')),
    "a date cell of type d holding not-a-date": workbook(sheet=sheet('<c r="A2" t="d"><v>not-a-date</v></c>')),
    "a number cell holding abc": workbook(sheet=sheet('<c r="A2" t="n"><v>abc</v></c>')),
    "a shared-string index that does not exist": workbook(sheet=sheet('<c r="A2" t="s"><v>99</v></c>')),
    "a shared-string index that is not a number": workbook(sheet=sheet('<c r="A2" t="s"><v>x</v></c>')),
    "a workbook with no sheets": workbook(workbook=WORKBOOK_WITHOUT_SHEETS),
    "badly formed shared strings": workbook(shared_strings=SHARED_STRINGS[:200]),
    "an XML bomb of entities": workbook(
        sheet='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>'
    ),
}

MALFORMED_CSV = {
    "wrong encoding (UTF-16)": "Yksikkö;Tyyppi\nKunta;kunta\n".encode("utf-16"),
    "NUL bytes": b"Yksikk\xc3\xb6;Tyyppi\nKun\x00ta;kunta\n",
    "a binary file named .csv": bytes(range(256)) * 8,
    "an enormous single line": b"Yksikk\xc3\xb6;" + b"x" * (1024 * 1024) + b"\n",
    "an enormous single field in quotes": b'Yksikk\xc3\xb6;Tyyppi\n"' + b"x" * 200_000 + b'";kunta\n',
    "an unclosed quote": b'Yksikk\xc3\xb6;Tyyppi\n"Kunta;kunta\n',
    "mixed delimiters": b"Yksikk\xc3\xb6;Tyyppi,Ylempi yksikk\xc3\xb6\tx\nKunta,kunta;\tx;y,z\n",
}

NUL_TEXT = "nul\x00byte"


def malformed_uploads():
    """``(label, file name, bytes)`` of every malformed file, XLSX and CSV."""
    return [(label, "tiedosto.xlsx", raw) for label, raw in MALFORMED_XLSX.items()] + [
        (label, "tiedosto.csv", raw) for label, raw in MALFORMED_CSV.items()
    ]


def names_to_try(file_name, field=None):
    """``file_name``, and the same file under each extension the file field says it accepts (``.docx``, ``.md``...)
    so that a reader is reached that trusts the name."""
    accept = field.widget.attrs.get("accept", "") if field is not None else ""
    stem = file_name.rsplit(".", 1)[0]
    extensions = [part.strip() for part in accept.split(",") if part.strip().startswith(".")]
    if any(part.strip() in ("image/png", "image/webp") for part in accept.split(",")):
        extensions += [".png", ".webp"]
    return list(dict.fromkeys([file_name, *(stem + extension for extension in extensions)]))
