"""Following every link of the portal from the home page, as a logged-in user or a visitor (the crawl tests)."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

LINK = re.compile(r'(?:href|action)="([^"#]*)')
SKIP = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/oidc/")
FORBIDDEN = re.compile(r"suomussalm", re.IGNORECASE)
MAX_PAGES = 400


def crawl(client):
    """Every page reachable by GET from the home page: ``{path: response}``."""
    seen, queue, pages = set(), ["/"], {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages[path] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            target = urlsplit(urljoin(path, unescape(link)))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(SKIP):
                continue
            queue.append(target.path)
    return pages


def assert_names_no_suomussalmi(pages, who):
    """No page of ``pages`` (``crawl``'s answer) contains "Suomussalmi" in any form."""
    for path, response in pages.items():
        body = response.content.decode(errors="replace")
        found = FORBIDDEN.search(body)
        assert not found, f"{path} ({who}) names Suomussalmi: …{body[found.start() - 80 : found.end() + 40]}…"
