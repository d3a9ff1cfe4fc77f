"""The bad-input campaign: every form and every URL of the project against hostile input.

Discovery is automatic, so forms and pages that other features add are covered without a change here:

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

import importlib
import inspect
import io
import pkgutil
from collections import defaultdict
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.messages import constants as message_levels
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somegov import demo
from tests.factories import PASSWORD
from tests.matrix import ROLE_KEYS, all_rows

PROJECT_APPS = ("somegov", "channels", "approvals")

# Written on purpose for every attempt, refused or not: the use log (906/2019 §17), sessions and
# django-axes' failure counters. Everything else must stay as it was when input is refused.
LOG_TABLES = ("sessions", "axes", "somegov.auditevent")

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
GENERIC_GET_NAMES = ["q", "page", "sort", "status", "unit", "platform", "next", "format", "file", "path", "id"]
GENERIC_POST_NAMES = ["next", "reason", "id"]
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


FORMS = {**discover_form_classes(), **url_form_classes()}
URL_NAMES = sorted({name for name, _pattern in url_patterns()})
ROWS_BY_NAME = defaultdict(list)
for _row in all_rows():
    ROWS_BY_NAME[_row.name].append(_row)
URL_CASES = [(name, method) for name in URL_NAMES for method in ("GET", "POST")]
# A bounded campaign whatever the number of pages: about 600 random requests in all.
EXAMPLES_PER_URL = max(4, min(12, 600 // max(1, len(URL_CASES))))


def test_discovery_finds_forms_and_urls():
    """The campaign must never test nothing silently."""
    assert FORMS, "discovery found no form classes"
    assert "django.contrib.auth.forms.AuthenticationForm" in FORMS
    assert "django.contrib.auth.forms.PasswordChangeForm" in FORMS
    assert {"home", "login", "logout", "password_change"} <= set(URL_NAMES)
    missing = [name for name in URL_NAMES if not ROWS_BY_NAME[name]]
    assert not missing, f"URL patterns without permission matrix rows (needed for their arguments): {missing}"


def test_discovery_walks_forms_modules_and_only_those():
    found = discover_form_classes(("tests.discovery_sample",))
    assert set(found) == {
        "tests.discovery_sample.forms.SampleForm",
        "tests.discovery_sample.contact_forms.ContactForm",
    }


# --- Helpers --------------------------------------------------------------------------------


class _Undo(Exception):
    """Raised to roll an example back, so each starts from the same data."""


def _row_counts():
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.app_label in LOG_TABLES or meta.label_lower in LOG_TABLES:
            continue
        counts[meta.label] = model._base_manager.count()
    return counts


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _forms_in(response):
    context = getattr(response, "context", None)
    if context is None:
        return []
    found = []
    for ctx in context if isinstance(context, list) else [context]:
        for value in ctx.flatten().values():
            if isinstance(value, django_forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found


def _field_names(form):
    names = []
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, django_forms.MultiWidget):
            names += [f"{bound.html_name}{suffix}" for suffix in widget.widgets_names]
        else:
            names.append(bound.html_name)
    return names


def assert_same_site(location):
    parts = urlsplit(location)
    assert parts.netloc in ("", "testserver"), f"redirect off the site: {location!r}"
    assert parts.scheme in ("", "http", "https"), f"redirect to another scheme: {location!r}"
    assert not location.startswith(("//", "/\\", "\\")), f"protocol-relative redirect: {location!r}"


def assert_handled(response, method, counts_before):
    """The checks every answer to hostile input must pass."""
    status = response.status_code
    assert status < 500, f"{method} got {status}"
    body = _body(response)
    assert not any(marker in body for marker in SYSTEM_FILE_MARKERS), "a system file was shown"
    if 300 <= status < 400:
        assert_same_site(response["Location"])
    if status >= 400 and status != 405:  # 405 says it all in its Allow header
        assert body.strip(), f"{status} without a message"
    refused = method == "GET" or status >= 400 or status == 200
    if refused:
        assert _row_counts() == counts_before, f"{method} answered {status} but changed the data"
    if method == "POST" and status == 200:
        shown = _forms_in(response)
        context = getattr(response, "context", None)
        messages = list(context.get("messages", [])) if context is not None else []
        if shown:
            assert any(form.errors for form in shown) or any(m.level >= message_levels.WARNING for m in messages), (
                "a refused form came back without saying what is wrong"
            )


# --- Forms ----------------------------------------------------------------------------------


def _request_for(user):
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


def _constructor_kwargs(form_class, user):
    """Arguments a form's constructor needs: the user, the request, or a row of the model it names."""
    kwargs = {}
    for param in list(inspect.signature(form_class.__init__).parameters.values())[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or param.name in ("data", "files"):
            continue
        required = param.default is param.empty
        if param.name in ("user", "actor", "request_user"):
            kwargs[param.name] = user
        elif param.name == "request":
            kwargs[param.name] = _request_for(user)
        elif required:
            model = next((m for m in apps.get_models() if m._meta.model_name == param.name.replace("_", "")), None)
            instance = model._base_manager.first() if model else None
            assert instance is not None, (
                f"{form_class.__qualname__}({param.name}=...) cannot be built for the bad-input campaign: "
                f"add a {param.name} to the demo data (somegov/demo.py load_all)"
            )
            kwargs[param.name] = instance
    return kwargs


def _form_data(form, values):
    data, files = QueryDict(mutable=True), {}
    for name, bound in form.fields.items():
        key = form.add_prefix(name)
        value = values.get(name, "")
        if isinstance(bound, django_forms.FileField):
            files[key] = SimpleUploadedFile("../../etc/passwd", str(value).encode("utf-8", "replace")[:2000])
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data, files


def _check_form(form_class, user, values):
    counts_before = _row_counts()
    form = form_class(**_constructor_kwargs(form_class, user))
    data, files = _form_data(form, values)
    bound = form_class(data=data, files=files, **_constructor_kwargs(form_class, user))
    if not bound.is_valid():
        for field, messages in bound.errors.items():
            assert all(str(message).strip() for message in messages), f"an empty error message for {field}"
    assert _row_counts() == counts_before, "validating a form changed the data"


@pytest.fixture(scope="class")
def _demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the form tests of a class (load_all takes seconds) and rolled back after
    them: each test runs in a savepoint inside this transaction, so none sees another's rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_user(_demo_data, db):
    return get_user_model().objects.get(username="ict-sihteeri")


class TestForms:
    """Every form class against hostile values, on the demo data."""

    @pytest.mark.parametrize("form_path", sorted(FORMS))
    def test_forms_survive_nasty_values(self, form_path, demo_user):
        form_class = FORMS[form_path]
        names = list(form_class(**_constructor_kwargs(form_class, demo_user)).fields)
        for nasty in [*NASTY, HUGE, HUGE_UNICODE, ["1", "2", "\x00"]]:
            _check_form(form_class, demo_user, dict.fromkeys(names, nasty))
        for name in names:  # one huge field among empty ones
            _check_form(form_class, demo_user, {name: HUGE})

    @pytest.mark.parametrize("form_path", sorted(FORMS))
    @settings(CAMPAIGN, max_examples=25)
    @given(data=st.data())
    def test_forms_survive_random_values(self, form_path, demo_user, data):
        form_class = FORMS[form_path]
        names = list(form_class(**_constructor_kwargs(form_class, demo_user)).fields)
        values = data.draw(st.fixed_dictionaries(dict.fromkeys(names, VALUES)), label="values")
        try:
            with transaction.atomic():
                _check_form(form_class, demo_user, values)
                raise _Undo
        except _Undo:
            pass


# --- URLs -----------------------------------------------------------------------------------

PREFERRED_ROLES = ["ict_secretary", "municipal_manager", "area_head", "supervisor", "staff", "outsider", "anonymous"]


def _pick(name, method):
    """The matrix row and the role that gets furthest into the view (2xx/3xx), for its args and body."""
    rows = ROWS_BY_NAME[name]
    same_method = [row for row in rows if row.method == method] or rows
    for row in same_method:
        for role in PREFERRED_ROLES:  # logged-in roles first: anonymous users are mostly sent to log in
            if 200 <= row.expect[role] < 400:
                return row, role
    return same_method[0], "ict_secretary"


class UrlCase:
    """One URL and method, set up for a role: the URL, a valid base body and the field names to attack."""

    def __init__(self, name, method, org, client):
        self.method = method
        row, role = _pick(name, method)
        self.user = None if role == "anonymous" else org.users[role]
        self.client = client
        self.url = reverse(name, args=row.args(org) if row.args else None)
        self.base = {}
        if method == "POST" and row.data and row.method == "POST":
            self.base = dict(row.data(org))
        if method == "GET":
            self.base = dict(parse_qsl(row.query.lstrip("?")))
        self.login()
        page = client.get(self.url)
        names = list(self.base)
        for form in _forms_in(page):
            names += _field_names(form)
        names += GENERIC_GET_NAMES if method == "GET" else GENERIC_POST_NAMES
        self.names = list(dict.fromkeys(names))  # the page's own fields first

    def login(self):
        self.client.logout()
        if self.user is not None:
            self.client.force_login(self.user)

    def payload(self, values):
        body = dict(self.base)
        for name, value in values.items():
            if isinstance(body.get(name), io.IOBase | SimpleUploadedFile):
                body[name] = SimpleUploadedFile("../../../etc/passwd", str(value).encode("utf-8", "replace")[:5000])
            else:
                body[name] = value
        for value in body.values():  # an upload is read when sent: rewind it for the next attack
            if isinstance(value, io.IOBase):
                value.seek(0)
        return body

    def send(self, values):
        """Send one attack inside a savepoint that is always rolled back; returns nothing, raises on failure."""
        try:
            with transaction.atomic():
                self.login()
                counts_before = _row_counts()
                payload = self.payload(values)
                if self.method == "GET":
                    response = self.client.get(self.url, payload)
                else:
                    response = self.client.post(self.url, payload)
                assert_handled(response, self.method, counts_before)
                raise _Undo
        except _Undo:
            pass


def _case_id(case):
    return f"{case[0]}-{case[1]}"


@pytest.fixture
def url_case(request, org, client):
    return UrlCase(*request.node.callspec.params["case"], org, client)


def nasty_attacks(names, method):
    """A fixed, short set of attacks on the fields ``names``: each is one request."""
    wrong_types = ["-1", "1e309", "NaN", "9" * 40, "2026-02-30", "true", "[]", '{"a": 1}', "0"]
    attacks = [
        dict.fromkeys(names, "nul\x00byte"),
        dict.fromkeys(names, "\x00"),
        {name: ["1", "2", "\x00"] for name in names},  # several values where one is expected
        {name: wrong_types[i % len(wrong_types)] for i, name in enumerate(names)},
        {name: wrong_types[(i + 4) % len(wrong_types)] for i, name in enumerate(names)},
        dict.fromkeys(names, "../../etc/passwd"),
        dict.fromkeys(names, "//evil.example"),
        dict.fromkeys(names, "\u202eevil\u202c 😊\ufeff <script>alert(1)</script>"),
        dict.fromkeys(names, ""),
    ]
    if method == "POST":
        attacks.append(dict.fromkeys(names, HUGE_UNICODE))  # far over the upload limit in all
    # A 1 MB value in one field, the others valid (or at least filled, so the form gets that far).
    attacks += [{other: HUGE if other == name else "a" for other in names} for name in names[:2]]
    return attacks


@pytest.mark.parametrize("case", URL_CASES, ids=_case_id)
def test_urls_survive_nasty_values(case, url_case):
    for attack in nasty_attacks(url_case.names, url_case.method):
        url_case.send(attack)


@pytest.mark.parametrize("case", URL_CASES, ids=_case_id)
@settings(CAMPAIGN, max_examples=EXAMPLES_PER_URL)
@given(data=st.data())
def test_urls_survive_random_values(case, url_case, data):
    attacked = data.draw(st.lists(st.sampled_from(url_case.names), min_size=1, unique=True), label="fields")
    extra = data.draw(st.lists(st.text(SENDABLE, min_size=1, max_size=20), max_size=2), label="extra fields")
    values = data.draw(st.fixed_dictionaries(dict.fromkeys([*attacked, *extra], VALUES)), label="values")
    url_case.send(values)


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "ict_secretary"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_forged_posts_without_csrf_are_refused_in_finnish(name, role, org):
    row, _role = _pick(name, "POST")
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(org.users[role])
    url = reverse(name, args=row.args(org) if row.args else None)
    data = dict(row.data(org)) if row.data and row.method == "POST" else {"next": "/"}
    counts_before = _row_counts()
    for forged in ({}, {"csrfmiddlewaretoken": "forged" * 8}):
        response = client.post(url, {**data, **forged}, HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403, f"POST {url} as {role} without a valid CSRF token: {response.status_code}"
        text = response.content.decode()
        assert "Lomaketta ei voitu lähettää" in text and "Mitään ei tallennettu" in text
        assert "CSRF" not in text  # the technical reason is for the log, not for people
    assert _row_counts() == counts_before


@pytest.mark.parametrize("username", ["x" * 256, HUGE, "ä" * 300])
def test_a_very_long_username_gets_the_normal_refusal(client, org, username):
    # Regression: django-axes stored the username typed into a 255-character column, and
    # PostgreSQL answered a long one with a 500.
    for _ in range(6):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code in (200, 429)
    assert response.status_code == 429  # the lockout still counts it
    assert "_auth_user_id" not in client.session


# --- Redirects and files --------------------------------------------------------------------

EVIL_NEXT = [
    "//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "../../etc/passwd",
    " //evil.example",
]


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_logging_in_never_redirects_off_the_site(client, org, evil):
    page = client.get(reverse("login"), {"next": evil})
    assert page.status_code == 200
    assert "evil.example" not in page.context["next"]
    response = client.post(reverse("login"), {"username": "tyontekija", "password": PASSWORD, "next": evil})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert_same_site(response["Location"])
    assert "evil.example" not in response["Location"]
    # A relative "next" stays on this site; following it shows no file of the server.
    landing = client.get(urljoin("/accounts/login/", response["Location"]))
    assert not any(marker in _body(landing) for marker in SYSTEM_FILE_MARKERS)


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_changing_language_and_logging_out_never_redirect_off_the_site(client, org, evil):
    response = client.post(reverse("set_language"), {"language": "en", "next": evil})
    assert response.status_code == 302
    assert_same_site(response["Location"])
    assert "evil.example" not in response["Location"]
    response = client.get(reverse("set_language"), {"next": evil}, HTTP_REFERER=evil)
    assert "evil.example" not in response.get("Location", "")
    client.force_login(org.users["staff"])
    response = client.post(reverse("logout"), {"next": evil})
    assert response.status_code in (200, 302)
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/vendor/bootstrap/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/vendor/bootstrap/../../../../../../../etc/passwd",
        "/media/../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "ict_secretary"])
def test_paths_cannot_read_files_outside_the_site(client, org, path, role):
    if role != "anonymous":
        client.force_login(org.users[role])
    response = client.get(path)
    assert response.status_code in (302, 400, 404), f"{path}: {response.status_code}"
    assert not any(marker in _body(response) for marker in SYSTEM_FILE_MARKERS)
    if response.status_code == 302:
        assert_same_site(response["Location"])


def test_every_role_key_is_known_to_the_campaign():
    assert set(PREFERRED_ROLES) == set(ROLE_KEYS)
