"""The bad-input campaign on every URL: nasty and random values get 2xx/3xx/4xx, change nothing when refused."""

import io
from urllib.parse import parse_qsl

import pytest
from django import forms as django_forms
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bad_input import (
    CAMPAIGN,
    HUGE,
    HUGE_UNICODE,
    POST_KEYS_BY_URL,
    SENDABLE,
    SYSTEM_FILE_MARKERS,
    UPLOAD_URLS,
    URL_NAMES,
    VALUES,
    Undo,
    assert_same_site,
    pick_row,
    response_body,
    row_counts,
)
from tests.malformed_files import NUL_TEXT, malformed_uploads, names_to_try

GENERIC_GET_NAMES = ["q", "page", "sort", "status", "unit", "platform", "next", "format", "file", "path", "id"]
GENERIC_POST_NAMES = ["next", "reason", "id"]
URL_CASES = [(name, method) for name in URL_NAMES for method in ("GET", "POST")]
# A bounded campaign whatever the number of pages: about 600 random requests in all.
EXAMPLES_PER_URL = max(4, min(12, 600 // max(1, len(URL_CASES))))


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


def assert_handled(response, method, counts_before):
    """The checks every answer to hostile input must pass."""
    status = response.status_code
    assert status < 500, f"{method} got {status}"
    body = response_body(response)
    assert not any(marker in body for marker in SYSTEM_FILE_MARKERS), "a system file was shown"
    if 300 <= status < 400:
        assert_same_site(response["Location"])
    if status >= 400 and status != 405:  # 405 says it all in its Allow header
        assert body.strip(), f"{status} without a message"
    refused = method == "GET" or status >= 400 or status == 200
    if refused:
        assert row_counts() == counts_before, f"{method} answered {status} but changed the data"
    if method == "POST" and status == 200:
        shown = _forms_in(response)
        context = getattr(response, "context", None)
        messages = list(context.get("messages", [])) if context is not None else []
        # A preview (the guideline's section forms) is a valid form shown again on purpose; it saved nothing.
        previewing = context is not None and context.get("preview") is not None
        if shown and not previewing:
            assert any(form.errors for form in shown) or any(m.level >= message_levels.WARNING for m in messages), (
                "a refused form came back without saying what is wrong"
            )


class UrlCase:
    """One URL and method, set up for a role: the URL, a valid base body and the field names to attack."""

    def __init__(self, name, method, org, client):
        self.method = method
        row, role = pick_row(name, method)
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
        self.file_fields = {}  # name -> the field, of the uploads the page's forms take
        for form in _forms_in(page):
            names += _field_names(form)
            for bound in form:
                if isinstance(bound.field, django_forms.FileField):
                    self.file_fields[bound.html_name] = bound.field
        for key, value in self.base.items():
            if isinstance(value, io.IOBase | SimpleUploadedFile):
                self.file_fields.setdefault(key, None)
        # The keys its view reads one by one from request.POST (found in the source by tests/bad_input.py).
        names += POST_KEYS_BY_URL.get(name, []) if method == "POST" else []
        names += GENERIC_GET_NAMES if method == "GET" else GENERIC_POST_NAMES
        self.names = list(dict.fromkeys(names))  # the page's own fields first

    def login(self):
        self.client.logout()
        if self.user is not None:
            self.client.force_login(self.user)

    def payload(self, values):
        body = dict(self.base)
        for name, value in values.items():
            if isinstance(value, SimpleUploadedFile):  # a file of its own: sent as it is
                body[name] = value
            elif isinstance(body.get(name), io.IOBase | SimpleUploadedFile):
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
                counts_before = row_counts()
                payload = self.payload(values)
                if self.method == "GET":
                    response = self.client.get(self.url, payload)
                else:
                    response = self.client.post(self.url, payload)
                assert_handled(response, self.method, counts_before)
                raise Undo
        except Undo:
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


@pytest.mark.parametrize("name", UPLOAD_URLS)
def test_upload_urls_survive_malformed_files(name, org, client):
    """Every page whose view reads request.FILES gets every malformed XLSX and CSV file (tests/malformed_files.py)
    in each of its file fields, under each name its field accepts, with the other fields valid and then holding
    NUL characters: never a 5xx, and nothing saved when refused."""
    case = UrlCase(name, "POST", org, client)
    assert case.file_fields, f"{name} reads request.FILES but its page shows no file field"
    text_fields = [field for field in case.names if field not in case.file_fields]
    for field_name, field in case.file_fields.items():
        for _label, file_name, raw in malformed_uploads():
            for upload_name in names_to_try(file_name, field):
                case.send({field_name: SimpleUploadedFile(upload_name, raw)})
            nul_text = dict.fromkeys(text_fields, NUL_TEXT)
            case.send({**nul_text, field_name: SimpleUploadedFile(file_name, raw)})
