"""The bad-input campaign finds every form and URL, and knows every role: it never tests nothing silently."""

from tests.bad_input import FORMS, PREFERRED_ROLES, ROWS_BY_NAME, URL_NAMES, discover_form_classes
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
