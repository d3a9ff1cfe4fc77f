"""The Suomussalmi demo data: units the guideline names, a handful of people, one login per role.

Every function here is idempotent (keyed on natural names), so ``load_demo`` can run twice.
Later features add their own ``load_*`` functions and call them from ``load_all``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

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


# Channels for the authorisation story, created only while the registry has no channel at all (the
# registry's own demo channels take their place once merged): name, platform, address, owning unit.
FALLBACK_CHANNELS = [
    ("Suomussalmen kunta", "facebook", "https://www.facebook.com/suomussalmenkunta", "Suomussalmen kunta"),
    ("Suomussalmen kirjasto", "instagram", "https://www.instagram.com/suomussalmenkirjasto", "Kirjastopalvelut"),
    (
        "Suomussalmen nuoriso",
        "instagram",
        "https://www.instagram.com/suomussalmennuoriso",
        "Nuoriso- ja liikuntapalvelut",
    ),
]


def _demo_channels(units):
    from channels.models import Channel, ChannelStatus, Platform

    # The oldest channels, in the order they were made: the same three on every run.
    existing = list(Channel.objects.exclude(status=ChannelStatus.RETIRED).order_by("pk")[:3])
    if existing:
        return existing
    channels = []
    for name, platform, address, unit in FALLBACK_CHANNELS:
        channel = Channel(
            platform=Platform.objects.get(slug=platform),
            name=name,
            address=address,
            owner_unit=units[unit],
            status=ChannelStatus.ACTIVE,
            official_since=datetime.date(2024, 1, 1),
        )
        channel.full_clean()
        channel.save()
        channels.append(channel)
    return channels


def load_authorisations(units, people, on=None):
    """Supervisor authorisations and the rights they carry, in two steps (idempotent).

    Most maintainers are authorised (one by the ICT secretary on a supervisor's written decision); the
    youth secretary's authorisation has ended (and their commitment is missing); the marketing planner
    who left still holds a right. Both show on the ICT secretary's list of rights without basis.
    Once the registry's demo grants rights with ``grant_right``, ``authorise_demo_people`` must run
    before it (the grant check asks for an authorisation) and ``load_demo_rights`` after it.
    """
    on = on or timezone.localdate()
    authorise_demo_people(people, on)
    load_demo_rights(units, people, on)


def authorise_demo_people(people, on):
    """The authorisations; a person who already has one is left as they are. Needs no channels."""
    from approvals.authorisation_services import grant_authorisation
    from approvals.models import Authorisation

    users = {key: people[key].user for key in ("vastuualuejohtaja", "esihenkilo", "ict-sihteeri")}
    day = datetime.timedelta(days=1)
    plans = [
        # person, actor, granted by (when recorded by the ICT secretary), from, until, conditions
        ("esihenkilo", "vastuualuejohtaja", None, on - 400 * day, None, ""),
        ("tyontekija", "esihenkilo", None, on - 60 * day, on + 365 * day, "Kirjaston tapahtumat ja aukioloajat."),
        ("viestintasuunnittelija", "ict-sihteeri", "hallintojohtaja", on - 300 * day, None, ""),
        ("nuorisosihteeri", "vastuualuejohtaja", None, on - 200 * day, on - 20 * day, "Kesän 2026 nuorisotapahtumat."),
        ("lahtenyt", "ict-sihteeri", "hallintojohtaja", datetime.date(2024, 1, 8), datetime.date(2026, 6, 30), ""),
    ]
    for key, actor, granted_by, start, end, conditions in plans:
        person = people[key]
        if Authorisation.objects.filter(person=person).exists():
            continue
        grant_authorisation(
            person,
            actor=users[actor],
            granted_by=people[granted_by] if granted_by else None,
            valid_from=start,
            valid_until=end,
            conditions=conditions,
            decision_reference="Sähköposti ICT-sihteerille (demo)" if granted_by else "",
            on=start,
        )


def load_demo_rights(units, people, on):
    """The maintainers' update rights on the three oldest channels (made here while the registry has none);
    a person who has ever had a right on the channel is left as they are."""
    from channels.models import UpdateRight
    from channels.services import grant_right

    ict = people["ict-sihteeri"].user
    day = datetime.timedelta(days=1)
    facebook, library, youth = (_demo_channels(units) * 3)[:3]
    rights = [
        # person, channel, role, hours, granted today through grant_right (None) or in the past on this day
        ("viestintasuunnittelija", facebook, "administrator", 8, None),
        ("esihenkilo", library, "administrator", 1, None),
        ("tyontekija", library, "editor", 4, None),
        # Granted while the authorisation was valid; it has ended since: a problem until revoked.
        ("nuorisosihteeri", youth, "editor", 3, on - 199 * day),
        # Granted before she left in June 2026 and never revoked: a problem until revoked.
        ("lahtenyt", facebook, "editor", 5, datetime.date(2024, 1, 9)),
    ]
    for key, channel, role, hours, granted_on in rights:
        person = people[key]
        if UpdateRight.objects.filter(person=person, channel=channel).exists():
            continue
        if granted_on is None:
            grant_right(channel, person, role=role, weekly_hours=hours, actor=ict)
        else:
            UpdateRight.objects.create(
                person=person,
                channel=channel,
                role=role,
                weekly_hours=hours,
                granted_by=ict,
                granted_at=timezone.make_aware(datetime.datetime.combine(granted_on, datetime.time(9))),
            )


@transaction.atomic
def load_all():
    """Load the whole demo; returns the people by key for the printout."""
    units = load_organisation()
    people = load_people(units)
    load_authorisations(units, people)
    return people
