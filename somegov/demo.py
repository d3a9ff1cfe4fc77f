"""The Suomussalmi demo data: units the guideline names, a handful of people, one login per role.

Every function here is idempotent (keyed on natural names), so ``load_demo`` can run twice.
Later features add their own ``load_*`` functions and call them from ``load_all``.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from channels.addresses import normalise_address
from channels.models import Channel, ChannelStatus, Person, Platform, Purpose, Unit, UnitKind, UpdateRight, UpdateRole
from channels.services import create_channel, update_channel
from core.models import Organisation
from core.roles import Role
from guideline.loading import load_bundled
from guideline.models import GuidelineSection, GuidelineVersion

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


# The four services of §7 of the guideline, at clearly made-up addresses (the real site is www.suomussalmi.fi;
# .invalid never resolves), and one retired blog. Each: platform, name, address, unit, responsible person's key,
# status, official since, purposes, goals, holiday cover's key, arrangement, rights (person key, role, hours,
# granted on, revoked on and why).
DEMO_CHANNELS = [
    {
        "platform": "website",
        "name": "Suomussalmen kunnan internetsivut (demo)",
        "address": "https://suomussalmi.invalid/",
        "unit": "Hallintopalvelut",
        "responsible": "viestintasuunnittelija",
        "official_since": datetime.date(2016, 2, 1),
        "purposes": [Purpose.INFORMATION, Purpose.SERVICE_AWARENESS, Purpose.FEEDBACK, Purpose.INITIATIVES],
        "goals": "Virallinen ja tärkein sähköinen viestintäkanava; palaute- ja aloitelomakkeet. "
        "Vastuu sivuista on palveluyksiköillä: kukin päivittää omat sivunsa.",
        "cover": "ict-sihteeri",
        "arrangement": "Palveluyksiköt päivittävät omat sivunsa myös lomien aikana.",
        "rights": [
            ("viestintasuunnittelija", UpdateRole.ADMINISTRATOR, "6", datetime.date(2024, 1, 8), None),
            ("ict-sihteeri", UpdateRole.ADMINISTRATOR, "2", datetime.date(2024, 1, 8), None),
            ("tyontekija", UpdateRole.EDITOR, "1", datetime.date(2024, 5, 2), None),
            ("nuorisosihteeri", UpdateRole.EDITOR, "1", datetime.date(2024, 5, 2), None),
        ],
    },
    {
        "platform": "facebook",
        "name": "Suomussalmen kunta (demo)",
        "address": "https://www.facebook.com/suomussalmi.demo",
        "unit": "Hallintopalvelut",
        "responsible": "viestintasuunnittelija",
        "official_since": datetime.date(2016, 3, 1),
        "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.INFORMATION, Purpose.FEEDBACK],
        "goals": "Kunnan virallinen sivu kaikkien palveluyksiköiden käytössä: viestintä ja markkinointi. "
        "Vastuu hallintopalveluissa; palveluyksiköt vastaavat omista päivityksistään.",
        "cover": "ict-sihteeri",
        "arrangement": "",
        # Liisa Lähtinen has left but still holds her right: the registry flags it until it is revoked.
        "rights": [
            ("viestintasuunnittelija", UpdateRole.ADMINISTRATOR, "4", datetime.date(2024, 1, 8), None),
            ("ict-sihteeri", UpdateRole.ADMINISTRATOR, "1", datetime.date(2024, 1, 8), None),
            ("lahtenyt", UpdateRole.EDITOR, "3", datetime.date(2024, 2, 1), None),
        ],
    },
    {
        "platform": "instagram",
        "name": "Suomussalmi (demo)",
        "address": "https://www.instagram.com/suomussalmi.demo/",
        "unit": "Elinvoimapalvelut",
        "responsible": "viestintasuunnittelija",
        "official_since": datetime.date(2019, 4, 1),
        "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.SERVICE_AWARENESS],
        "goals": "Kuvallinen yhteisöpalvelu kunnan markkinointiin; kunnan tili henkilöstön käytössä.",
        "cover": "tyontekija",
        "arrangement": "Kesällä tiliä päivittää kesätyöntekijä viestintäsuunnittelijan ohjauksessa.",
        "rights": [
            ("viestintasuunnittelija", UpdateRole.ADMINISTRATOR, "2", datetime.date(2024, 1, 8), None),
            ("ict-sihteeri", UpdateRole.ADMINISTRATOR, "0.5", datetime.date(2024, 1, 8), None),
            ("tyontekija", UpdateRole.EDITOR, "2", datetime.date(2024, 6, 3), None),
        ],
    },
    {
        "platform": "youtube",
        "name": "Suomussalmen kunta (demo)",
        "address": "https://www.youtube.com/@suomussalmi.demo",
        "unit": "Hallintopalvelut",
        "responsible": "ict-sihteeri",
        "official_since": datetime.date(2020, 9, 1),
        "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.INFORMATION],
        "goals": "Videopalvelu kunnan markkinointiin ja palvelutiedottamiseen; kunnan kanava henkilöstön käytössä.",
        "cover": "viestintasuunnittelija",
        "arrangement": "",
        "rights": [
            ("ict-sihteeri", UpdateRole.ADMINISTRATOR, "1", datetime.date(2024, 1, 8), None),
            ("viestintasuunnittelija", UpdateRole.ADMINISTRATOR, "1", datetime.date(2024, 1, 8), None),
            ("nuorisosihteeri", UpdateRole.EDITOR, "1", datetime.date(2024, 9, 2), None),
        ],
    },
    {
        "platform": "blog",
        "name": "Kirjaston lukuvinkit -blogi (demo, lopetettu)",
        "address": "https://lukuvinkit.suomussalmi.invalid/",
        "unit": "Kirjastopalvelut",
        "responsible": "esihenkilo",
        "status": ChannelStatus.RETIRED,
        "official_since": datetime.date(2017, 1, 9),
        "retired_on": datetime.date(2024, 12, 31),
        "purposes": [Purpose.SERVICE_AWARENESS],
        "goals": "Lukuvinkkejä kirjaston asiakkaille. Lopetettu, kun vinkit siirtyivät kunnan Instagramiin.",
        "cover": None,
        "arrangement": "",
        "rights": [
            (
                "tyontekija",
                UpdateRole.EDITOR,
                "2",
                datetime.date(2017, 1, 9),
                (datetime.date(2024, 12, 31), "Blogi lopetettiin."),
            ),
        ],
    },
]


def load_channels(units, people, actor=None):
    """The channels of §7 and their update rights; one with a problem (a leaver's right) and one retired."""
    channels = {}
    for spec in DEMO_CHANNELS:
        platform = Platform.objects.get(slug=spec["platform"])
        key = normalise_address(spec["address"], platform.slug)
        channel = Channel.objects.filter(platform=platform, normalised_address=key).first()
        if channel is None:
            channel = create_channel(
                actor=actor,
                reason="Demoaineisto",
                platform=platform,
                name=spec["name"],
                address=spec["address"],
                owner_unit=units[spec["unit"]],
                purposes=[str(p) for p in spec["purposes"]],
                goals=spec["goals"],
                responsible_person=people[spec["responsible"]],
                decided_by=people["kunnanjohtaja"],
                decided_on=spec["official_since"] - datetime.timedelta(days=14),
                decision_reference="Demo: kunnanjohtajan päätös",
                website_link_url="https://suomussalmi.invalid/somessa" if spec["platform"] != "website" else "",
                holiday_cover_person=people.get(spec["cover"]),
                holiday_cover_arrangement=spec["arrangement"],
                status=spec.get("status", ChannelStatus.ACTIVE),
                official_since=spec["official_since"],
                retired_on=spec.get("retired_on"),
                last_reviewed_on=datetime.date(2026, 1, 15),
                next_review_on=datetime.date(2027, 1, 15),
                two_factor_method="app",
                recovery_email_is_organisational=True,
                credentials_location="Salasanaholvi: Some / " + spec["name"],
            )
        channels[spec["platform"]] = channel
        # The demo records rights granted in the past (before Liisa left): that is history, which grant_right,
        # recording a grant made now under today's rules, cannot write. New grants go through grant_right.
        for person_key, role, hours, granted_on, revoked in spec["rights"]:
            person = people[person_key]
            if UpdateRight.objects.filter(channel=channel, person=person).exists():
                continue
            granted_at = datetime.datetime.combine(granted_on, datetime.time(9), tzinfo=datetime.UTC)
            secretary = people["ict-sihteeri"].user
            right = UpdateRight(channel=channel, person=person, role=role, weekly_hours=hours)
            right.granted_at, right.granted_by = granted_at, secretary
            if revoked:
                right.revoked_by = secretary
                right.revoked_at = datetime.datetime.combine(revoked[0], datetime.time(9), tzinfo=datetime.UTC)
                right.revoke_reason = revoked[1]
            right.full_clean()
            right.save()
    return channels


def authorise_demo_people(people, on):
    """The authorisations; a person who already has one is left as they are. Needs no channels."""
    from approvals.authorisation_services import grant_authorisation
    from approvals.models import Authorisation

    users = {key: people[key].user for key in ("kunnanjohtaja", "vastuualuejohtaja", "esihenkilo", "ict-sihteeri")}
    day = datetime.timedelta(days=1)
    plans = [
        # person, actor, granted by (when recorded by the ICT secretary), from, until, conditions
        ("esihenkilo", "vastuualuejohtaja", None, on - 400 * day, None, ""),
        ("tyontekija", "esihenkilo", None, on - 60 * day, on + 365 * day, "Kirjaston tapahtumat ja aukioloajat."),
        ("viestintasuunnittelija", "ict-sihteeri", "hallintojohtaja", on - 300 * day, None, ""),
        # The ICT secretary maintains channels too, so needs an authorisation like everyone else.
        ("ict-sihteeri", "kunnanjohtaja", None, on - 700 * day, None, ""),
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


def load_guideline():
    """Suomussalmi's 2016 guideline and its English reading aid, as ``load_guideline suomussalmi-2016`` loads them.

    Left alone when a guideline is in force already (this one, or one the organisation imported and published).
    """
    if GuidelineVersion.objects.published().originals().exists():
        return None
    version, _created = load_bundled(GuidelineVersion, GuidelineSection, "suomussalmi-2016")
    return version


SUOMUSSALMI = Path(__file__).resolve().parents[1] / "guideline" / "data" / "suomussalmi_organisation.json"


def load_organisation_record():
    """Suomussalmi as the organisation (core.Organisation), unless the ICT secretary has saved one already."""
    if not Organisation.objects.exists():
        Organisation(**json.loads(SUOMUSSALMI.read_text(encoding="utf-8"))).save()


@transaction.atomic
def load_all():
    """Load the whole demo; returns the people by key for the printout.

    Authorisations come before the channels: the rights the channels carry stand on them.
    The youth secretary's authorisation has ended and the marketing planner has left, so
    both of their rights show as problems until the ICT secretary revokes them.
    """
    load_organisation_record()
    load_guideline()
    units = load_organisation()
    people = load_people(units)
    authorise_demo_people(people, timezone.localdate())
    load_channels(units, people)
    load_proposals(units, people)
    load_reviews(people)
    return people


def load_reviews(people, on=None):
    """One completed periodic review and one channel whose review is overdue.

    The review is made by the first active channel's responsible person who can log in; another active
    channel's review is made overdue. Idempotent: the review is made once; the overdue date is set again.
    """
    from approvals import review_services
    from approvals.models import Review

    on = on or timezone.localdate()
    active = Channel.objects.filter(status=ChannelStatus.ACTIVE).select_related("responsible_person__user")
    reviewed = next((c for c in active.order_by("pk") if c.responsible_person and c.responsible_person.user), None)
    if reviewed is not None and not Review.objects.submitted().filter(channel=reviewed).exists():
        user = reviewed.responsible_person.user
        review = review_services.start_review(reviewed, actor=user)
        answers = {rule.code: ("met", "") for rule in review_services.rules_to_answer(reviewed)}
        answers["accessible-content"] = ("not_met", "Demo: videoiden tekstitys puuttuu vielä kahdesta videosta.")
        review_services.answer_rules(review, answers, actor=user)
        review_services.submit_review(review, actor=user, on=on)
    overdue = active.exclude(pk=getattr(reviewed, "pk", None)).order_by("pk").first()
    due = on - datetime.timedelta(days=10)
    if overdue is not None and overdue.next_review_on != due:
        overdue.next_review_on = due
        update_channel(overdue, actor=None, reason="Demo: katselmointi myöhässä")
