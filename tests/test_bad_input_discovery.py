"""The bad-input campaign finds every form and URL, and knows every role: it never tests nothing silently."""

from tests.bad_input import (
    CALLERS,
    FORMS,
    NOT_VIEWS,
    POST_KEYS_BY_URL,
    POST_READERS,
    PREFERRED_ROLES,
    ROWS_BY_NAME,
    UPLOAD_URLS,
    URL_NAMES,
    VIEWS_BY_URL,
    discover_form_classes,
    scan_post_readers,
    urls_of,
)
from tests.matrix import ROLE_KEYS


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


def test_every_role_key_is_known_to_the_campaign():
    assert set(PREFERRED_ROLES) == set(ROLE_KEYS)


def test_the_source_scan_finds_every_read_of_post_and_files():
    found = scan_post_readers(("tests.discovery_sample",))
    assert set(found) == {"tests.discovery_sample.views.sample_view", "tests.discovery_sample.views._helper"}
    view = found["tests.discovery_sample.views.sample_view"]
    assert view.keys == {"name", "submit"}
    assert len(view.dynamic) == 1, "the f-string key is a key the campaign cannot know"
    assert found["tests.discovery_sample.views._helper"].files
    assert "tests.discovery_sample.views.sample_view" in CALLERS["tests.discovery_sample.views._helper"]


def test_every_view_that_reads_post_or_files_is_attacked():
    """Every function that reads request.POST or request.FILES is reached by a URL the campaign attacks, and reads
    only literal keys (which the campaign attacks as well as the page's form fields): a key made at run time must
    come through a form. A new view, or a helper no view calls, fails here until the campaign reaches it."""
    assert len(POST_READERS) >= 30, "the source scan found too little: is it still reading the project's views?"
    unreached, dynamic = [], []
    for path, reader in sorted(POST_READERS.items()):
        if path in NOT_VIEWS:
            continue
        urls = urls_of(path)
        if not urls or not urls <= set(URL_NAMES):
            unreached.append(path)
        if reader.dynamic:
            dynamic.append(f"{path} (lines {reader.dynamic})")
    assert not unreached, f"views reading request.POST/FILES that no attacked URL reaches: {unreached}"
    assert not dynamic, f"request.POST/FILES read with keys made at run time; use a form: {dynamic}"
    stale = set(NOT_VIEWS) - set(POST_READERS)
    assert not stale, f"NOT_VIEWS names functions that no longer read request.POST: {stale}"


def test_the_campaign_knows_the_keys_and_the_uploads():
    assert {"language", "next"} <= set(POST_KEYS_BY_URL["set_language"])
    assert {"token"} <= set(POST_KEYS_BY_URL["channels:import_confirm"])
    assert {
        "channels:import_upload",
        "channels:units_import",
        "guideline_import",
        "guideline_translation_add",
        "organisation",
    } <= set(UPLOAD_URLS)
    # The review form reads its answers and notes through ReviewAnswersForm, no longer one by one.
    assert not POST_READERS["approvals.review_views.review_detail"].keys
    assert "approvals:review_detail" in VIEWS_BY_URL


def test_the_forms_of_every_app_are_in_the_campaign():
    modules = {path.split(".")[0] for path in FORMS}
    assert {"channels", "guideline", "approvals", "somegov"} <= modules
    assert "guideline.forms.ImportForm" in FORMS
    assert "approvals.review_forms.ReviewAnswersForm" in FORMS
