"""The bad-input campaign's shared parts: the discovery of forms and URLs, the hostile values, and the checks.

Every form and every URL of the project is tried with hostile input, by ``test_bad_input_forms`` and
``test_bad_input_urls``; ``test_bad_input_known_attacks`` tries specific ones (forged POSTs, a huge
username, redirects off the site, paths to system files). Discovery is automatic, so forms and pages that
other features add are covered without a change there:

- forms: every ``Form`` class defined in a forms module (``forms.py``, ``*_forms.py``, a ``forms``
  package) of the project's apps, plus the forms of the views our URLs use (Django's log-in and
  password change);
- URLs: every named URL pattern but the admin's, with its arguments, role and valid POST body taken
  from the permission matrix (``tests/matrix/``), and the field names of the forms the page shows.

They get random Unicode, 1 MB strings, NUL bytes, wrong types and lists where one value is expected,
with hypothesis (a bounded number of examples) and a fixed list of nasty values. Each answer must be
2xx/3xx/4xx, never a 500; input that is refused changes no row (the use logs, sessions and lockout
counters aside, which record the attempt on purpose); a redirect never leaves the site; no answer
shows a system file. Forged POSTs without a CSRF token are refused on every URL with a Finnish page.
"""

import ast
import dataclasses
import importlib
import inspect
import pkgutil
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from django import forms as django_forms
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.matrix import all_rows

PROJECT_APPS = ("core", "channels", "guideline", "approvals", "somegov")

# Written on purpose for every attempt, refused or not: the use log (906/2019 §17), sessions and
# django-axes' failure counters. Everything else must stay as it was when input is refused.
LOG_TABLES = ("sessions", "axes", "core.auditevent")

HUGE = "x" * 1_000_000  # 1 MB
HUGE_UNICODE = "ä€😊" * 110_000  # about 1 MB of multi-byte UTF-8
NASTY = [
    "",
    " ",
    "\x00",
    "nul\x00byte",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "2026-02-30",
    "31.2.2026",
    "true",
    "null",
    "[]",
    '{"a": 1}',
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\u202eevil\u202c",
    "\ufeff",
    "😊" * 50,
]
# Surrogates cannot travel in UTF-8, so no client can send them; everything else can.
SENDABLE = st.characters(exclude_categories=("Cs",))
SCALARS = st.one_of(
    st.text(SENDABLE, max_size=300),
    st.sampled_from([*NASTY, HUGE]),
    st.integers().map(str),
    st.floats().map(repr),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))
SYSTEM_FILE_MARKERS = (b"root:x:0:0", b"root:*:0:0", b"[boot loader]", b"[fonts]")

