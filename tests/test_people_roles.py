"""The ICT secretary's people and roles page: logins with their roles and persons, and role changes that are
audited, never leave the portal without an ICT secretary and never touch one's own roles."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import AuditAction, AuditEvent, AuditResult
from core.roles import Role, roles_of
from core.services import RolesRefused, change_roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def set_roles(client, user, *roles, confirmed=False, **extra):
    data = {"roles": [role.value for role in roles]}
    if confirmed:
        data["confirmed"] = "True"
    return client.post(reverse("user_roles", args=[user.pk]), data, **extra)


def fresh_roles(user):
    user.refresh_from_db()
    if hasattr(user, "_somegov_roles"):
        del user._somegov_roles
    return roles_of(user)


def test_the_list_shows_each_login_with_its_roles_and_person(client_for, org, django_assert_max_num_queries):
    client = client_for("ict_secretary")
    # Constant whatever the number of logins: session, user, groups of the viewer, the page's count, logins
    # with their persons, the prefetched groups, the audit row (and the savepoint around it).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people_roles"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "tyontekija" in page and "Teemu Tervo" in page and "Henkilöstö" in page
    assert "ulkopuolinen" in page and "ei roolia" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_PEOPLE, actor=org.users["ict_secretary"]).exists()


def test_the_secretary_grants_a_role_and_the_change_is_audited(client_for, org):
    staff = org.users["staff"]
    response = set_roles(client_for("ict_secretary"), staff, Role.STAFF, Role.SUPERVISOR, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 302 and response.url == reverse("people_roles")
    assert fresh_roles(staff) == [Role.SUPERVISOR, Role.STAFF]
    entry = AuditEvent.objects.get(action=AuditAction.CHANGE_ROLES)
    assert (entry.actor, entry.object_type, entry.object_id) == (org.users["ict_secretary"], "auth.User", str(staff.pk))
    assert entry.detail == "roles: Henkilöstö -> Esihenkilö, Henkilöstö" and entry.ip_address == "10.0.0.5"


def test_granting_the_ict_secretary_role_makes_the_login_staff_for_the_admin(client_for, org):
    staff = org.users["staff"]
    set_roles(client_for("ict_secretary"), staff, Role.ICT_SECRETARY)
    staff.refresh_from_db()
    assert staff.is_staff


def test_removing_the_ict_secretary_role_asks_first(client_for, org):
    second = make_user("toinen-ict", Role.ICT_SECRETARY)
    client = client_for("ict_secretary")
    response = set_roles(client, second, Role.STAFF)
    assert response.status_code == 200 and "Poistetaanko ICT-sihteerin rooli?" in response.content.decode()
    assert fresh_roles(second) == [Role.ICT_SECRETARY]
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE_ROLES).exists()

    response = set_roles(client, second, Role.STAFF, confirmed=True)
    assert response.status_code == 302 and fresh_roles(second) == [Role.STAFF]
    assert not second.is_staff
    entry = AuditEvent.objects.get(action=AuditAction.CHANGE_ROLES)
    assert entry.detail == "roles: ICT-sihteeri -> Henkilöstö"


def test_the_last_ict_secretary_cannot_be_removed(client_for, org):
    ict = org.users["ict_secretary"]
    response = set_roles(client_for("ict_secretary"), ict, confirmed=True)
    assert response.status_code == 200
    assert "viimeinen aktiivinen ICT-sihteeri" in str(response.context["form"].non_field_errors())
    assert fresh_roles(ict) == [Role.ICT_SECRETARY]
    entry = AuditEvent.objects.get(action=AuditAction.CHANGE_ROLES)
    assert entry.result == AuditResult.REFUSED and "last_ict_secretary" in entry.detail


def test_nobody_grants_themselves_a_role(client_for, org):
    ict = org.users["ict_secretary"]
    client = client_for("ict_secretary")
    assert "Kukaan ei voi" in client.get(reverse("user_roles", args=[ict.pk])).content.decode()
    response = set_roles(client, ict, Role.ICT_SECRETARY, Role.MUNICIPAL_MANAGER)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert fresh_roles(ict) == [Role.ICT_SECRETARY]
    assert AuditEvent.objects.get(action=AuditAction.CHANGE_ROLES).result == AuditResult.REFUSED


def test_nobody_removes_their_own_ict_role_even_with_another_secretary(client_for, org):
    make_user("toinen-ict", Role.ICT_SECRETARY)
    ict = org.users["ict_secretary"]
    response = set_roles(client_for("ict_secretary"), ict, Role.STAFF, confirmed=True)
    assert response.status_code == 200 and fresh_roles(ict) == [Role.ICT_SECRETARY]


def test_a_secretary_whose_role_was_just_removed_changes_nothing(org):
    # Two secretaries removing each other's role at once: the second one, no longer a secretary once the first
    # change is in, is refused (the rows are locked and read again inside the transaction).
    other = make_user("toinen-ict", Role.ICT_SECRETARY)
    ict = org.users["ict_secretary"]
    change_roles(ict, [Role.STAFF], actor=other)
    with pytest.raises(RolesRefused) as refusal:
        change_roles(other, [Role.STAFF], actor=ict)
    assert refusal.value.code == "last_ict_secretary"
    assert fresh_roles(other) == [Role.ICT_SECRETARY]


def test_a_former_secretary_cannot_change_others(org):
    other = make_user("toinen-ict", Role.ICT_SECRETARY)
    ict = org.users["ict_secretary"]
    change_roles(ict, [Role.STAFF], actor=other)
    with pytest.raises(RolesRefused) as refusal:
        change_roles(org.users["outsider"], [Role.MUNICIPAL_MANAGER], actor=ict)
    assert refusal.value.code == "not_ict_secretary"
    assert fresh_roles(org.users["outsider"]) == []


@pytest.mark.parametrize(
    "data",
    [
        {"roles": ["Pääkäyttäjä"]},
        {"roles": ["ICT-sihteeri", "x" * 1000]},
        {"roles": "\x00"},
        {"confirmed": "kyllä", "roles": ["nope"]},
    ],
)
def test_unknown_role_values_are_form_errors(client_for, org, data):
    staff = org.users["staff"]
    response = client_for("ict_secretary").post(reverse("user_roles", args=[staff.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["roles"]
    assert fresh_roles(staff) == [Role.STAFF]
    assert not Group.objects.filter(name="Pääkäyttäjä").exists()


def test_an_unknown_login_is_404(client_for):
    assert client_for("ict_secretary").get(reverse("user_roles", args=[999999])).status_code == 404
