"""The Suomussalmi demo data: units the guideline names, a handful of people, one login per role.

Every function here is idempotent (keyed on natural names), so ``load_demo`` can run twice.
Later features add their own ``load_*`` functions and call them from ``load_all``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from channels.models import Person, Unit, UnitKind
from somegov.roles import Role

DEMO_PASSWORD = "demo-salasana-2026"  # noqa: S105 - printed for the demo, refused when DEBUG is off

# username, first, last, title, unit, supervisor's username, roles
DEMO_USERS = [
    ("kunnanjohtaja", "Maija", "Mäkelä", "kunnanjohtaja", "Suomussalmen kunta", None, [Role.MUNICIPAL_MANAGER]),
    (
        "vastuualuejohtaja",
        "Veera",
        "Väisänen",
        "sivistysjohtaja",
        "Sivistyspalvelut",
        "kunnanjohtaja",
        [Role.AREA_HEAD, Role.SUPERVISOR],
    ),
    ("ict-sihteeri", "Ilkka", "Ikonen", "ICT-sihteeri", "Hallintopalvelut", "hallintojohtaja", [Role.ICT_SECRETARY]),
    (
        "esihenkilo",
        "Sanna",
        "Saarinen",
        "kirjastotoimenjohtaja",
        "Kirjastopalvelut",
        "vastuualuejohtaja",
        [Role.SUPERVISOR],
    ),
    ("tyontekija", "Teemu", "Tervo", "kirjastovirkailija", "Kirjastopalvelut", "esihenkilo", [Role.STAFF]),
]


def load_organisation():
    """The unit tree: municipality, responsibility areas, service units and one group entity."""
    root, _ = Unit.objects.get_or_create(
        name="Suomussalmen kunta", parent=None, defaults={"kind": UnitKind.MUNICIPALITY}
    )
    tree = {
        "Hallinto- ja elinvoimapalvelut": ["Hallintopalvelut", "Elinvoimapalvelut"],
        "Sivistyspalvelut": ["Kirjastopalvelut", "Nuoriso- ja liikuntapalvelut", "Kulttuuripalvelut"],
        "Tekniset palvelut": ["Ympäristöpalvelut"],
    }
    units = {root.name: root}
    for area_name, unit_names in tree.items():
        area, _ = Unit.objects.get_or_create(name=area_name, parent=root, defaults={"kind": UnitKind.AREA})
        units[area_name] = area
        for unit_name in unit_names:
            units[unit_name], _ = Unit.objects.get_or_create(
                name=unit_name, parent=area, defaults={"kind": UnitKind.SERVICE_UNIT}
            )
    units["Suomussalmen Kuntakiinteistöt Oy (demo)"], _ = Unit.objects.get_or_create(
        name="Suomussalmen Kuntakiinteistöt Oy (demo)", parent=root, defaults={"kind": UnitKind.GROUP_ENTITY}
    )
    return units


def _person(units, first, last, title, unit, supervisor=None, **extra):
    person, _ = Person.objects.update_or_create(
        first_name=first,
        last_name=last,
        defaults={
            "title": title,
            "unit": units[unit],
            "supervisor": supervisor,
            "work_email": f"{first}.{last}@suomussalmi.invalid".lower().replace("ä", "a").replace("ö", "o"),
            "work_phone": "",
            **extra,
        },
    )
    return person


def load_people(units):
    """One person (and login) per role, their supervisor line, and a few staff without logins."""
    signed = datetime.date(2025, 1, 15)
    people = {}
    hallintojohtaja = _person(
        units, "Heikki", "Heikkinen", "hallintojohtaja", "Hallinto- ja elinvoimapalvelut", commitment_signed_on=signed
    )
    people["hallintojohtaja"] = hallintojohtaja
    User = get_user_model()
    groups = {role: Group.objects.get(name=role.value) for role in Role}
    for username, first, last, title, unit, boss, roles in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@suomussalmi.invalid"
        user.is_staff = Role.ICT_SECRETARY in roles
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role] for role in roles])
        people[username] = _person(
            units, first, last, title, unit, people.get(boss), user=user, commitment_signed_on=signed
        )
        if Role.AREA_HEAD in roles or Role.MUNICIPAL_MANAGER in roles:
            unit_obj = units[unit]
            unit_obj.head = people[username]
            unit_obj.save(update_fields=["head"])
    hallintojohtaja.supervisor = people["kunnanjohtaja"]
    hallintojohtaja.save(update_fields=["supervisor"])
    for area in ["Hallinto- ja elinvoimapalvelut"]:
        units[area].head = hallintojohtaja
        units[area].save(update_fields=["head"])
    people["viestintasuunnittelija"] = _person(
        units,
        "Anna",
        "Airaksinen",
        "viestintäsuunnittelija",
        "Hallintopalvelut",
        hallintojohtaja,
        commitment_signed_on=signed,
    )
    people["nuorisosihteeri"] = _person(
        units,
        "Niko",
        "Nieminen",
        "nuorisosihteeri",
        "Nuoriso- ja liikuntapalvelut",
        people["vastuualuejohtaja"],
    )
    people["lahtenyt"] = _person(
        units,
        "Liisa",
        "Lähtinen",
        "markkinointisuunnittelija",
        "Elinvoimapalvelut",
        hallintojohtaja,
        commitment_signed_on=datetime.date(2023, 3, 1),
        left_on=datetime.date(2026, 6, 30),
    )
    return people


@transaction.atomic
def load_all():
    """Load the whole demo; returns the people by key for the printout."""
    units = load_organisation()
    people = load_people(units)
    return people
