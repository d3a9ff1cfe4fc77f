"""The foundation: organisation rules, roles, demo data, languages and the site's own pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from channels.models import Person, Unit, UnitKind
from core.roles import Role, roles_of
from somegov import demo
from tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db


def test_the_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_the_roles_migration_reverses_and_reapplies(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("somegov", None)])
    assert not Group.objects.filter(name__in=[role.value for role in Role]).exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Group.objects.filter(name__in=[role.value for role in Role]).count() == len(Role)


def test_ict_secretary_group_gets_the_registry_permissions():
    group = Group.objects.get(name=Role.ICT_SECRETARY.value)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_person", "change_person", "add_unit", "change_unit"} <= codenames


def test_roles_of_lists_the_users_roles(org):
    assert roles_of(org.users["area_head"]) == [Role.AREA_HEAD, Role.SUPERVISOR]
    assert roles_of(org.users["outsider"]) == []


def test_only_the_municipality_is_a_root():
    with pytest.raises(ValidationError):
        Unit(name="Irrallinen", kind=UnitKind.SERVICE_UNIT).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Irrallinen", kind=UnitKind.SERVICE_UNIT)


def test_a_unit_cannot_be_inside_itself():
    area = make_unit("Alue", UnitKind.AREA)
    unit = make_unit("Yksikkö", parent=area)
    area.parent = unit
    with pytest.raises(ValidationError, match="itsensä sisällä"):
        area.clean()


def test_unit_area_finds_the_responsibility_area(org):
    assert org.unit.area() == org.area
    assert org.area.area() == org.area
    assert org.municipality.area() is None


def test_a_person_cannot_supervise_themselves(org):
    person = org.person("staff")
    person.supervisor = person
    with pytest.raises(ValidationError):
        person.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(supervisor=person)


def test_a_supervisor_loop_is_refused(org):
    boss = org.person("supervisor")
    boss.supervisor = org.person("staff")  # staff reports to the supervisor already
    with pytest.raises(ValidationError, match="silmukan"):
        boss.clean()


def test_leaving_date_cannot_precede_start(org):
    person = org.person("staff")
    person.started_on, person.left_on = datetime.date(2026, 1, 1), datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError):
        person.clean()


def test_people_who_left_are_not_active(org):
    gone = make_person(unit=org.unit, left_on=datetime.date(2026, 6, 30))
    assert gone.has_left(on=datetime.date(2026, 6, 30))
    assert not gone.has_left(on=datetime.date(2026, 6, 29))
    assert gone not in Person.objects.active(on=datetime.date(2026, 7, 1))
    assert gone in Person.objects.active(on=datetime.date(2026, 6, 29))


def test_supervisor_line_reaches_up(org):
    staff = org.person("staff")
    assert staff.is_in_line_of(org.person("supervisor"))
    assert staff.is_in_line_of(org.person("area_head"))
    assert not staff.is_in_line_of(org.person("outsider"))


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_load_demo_can_run_twice(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (Unit.objects.count(), Person.objects.count())
    call_command("load_demo", "--quiet")
    assert (Unit.objects.count(), Person.objects.count()) == counts
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out
    for username, *_ in demo.DEMO_USERS:
        assert username in out


def test_demo_has_one_login_per_role(settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet")
    for role in Role:
        assert Group.objects.get(name=role.value).user_set.exists(), role


def test_dates_are_in_finnish_form():
    with translation.override("fi"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2026, 11, 23)}))
    assert rendered == "23.11.2026"


def test_home_speaks_finnish_by_default(client):
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "fi"
    assert '<html lang="fi">' in response.text
    assert "Kirjaudu sisään" in response.text


def test_the_language_switcher_changes_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text


def test_home_says_who_i_am_and_what_i_can_do(client_for, org):
    response = client_for("area_head").get(reverse("home"))
    text = response.text
    assert "Veera Väisänen" in text
    assert "Vastuualuejohtaja" in text and "Esihenkilö" in text


def test_a_user_without_role_is_told_whom_to_ask(client_for):
    response = client_for("outsider").get(reverse("home"))
    assert "ICT-sihteeri" in response.text


def test_every_page_links_the_accessibility_statement_and_privacy_notice(client):
    text = client.get(reverse("login")).text
    assert reverse("accessibility") in text and reverse("privacy") in text


def test_wrong_password_gets_a_clear_message_in_finnish(client, org):
    response = client.post(reverse("login"), {"username": "tyontekija", "password": "väärä"})
    assert response.status_code == 200
    assert "syötä kelvollinen käyttäjätunnus ja salasana" in response.text


def test_the_unknown_page_is_a_friendly_404(client):
    response = client.get("/ei-ole/")
    assert response.status_code == 404
    assert "Sivua ei löytynyt" in response.text
