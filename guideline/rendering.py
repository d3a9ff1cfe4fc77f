"""Markdown to safe HTML for the guideline's text.

The text is written in the portal by the ICT secretary, so it is treated as untrusted: python-markdown
turns it into HTML (raw HTML in the text passes through it), then nh3 (ammonia) keeps only the few tags
and attributes a guideline needs and only http(s) and mailto links. No script, event handler, style,
frame, object, form, image or data:/javascript: URL reaches a browser. Headings in the text start at
level 3, below the section title (h2) and the page title (h1), whatever the author typed.
"""

import markdown
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose content is dropped with them, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
TOP_HEADING_LEVEL = 3


class _HeadingsBelowSection(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2"}:
                element.tag = f"h{TOP_HEADING_LEVEL}"


class _HeadingsBelowSectionExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingsBelowSection(md), "somegov_headings", 5)


def sanitise_html(html):
    """Keep only the allow-listed tags, attributes and URL schemes (returns a plain string)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text):
    """Markdown source -> sanitised HTML, safe to put in a template."""
    html = markdown.markdown(
        text or "", extensions=["sane_lists", _HeadingsBelowSectionExtension()], output_format="html"
    )
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 just above
