"""The bad-input campaign on every form: nasty and random values never break validation nor change data."""

import inspect

import pytest
from django import forms as django_forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from somegov import demo
from tests.bad_input import CAMPAIGN, FORMS, HUGE, HUGE_UNICODE, NASTY, VALUES, Undo, row_counts
from tests.malformed_files import NUL_TEXT, malformed_uploads, names_to_try


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


def _form_data(form, values, uploads=None):
    data, files = QueryDict(mutable=True), {}
    for name, bound in form.fields.items():
        key = form.add_prefix(name)
        value = values.get(name, "")
        if uploads and name in uploads:
            files[key] = SimpleUploadedFile(*uploads[name])
        elif isinstance(bound, django_forms.FileField):
            files[key] = SimpleUploadedFile("../../etc/passwd", str(value).encode("utf-8", "replace")[:2000])
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data, files


def _check_form(form_class, user, values, uploads=None):
    counts_before = row_counts()
    form = form_class(**_constructor_kwargs(form_class, user))
    data, files = _form_data(form, values, uploads)
    bound = form_class(data=data, files=files, **_constructor_kwargs(form_class, user))
    if not bound.is_valid():
        for field, messages in bound.errors.items():
            assert all(str(message).strip() for message in messages), f"an empty error message for {field}"
    assert row_counts() == counts_before, "validating a form changed the data"


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module's tests (load_all takes seconds) and rolled back after them:
    each test runs in a savepoint inside this transaction, so none sees another's rows, and later modules see none."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_user(_demo_data, db):
    return get_user_model().objects.get(username="ict-sihteeri")


@pytest.mark.parametrize("form_path", sorted(FORMS))
def test_forms_survive_nasty_values(form_path, demo_user):
    form_class = FORMS[form_path]
    names = list(form_class(**_constructor_kwargs(form_class, demo_user)).fields)
    for nasty in [*NASTY, HUGE, HUGE_UNICODE, ["1", "2", "\x00"]]:
        _check_form(form_class, demo_user, dict.fromkeys(names, nasty))
    for name in names:  # one huge field among empty ones
        _check_form(form_class, demo_user, {name: HUGE})


@pytest.mark.parametrize("form_path", sorted(FORMS))
@settings(CAMPAIGN, max_examples=25)
@given(data=st.data())
def test_forms_survive_random_values(form_path, demo_user, data):
    form_class = FORMS[form_path]
    names = list(form_class(**_constructor_kwargs(form_class, demo_user)).fields)
    values = data.draw(st.fixed_dictionaries(dict.fromkeys(names, VALUES)), label="values")
    try:
        with transaction.atomic():
            _check_form(form_class, demo_user, values)
            raise Undo
    except Undo:
        pass


def _file_fields(form):
    return {name: field for name, field in form.fields.items() if isinstance(field, django_forms.FileField)}


# The forms that take files, known from their declared fields (so the campaign below has no skipped rows); the test
# after it checks that no form adds a file field only when it is made.
FILE_FORMS = sorted(
    path
    for path, form_class in FORMS.items()
    if any(isinstance(field, django_forms.FileField) for field in form_class.base_fields.values())
)


def test_the_forms_that_take_files_are_known(demo_user):
    made = {path: form_class(**_constructor_kwargs(form_class, demo_user)) for path, form_class in FORMS.items()}
    assert sorted(path for path, form in made.items() if _file_fields(form)) == FILE_FORMS
    assert FILE_FORMS  # the imports, the guideline import and the logo take files


@pytest.mark.parametrize("form_path", FILE_FORMS)
def test_file_fields_survive_malformed_files(form_path, demo_user):
    """Every file field of every form gets every malformed XLSX and CSV file, under each name it accepts, with the
    other fields empty and then holding a NUL character: validation refuses them with a message, never raises."""
    form_class = FORMS[form_path]
    form = form_class(**_constructor_kwargs(form_class, demo_user))
    for name, field in _file_fields(form).items():
        for _label, file_name, raw in malformed_uploads():
            for upload_name in names_to_try(file_name, field):
                _check_form(form_class, demo_user, {}, {name: (upload_name, raw)})
            _check_form(form_class, demo_user, dict.fromkeys(form.fields, NUL_TEXT), {name: (file_name, raw)})
