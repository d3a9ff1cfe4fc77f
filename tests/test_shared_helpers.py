"""The helpers every layer shares, one test each: access checks, forms, e-mail recipients, queries."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from channels.forms import GrantRightForm
from core.access import is_ict_secretary, oversees_all, require_ict_secretary
from core.forms import ReasonForm, add_service_error
from core.mail import ict_secretary_recipients, recipient
from core.roles import Role, active_users_with
from tests.conftest import ROLE_KEYS
from tests.factories import make_person, make_user


def _user(org, role_key):
    return AnonymousUser() if role_key == "anonymous" else org.users[role_key]


# --- Access checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role_key", [*ROLE_KEYS, "superuser", "none"])
def test_only_the_ict_secretary_group_is_the_ict_secretary(org, role_key):
    if role_key == "superuser":
        user = make_user("root", is_superuser=True)  # in no group: not the ICT secretary (see core.access)
    else:
        user = None if role_key == "none" else _user(org, role_key)
    expected = role_key == "ict_secretary"
    assert is_ict_secretary(user) is expected
    if expected:
        assert require_ict_secretary(user) is user
    else:
        with pytest.raises(PermissionDenied, match="Vain ICT-sihteeri voi tehdä tämän"):
            require_ict_secretary(user)


@pytest.mark.parametrize("role_key", ROLE_KEYS)
def test_the_ict_secretary_and_the_municipal_manager_oversee_all(org, role_key):
    assert oversees_all(_user(org, role_key)) is (role_key in {"ict_secretary", "municipal_manager"})


# --- Forms -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "valid"), [("  Lähti talosta \n", True), (" \n\t", False), ("x" * 2001, False)])
def test_the_reason_form_wants_a_reason(reason, valid):
    form = ReasonForm({"reason": reason})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["reason"] == "Lähti talosta"
    assert form.helper.form_tag is False  # the pages write their own <form>


class _NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("error", "on_field", "on_top"),
    [
        (ValidationError("Ei käy."), [], ["Ei käy."]),
        (ValidationError(["Yksi.", "Kaksi."]), [], ["Yksi.", "Kaksi."]),
        (ValidationError({"name": "Nimi puuttuu.", "unknown": "Muu."}), ["Nimi puuttuu."], ["Muu."]),
    ],
)
def test_a_service_error_lands_on_its_field_or_on_top(error, on_field, on_top):
    form = _NameForm({"name": "Kanava"})
    assert form.is_valid()
    add_service_error(form, error)
    assert (form.errors.get("name", []), list(form.non_field_errors())) == (on_field, on_top)


def test_the_grant_right_form_offers_only_people_in_service(org):
    today = timezone.localdate()
    leaver = make_person("Liisa", "Lähtinen", org.unit, left_on=today - datetime.timedelta(days=1))
    anonymised = make_person("X", "Y", org.unit, left_on=today - datetime.timedelta(days=800), anonymised_on=today)
    leaving_tomorrow = make_person("Lauri", "Lähtevä", org.unit, left_on=today + datetime.timedelta(days=1))
    offered = set(GrantRightForm().fields["person"].queryset)
    assert offered == {*org.people.values(), leaving_tomorrow}
    assert not offered & {leaver, anonymised}
    form = GrantRightForm({"person": leaver.pk, "role": "editor", "weekly_hours": "1"})
    assert not form.is_valid() and "person" in form.errors


# --- E-mail recipients -----------------------------------------------------------------------------------


def test_a_recipient_is_the_persons_work_e_mail_then_the_logins_address(org, settings):
    staff, login = org.people["staff"], org.users["staff"]
    login.email = "teemu.koti@example.invalid"
    login.save(update_fields=["email"])
    staff.preferred_language = "en"
    staff.save(update_fields=["preferred_language"])
    assert recipient(person=staff) == recipient(user=login) == (staff.work_email, "en")
    staff.work_email = ""
    assert recipient(person=staff) == ("teemu.koti@example.invalid", "en")  # the login's, in the person's language
    helper = make_user("avustaja", email="avustaja@example.invalid")  # no person in the registry
    assert recipient(user=helper) == ("avustaja@example.invalid", settings.LANGUAGE_CODE)
    assert recipient(user=helper, language="en") == ("avustaja@example.invalid", "en")
    assert recipient(user=make_user("tyhja")) is None


def test_the_ict_secretary_recipients_are_each_active_secretary_once(org):
    make_user("ict2", Role.ICT_SECRETARY, email="ICT2@example.invalid")
    make_user("ict3", Role.ICT_SECRETARY, email="ict2@example.invalid")  # the same address, another case
    make_user("ict4", Role.ICT_SECRETARY, email="entinen@example.invalid", is_active=False)
    make_user("ict5", Role.ICT_SECRETARY)  # no address anywhere
    assert ict_secretary_recipients() == [
        (org.person("ict_secretary").work_email, "fi"),
        ("ICT2@example.invalid", "fi"),
    ]


def test_active_users_with_a_role_are_each_listed_once(org):
    both = make_user("molemmat", Role.MUNICIPAL_MANAGER, Role.AREA_HEAD)
    make_user("poistunut", Role.AREA_HEAD, is_active=False)
    managers = [org.users["municipal_manager"], org.users["area_head"], both]
    assert list(active_users_with(Role.MUNICIPAL_MANAGER, Role.AREA_HEAD)) == managers
    assert list(active_users_with(Role.ICT_SECRETARY)) == [org.users["ict_secretary"]]
