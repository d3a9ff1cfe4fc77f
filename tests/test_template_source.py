"""Template source habits that Django would not report: a comment it would print to the visitor."""

from pathlib import Path

import pytest
from django.conf import settings

ROOTS = [
    Path(settings.BASE_DIR) / "templates",
    *(Path(settings.BASE_DIR) / app / "templates" for app in ("channels", "approvals", "somegov")),
]
TEMPLATES = sorted(
    path for root in ROOTS if root.exists() for path in root.rglob("*") if path.suffix in {".html", ".txt"}
)


def test_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_comment_spans_lines(path):
    # Django's {# ... #} ends at the line's end; a longer one is shown on the page as text. Use {% comment %}.
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        rest = line
        while "{#" in rest:
            rest = rest[rest.index("{#") + 2 :]
            assert "#}" in rest, f"line {number}: a {{# comment #}} must close on the same line"
            rest = rest[rest.index("#}") + 2 :]
