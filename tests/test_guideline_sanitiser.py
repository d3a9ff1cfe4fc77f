"""The guideline's Markdown renderer never lets a script reach a browser.

Each payload is rendered and the output is parsed: every tag must be on the allow-list, no attribute
may be an event handler or a style, and every link must be http(s), mailto or relative. A plain
substring check backs the parse up for the obvious forms.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from guideline import services
from guideline.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, render_markdown
from tests.guideline_factories import make_draft

PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script tag, upper case with src": '<SCRIPT SRC="//evil.example/x.js"></SCRIPT>',
    "script split by a nested tag": "<scr<script>ipt>alert(1)</script>",
    "script in angle-bracket soup": "<<script>script>alert(1)<</script>/script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror with entity-encoded code": '<img src="x" onerror="&#97;lert(1)">',
    "on* handler on an allowed tag": '<p onclick="alert(1)">klikkaa</p>',
    "onmouseover on a div": '<div onmouseover="alert(1)">x</div>',
    "details ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "input autofocus onfocus": "<input autofocus onfocus=alert(1)>",
    "body onload": "<body onload=alert(1)>",
    "html javascript: link": '<a href="javascript:alert(1)">x</a>',
    "markdown javascript: link": "[x](javascript:alert(1))",
    "markdown javascript: link, mixed case": "[x](JaVaScRiPt:alert(1))",
    "markdown link, leading space": "[x]( javascript:alert(1))",
    "entity-encoded javascript: in markdown": "[x](&#106;avascript:alert(1))",
    "hex-entity-encoded javascript: in html": (
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>'
    ),
    "tab inside javascript:": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "newline inside javascript:": '<a href="java\nscript:alert(1)">x</a>',
    "vbscript: link": '<a href="vbscript:msgbox(1)">x</a>',
    "data: html link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "markdown data: link": "[x](data:text/html,<script>alert(1)</script>)",
    "markdown image with javascript:": "![x](javascript:alert(1))",
    "markdown image with data:": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "autolink javascript:": "<javascript:alert(1)>",
    "svg onload": "<svg onload=alert(1)>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "svg animate href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "math mutation (mXSS)": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math href": '<math href="javascript:alert(1)">x</math>',
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="data:text/html,<script>alert(1)</script>">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "link stylesheet": '<link rel="stylesheet" href="//evil.example/x.css">',
    "form action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    "template with script": "<template><script>alert(1)</script></template>",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "html comment breakout": "<!--<img src=x onerror=alert(1)>-->",
    "title attribute breakout": '<a href="https://x.example" title="&quot;><script>alert(1)</script>">x</a>',
}

SAFE_SCHEMES = ALLOWED_URL_SCHEMES | {""}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        for name, value in attrs:
            if name not in allowed or name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href":
                cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if urlsplit(cleaned).scheme not in SAFE_SCHEMES:
                    self.problems.append(f"href {value!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("comment")


def test_the_table_has_at_least_fifteen_forms():
    assert len(PAYLOADS) >= 15


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_script_survives_rendering(payload):
    rendered = str(render_markdown(f"Ennen.\n\n{payload}\n\nJälkeen."))
    inspector = _Inspector()
    inspector.feed(rendered)
    assert not inspector.problems, (rendered, inspector.problems)
    decoded = html.unescape(rendered).lower()
    # Text content may mention words like "alert", but never as markup a browser would run.
    assert "<script" not in rendered.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", rendered, re.IGNORECASE)
    assert not re.search(r'href="\s*(javascript|vbscript|data):', decoded)
    assert "Ennen." in rendered  # the text before the payload is kept


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("**lihava** ja *kursiivi*", "<strong>lihava</strong> ja <em>kursiivi</em>"),
        ("- yksi\n- kaksi", "<li>yksi</li>"),
        ("### Facebook", "<h3>Facebook</h3>"),
        ("# Liian iso", "<h3>Liian iso</h3>"),  # headings start below the section title
        ("[kunta](https://www.suomussalmi.fi/)", '<a href="https://www.suomussalmi.fi/" rel="noopener noreferrer">'),
        ("[posti](mailto:kirjaamo@suomussalmi.invalid)", 'href="mailto:kirjaamo@suomussalmi.invalid"'),
        ("`<script>`", "<code>&lt;script&gt;</code>"),
    ],
)
def test_ordinary_markdown_still_works(markdown, expected):
    assert expected in str(render_markdown(markdown))


FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "meta", "base", "img", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc"}


class _PageInspector(HTMLParser):
    """Every element of a page's main content: no forbidden element, handler, style or unsafe URL."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{name} on <{tag}>")
            if name in URL_ATTRIBUTES:
                cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if urlsplit(cleaned).scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def _assert_no_runnable_markup(page):
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    inspector = _PageInspector()
    inspector.feed("<main" + main)
    assert not inspector.problems, inspector.problems


@pytest.mark.django_db
def test_a_script_saved_in_a_section_never_reaches_a_page(client_for, org):
    ict = org.users["ict_secretary"]
    payload = "Teksti.\n\n" + "\n\n".join(PAYLOADS.values())
    draft = make_draft(ict, {"palvelujen-kayttoonotto": payload})
    client = client_for("ict_secretary")
    _assert_no_runnable_markup(client.get(reverse("guideline_draft_preview", args=[draft.pk])).text)
    _assert_no_runnable_markup(client.get(reverse("guideline_draft_changes", args=[draft.pk])).text)
    services.publish_version(
        ict, draft, title=draft.title, label="XSS", approved_by="Kunnanhallitus", approved_on=None, note="Testi."
    )
    _assert_no_runnable_markup(client_for("anonymous").get(reverse("guideline")).text)