CAMPAIGN = settings(
    deadline=None,
    database=None,  # nothing written into the work tree; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Discovery ------------------------------------------------------------------------------


def _is_forms_module(name):
    last = name.rsplit(".", 1)[-1]
    return last == "forms" or last.endswith("_forms") or ".forms." in name


def _concrete(form_class):
    if issubclass(form_class, django_forms.BaseModelForm):
        return form_class._meta.model is not None
    return True


def discover_form_classes(packages=PROJECT_APPS):
    """Every form class defined in a forms module of ``packages``, by dotted name."""
    found = {}
    for package_name in packages:
        package = importlib.import_module(package_name)
        names = [package_name] + [info.name for info in pkgutil.walk_packages(package.__path__, f"{package_name}.")]
        for module_name in names:
            if not _is_forms_module(module_name):
                continue
            module = importlib.import_module(module_name)
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and issubclass(obj, django_forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and _concrete(obj)
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def url_patterns(resolver=None, namespace=""):
    """(name, pattern) for every named URL pattern of the project, the admin aside."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_form_classes():
    """The form classes of the class-based views our URLs use (Django's log-in, password change...)."""
    found = {}
    for _name, pattern in url_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        form_class = getattr(pattern.callback, "view_initkwargs", {}).get("form_class") or getattr(
            view_class, "form_class", None
        )
        if form_class is not None:
            found[f"{form_class.__module__}.{form_class.__qualname__}"] = form_class
    return found


# --- Views that read request.POST or request.FILES themselves --------------------------------


@dataclasses.dataclass
class PostReader:
    """A function of the project's source that touches ``request.POST`` or ``request.FILES``."""

    path: str  # dotted: module.function (or module.Class.method)
    keys: set = dataclasses.field(default_factory=set)  # literal keys it reads one by one
    dynamic: list = dataclasses.field(default_factory=list)  # line numbers of keys that are not literals
    files: bool = False  # it reads uploads


def _is_request_data(node):
    """``request.POST``/``request.FILES`` or ``self.request.POST``/``...FILES``."""
    if not (isinstance(node, ast.Attribute) and node.attr in ("POST", "FILES")):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "request") or (
        isinstance(owner, ast.Attribute) and owner.attr == "request"
    )


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _scan_function(path, function):
    reader = None
    parents = {}
    for parent in ast.walk(function):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    for node in ast.walk(function):
        if not _is_request_data(node):
            continue
        reader = reader or PostReader(path)
        reader.files = reader.files or node.attr == "FILES"
        parent = parents.get(node)
        key = None
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = parent.slice
        elif isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in ("get", "getlist", "pop"):
            call = parents.get(parent)
            key = call.args[0] if isinstance(call, ast.Call) and call.args else parent
        elif isinstance(parent, ast.Compare) and node in parent.comparators:
            key = parent.left  # "name" in request.POST
        if key is None:
            continue  # the whole of request.POST or .FILES, handed to a form
        literal = _literal(key)
        if literal is None:
            reader.dynamic.append(node.lineno)
        else:
            reader.keys.add(literal)
    return reader


CALLERS = defaultdict(set)  # module.function -> the functions of the same module that call it


def scan_post_readers(packages=PROJECT_APPS):
    """Every function in the source of ``packages`` that reads ``request.POST`` or ``request.FILES``, by dotted
    name: found by reading the source, so a new view is found whether or not anyone remembered it."""
    found = {}
    for package_name in packages:
        root = Path(importlib.import_module(package_name).__path__[0])
        for file in sorted(root.rglob("*.py")):
            relative = file.relative_to(root).with_suffix("")
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            module = ".".join((package_name, *relative.parts)).removesuffix(".__init__")
            tree = ast.parse(file.read_text(encoding="utf-8"))
            for node in tree.body:
                functions = [(node.name, node)] if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else []
                if isinstance(node, ast.ClassDef):
                    functions = [
                        (f"{node.name}.{item.name}", item)
                        for item in node.body
                        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    ]
                for name, function in functions:
                    reader = _scan_function(f"{module}.{name}", function)
                    if reader is not None:
                        found[reader.path] = reader
                    called = {
                        n.func.id
                        for n in ast.walk(function)
                        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                    }
                    for callee in called:
                        CALLERS[f"{module}.{callee}"].add(f"{module}.{name}")
    return found


def view_paths_by_url():
    """``{dotted function path: [URL names]}`` of the views (and the methods of class-based views) our URLs use."""
    found = defaultdict(list)
    for name, pattern in url_patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None:
            for klass in inspect.getmro(view_class):
                if klass.__module__.split(".")[0] in PROJECT_APPS:
                    for attribute in vars(klass):
                        found[f"{klass.__module__}.{klass.__qualname__}.{attribute}"].append(name)
            continue
        function = inspect.unwrap(pattern.callback)
        found[f"{function.__module__}.{function.__qualname__}"].append(name)
    return found


# Functions that read request.POST but are no view of ours: each says where the campaign reaches it instead.
NOT_VIEWS = {
    "somegov.lockout.lockout_username": "django-axes' username callable: every log-in attempt (the login URL) runs it",
    "channels.admin._reason_action": "admin actions with a reason (a ReasonForm): the admin is outside the campaign",
}

FORMS = {**discover_form_classes(), **url_form_classes()}
URL_NAMES = sorted({name for name, _pattern in url_patterns()})
POST_READERS = scan_post_readers()
VIEW_PATHS = view_paths_by_url()


def urls_of(path, seen=()):
    """The URL names that reach the function ``path``: its own, or those of the views of its module calling it
    (a helper such as ``_draft_forms``)."""
    if path in VIEW_PATHS:
        return set(VIEW_PATHS[path])
    urls = set()
    for caller in CALLERS.get(path, ()):
        if caller not in seen:
            urls |= urls_of(caller, (*seen, path))
    return urls


VIEWS_BY_URL = defaultdict(list)  # URL name -> the PostReaders of its views (and of the helpers they call)
for _reader in POST_READERS.values():
    for _url in urls_of(_reader.path):
        VIEWS_BY_URL[_url].append(_reader)
# The keys each URL's views read one by one: the URL campaign attacks them as well as the page's form fields.
POST_KEYS_BY_URL = {
    url: sorted(set().union(*(reader.keys for reader in readers))) for url, readers in VIEWS_BY_URL.items()
}
# The URLs whose views take uploads: each gets every malformed file (tests/malformed_files.py).
UPLOAD_URLS = sorted(url for url, readers in VIEWS_BY_URL.items() if any(reader.files for reader in readers))
ROWS_BY_NAME = defaultdict(list)
for _row in all_rows():
    ROWS_BY_NAME[_row.name].append(_row)


# --- The role and matrix row a URL is tried with -------------------------------------------

PREFERRED_ROLES = ["ict_secretary", "municipal_manager", "area_head", "supervisor", "staff", "outsider", "anonymous"]


def pick_row(name, method):
    """The matrix row and the role that gets furthest into the view (2xx/3xx), for its args and body."""
    rows = ROWS_BY_NAME[name]
    same_method = [row for row in rows if row.method == method] or rows
    for row in same_method:
        for role in PREFERRED_ROLES:  # logged-in roles first: anonymous users are mostly sent to log in
            if 200 <= row.expect[role] < 400:
                return row, role
    return same_method[0], "ict_secretary"


# --- Checks ---------------------------------------------------------------------------------


class Undo(Exception):
    """Raised to roll an example back, so each starts from the same data."""


def row_counts():
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.app_label in LOG_TABLES or meta.label_lower in LOG_TABLES:
            continue
        counts[meta.label] = model._base_manager.count()
    return counts


def response_body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_same_site(location):
    parts = urlsplit(location)
    assert parts.netloc in ("", "testserver"), f"redirect off the site: {location!r}"
    assert parts.scheme in ("", "http", "https"), f"redirect to another scheme: {location!r}"
    assert not location.startswith(("//", "/\\", "\\")), f"protocol-relative redirect: {location!r}"
