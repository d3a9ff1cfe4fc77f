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


# name, platform, address, proposer, unit, purposes, state, decider, what the decider said
DEMO_PROPOSALS = [
    ("Kirjaston TikTok", "tiktok", "", "tyontekija", "Kirjastopalvelut", ["service_awareness"], "draft", None, ""),
    (
        "Kirjastopalvelujen Instagram",
        "instagram",
        "@kirjasto.suomussalmi.demo",
        "tyontekija",
        "Kirjastopalvelut",
        ["information", "service_awareness", "participation"],
        "submitted",
        None,
        "",
    ),
    (
        "Kirjaston YouTube-kanava",
        "youtube",
        "",
        "esihenkilo",
        "Kirjastopalvelut",
        ["service_awareness", "service_delivery"],
        "returned",
        "vastuualuejohtaja",
        "Kerro tarkemmin, kuka tekee videot ja kuinka paljon työaikaa niihin kuluu. Lisää lomasijainen.",
    ),
    (
        "Kirjaston lukuvinkit -blogi",
        "blog",
        "",
        "esihenkilo",
        "Kirjastopalvelut",
        ["information", "service_awareness"],
        "approved",
        "vastuualuejohtaja",
        "Ensimmäinen tarkistus puolen vuoden kuluttua.",
    ),
    (
        "Kirjaston X-tili",
        "x",
        "",
        "tyontekija",
        "Kirjastopalvelut",
        ["information"],
        "rejected",
        "kunnanjohtaja",
        "Kohderyhmä ei käytä X:ää. Kirjasto tiedottaa Instagramissa ja kunnan Facebook-sivulla.",
    ),
    ("Kirjaston Threads", "threads", "", "tyontekija", "Kirjastopalvelut", ["information"], "withdrawn", None, ""),
]


def load_proposals(units, people):
    """Channel proposals in each state, made and decided through the services (so with their timelines).

    Idempotent: a proposal whose name already exists in its unit is left as it is. No e-mail is sent.
    """
    from decimal import Decimal

    from approvals import proposal_emails, proposal_services
    from approvals.models import PolicyRule, Proposal
    from channels.models import Platform, UpdateRole

    User = get_user_model()
    answers = {rule.pk: ("met", "") for rule in PolicyRule.objects.for_proposals()}
    created = []
    with proposal_emails.muted():
        for name, slug, address, proposer, unit, purposes, state, decider, said in DEMO_PROPOSALS:
            if Proposal.objects.filter(unit=units[unit], name=name).exists():
                continue
            actor = User.objects.get(username=proposer)
            fields = {
                "unit": units[unit],
                "platform": Platform.objects.get(slug=slug),
                "name": name,
                "address": address,
                "purposes": purposes,
                "goals": "Tehdä kirjaston palvelut ja tapahtumat tunnetuiksi ja tavoittaa uusia asiakkaita.",
                "target_audience": "Lapsiperheet, nuoret ja kirjaston nykyiset asiakkaat",
                "strategy_support": "Tukee kuntastrategian tavoitetta osallistavasta ja elinvoimaisesta kunnasta.",
                "why_new_channel": "Kunnan Facebook-sivu ja kotisivut eivät tavoita nuoria asiakkaita.",
                "responsible_person": people["esihenkilo"],
                "holiday_cover_person": people["esihenkilo"],
                "holiday_cover_arrangement": "Kirjastotoimenjohtaja seuraa kanavaa kesälomien aikana.",
                "response_plan": "Ylläpitäjä vastaa kysymyksiin kuten muuhunkin palautteeseen.",
                "response_time": "Arkipäivisin yhden työpäivän kuluessa",
            }
            maintainers = [
                {"person": people["tyontekija"], "role": UpdateRole.EDITOR, "weekly_hours": Decimal("3")},
                {"person": people["esihenkilo"], "role": UpdateRole.ADMINISTRATOR, "weekly_hours": Decimal("1")},
            ]
            if state == "draft":  # an unfinished draft: goals and the checklist still missing
                fields["goals"] = ""
            proposal = proposal_services.create_draft(
                actor=actor,
                fields=fields,
                maintainers=maintainers,
                answers={} if state == "draft" else answers,
                language="fi",
            )
            if state == "withdrawn":
                proposal_services.withdraw(proposal, actor=actor, reason="Päätimme keskittyä Instagramiin.")
            elif state != "draft":
                proposal_services.submit(proposal, actor=actor)
                decider_user = User.objects.get(username=decider) if decider else None
                if state == "returned":
                    proposal_services.return_for_changes(proposal, actor=decider_user, comment=said)
                elif state == "approved":
                    proposal_services.approve(
                        proposal,
                        actor=decider_user,
                        responsible_person=people["esihenkilo"],
                        goals=fields["goals"],
                        conditions=said,
                    )
                elif state == "rejected":
                    proposal_services.reject(proposal, actor=decider_user, reason=said)
            created.append(proposal)
    return created


@transaction.atomic
def load_all():
    """Load the whole demo; returns the people by key for the printout."""
    units = load_organisation()
    people = load_people(units)
    load_proposals(units, people)
    return people
