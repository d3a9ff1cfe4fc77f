"""The demo data: units, a handful of people, one login per role, channels, proposals, reviews.

The demo is Suomussalmi's (``make run``). A second, invented organisation, the bilingual City of Esimerkkilä
(``load_demo --organisation esimerkkila``), shows the same story under another organisation's name, with its own
units, addresses and guideline, so the difference can be seen. Each organisation is a ``DemoOrganisation``
spec; ``load_all(spec)`` loads one. A database holds one demo: loading the other into it is refused
(``DemoConflict``) rather than mixing them.

Every function here is idempotent (keyed on natural names), so ``load_demo`` can run twice.
Later features add their own ``load_*`` functions and call them from ``load_all``.
"""

import dataclasses
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
from guideline.loading import bundled_version, create_draft, load_bundled, sections_from_markdown
from guideline.models import GuidelineSection, GuidelineVersion

DEMO_PASSWORD = "demo-salasana-2026"  # noqa: S105 - printed for the demo, refused when DEBUG is off

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"

# The unit tree every demo organisation has, by key: responsibility areas and their service units. Each
# organisation names the units (``DemoOrganisation.units``); the code below refers to them by key.
UNIT_TREE = {
    "admin_area": ["admin", "vitality"],
    "education": ["library", "youth", "culture"],
    "technical": ["environment"],
}


class DemoConflict(Exception):
    """The database holds another organisation's demo; the demos are not mixed."""


@dataclasses.dataclass(frozen=True)
class DemoOrganisation:
    """One demo organisation: its names, units, addresses, organisation record and guideline."""

    key: str
    units: dict  # unit key -> name: "root", the keys of UNIT_TREE and "group_entity"
    email_domain: str  # made up, under .invalid
    handle: str  # the made-up accounts' handle: facebook.com/<handle>.demo
    record: dict  # core.Organisation's fields
    # Finnish words of the demo's texts: the organisation in the genitive ("kunnan") and the elative ("kunnasta"),
    # its strategy, its manager.
    word: str
    elative: str
    strategy: str
    manager_title: str
    guideline_bundled: str = ""  # a bundled guideline (guideline.loading.BUNDLED), or
    guideline_markdown: str = ""  # a Markdown file in demo_data/, published by the ICT secretary
    guideline_meta: dict = dataclasses.field(default_factory=dict)

    @property
    def users(self):
        """(username, first, last, title, unit's name, supervisor's username, roles): the same logins everywhere."""
        return [
            (username, first, last, self.manager_title if key == "root" else title, self.units[key], boss, roles)
            for username, first, last, title, key, boss, roles in _USERS
        ]

    def guideline_in_database(self):
        """This demo's guideline, if it is in the database."""
        if self.guideline_bundled:
            return bundled_version(GuidelineVersion, self.guideline_bundled)
        return GuidelineVersion.objects.filter(
            title=self.guideline_meta["title"], is_translation=False, status="published"
        ).first()


# username, first, last, title, unit's key, supervisor's username, roles
_USERS = [
    ("kunnanjohtaja", "Maija", "Mäkelä", "kunnanjohtaja", "root", None, [Role.MUNICIPAL_MANAGER]),
    (
        "vastuualuejohtaja",
        "Veera",
        "Väisänen",
        "sivistysjohtaja",
        "education",
        "kunnanjohtaja",
        [Role.AREA_HEAD, Role.SUPERVISOR],
    ),
    ("ict-sihteeri", "Ilkka", "Ikonen", "ICT-sihteeri", "admin", "hallintojohtaja", [Role.ICT_SECRETARY]),
    ("esihenkilo", "Sanna", "Saarinen", "kirjastotoimenjohtaja", "library", "vastuualuejohtaja", [Role.SUPERVISOR]),
    ("tyontekija", "Teemu", "Tervo", "kirjastovirkailija", "library", "esihenkilo", [Role.STAFF]),
]

SUOMUSSALMI = DemoOrganisation(
    key="suomussalmi",
    units={
        "root": "Suomussalmen kunta",
        "admin_area": "Hallinto- ja elinvoimapalvelut",
        "admin": "Hallintopalvelut",
        "vitality": "Elinvoimapalvelut",
        "education": "Sivistyspalvelut",
        "library": "Kirjastopalvelut",
        "youth": "Nuoriso- ja liikuntapalvelut",
        "culture": "Kulttuuripalvelut",
        "technical": "Tekniset palvelut",
        "environment": "Ympäristöpalvelut",
        "group_entity": "Suomussalmen Kuntakiinteistöt Oy (demo)",
    },
    email_domain="suomussalmi.invalid",
    handle="suomussalmi",
    record=json.loads(
        (Path(__file__).resolve().parents[1] / "guideline" / "data" / "suomussalmi_organisation.json").read_text(
            encoding="utf-8"
        )
    ),
    word="kunnan",
    elative="kunnasta",
    strategy="kuntastrategian",
    manager_title="kunnanjohtaja",
    guideline_bundled="suomussalmi-2016",
)

ESIMERKKILA = DemoOrganisation(
    key="esimerkkila",
    units={
        "root": "Esimerkkilän kaupunki",
        "admin_area": "Konsernipalvelut",
        "admin": "Hallinto- ja viestintäpalvelut",
        "vitality": "Elinvoima- ja matkailupalvelut",
        "education": "Sivistyspalvelut",
        "library": "Kaupunginkirjasto",
        "youth": "Nuoriso- ja liikuntapalvelut",
        "culture": "Kulttuuri- ja museopalvelut",
        "technical": "Kaupunkiympäristön palvelut",
        "environment": "Ympäristö- ja rakennusvalvonta",
        "group_entity": "Esimerkkilän Vuokratalot Oy (demo)",
    },
    email_domain="esimerkkila.invalid",
    handle="esimerkkila",
    record={
        "name": "Esimerkkilän kaupunki",
        "name_genitive": "Esimerkkilän kaupungin",
        "name_sv": "Esimerkkilä stad",
        "name_sv_genitive": "Esimerkkilä stads",
        "name_en": "City of Esimerkkilä",
        "short_name": "Esimerkkilä",
        "website": "https://www.esimerkkila.invalid/",
        "registry_office_email": "kirjaamo@esimerkkila.invalid",
        "registry_office_phone": "",
        "dpo_email": "tietosuoja@esimerkkila.invalid",
        "accessibility_email": "ict-sihteeri@esimerkkila.invalid",
    },
    word="kaupungin",
    elative="kaupungista",
    strategy="kaupunkistrategian",
    manager_title="kaupunginjohtaja",
    guideline_markdown="esimerkkila_guideline_fi.md",
    guideline_meta={
        "title": "Esimerkkilän kaupungin sosiaalisen median ohje",
        "label": "Demo 2026",
        "approved_by": "Kaupunginhallitus (demo)",
        "note": "Keksitty demo-ohje: Esimerkkilän kaupunki ja sen ohje ovat esimerkkejä.",
    },
)

ORGANISATIONS = {spec.key: spec for spec in (SUOMUSSALMI, ESIMERKKILA)}

DEMO_USERS = SUOMUSSALMI.users


def refuse_other_demo(spec):
    """Raise ``DemoConflict`` when the database holds another demo organisation's data."""
    for other in ORGANISATIONS.values():
        if other.key == spec.key:
            continue
        if (
            Unit.objects.filter(parent=None, name=other.units["root"]).exists()
            or Organisation.objects.filter(name=other.record["name"]).exists()
            or other.guideline_in_database() is not None
        ):
            raise DemoConflict(
                f"This database holds the {other.record['short_name']} demo; the {spec.record['short_name']} "
                "demo is not loaded into it, so that the two are not mixed. Load it into an empty database "
                "(for example DATABASE_URL=sqlite:///db-" + spec.key + ".sqlite3)."
            )


def load_organisation(spec=SUOMUSSALMI):
    """The unit tree: municipality, responsibility areas, service units and one group entity.

    Returns the units by key and by name.
    """
    names = spec.units
    root, _ = Unit.objects.get_or_create(name=names["root"], parent=None, defaults={"kind": UnitKind.MUNICIPALITY})
    units = {"root": root}
    for area_key, unit_keys in UNIT_TREE.items():
        area, _ = Unit.objects.get_or_create(name=names[area_key], parent=root, defaults={"kind": UnitKind.AREA})
        units[area_key] = area
        for unit_key in unit_keys:
            units[unit_key], _ = Unit.objects.get_or_create(
                name=names[unit_key], parent=area, defaults={"kind": UnitKind.SERVICE_UNIT}
            )
    units["group_entity"], _ = Unit.objects.get_or_create(
        name=names["group_entity"], parent=root, defaults={"kind": UnitKind.GROUP_ENTITY}
    )
    return {**{unit.name: unit for unit in units.values()}, **units}


def _person(units, first, last, title, unit, supervisor=None, domain=SUOMUSSALMI.email_domain, **extra):
    person, _ = Person.objects.update_or_create(
        first_name=first,
        last_name=last,
        defaults={
            "title": title,
            "unit": units[unit],
            "supervisor": supervisor,
            "work_email": f"{first}.{last}@{domain}".lower().replace("ä", "a").replace("ö", "o"),
            "work_phone": "",
            **extra,
        },
    )
    return person


def load_people(units, spec=SUOMUSSALMI):
    """One person (and login) per role, their supervisor line, and a few staff without logins."""
    signed = datetime.date(2025, 1, 15)
    people = {}
    domain = spec.email_domain
    hallintojohtaja = _person(
        units, "Heikki", "Heikkinen", "hallintojohtaja", "admin_area", commitment_signed_on=signed, domain=domain
    )
    people["hallintojohtaja"] = hallintojohtaja
    User = get_user_model()
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}  # a flushed database too
    for (username, first, last, title, _name, boss, roles), unit in zip(spec.users, _unit_keys(), strict=True):
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@{domain}"
        user.is_staff = Role.ICT_SECRETARY in roles
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role] for role in roles])
        people[username] = _person(
            units, first, last, title, unit, people.get(boss), user=user, commitment_signed_on=signed, domain=domain
        )
        if Role.AREA_HEAD in roles or Role.MUNICIPAL_MANAGER in roles:
            unit_obj = units[unit]
            unit_obj.head = people[username]
            unit_obj.save(update_fields=["head"])
    hallintojohtaja.supervisor = people["kunnanjohtaja"]
    hallintojohtaja.save(update_fields=["supervisor"])
    for area in ["admin_area"]:
        units[area].head = hallintojohtaja
        units[area].save(update_fields=["head"])
    people["viestintasuunnittelija"] = _person(
        units,
        "Anna",
        "Airaksinen",
        "viestintäsuunnittelija",
        "admin",
        hallintojohtaja,
        commitment_signed_on=signed,
        domain=domain,
    )
    people["nuorisosihteeri"] = _person(
        units,
        "Niko",
        "Nieminen",
        "nuorisosihteeri",
        "youth",
        people["vastuualuejohtaja"],
        domain=domain,
    )
    people["lahtenyt"] = _person(
        units,
        "Liisa",
        "Lähtinen",
        "markkinointisuunnittelija",
        "vitality",
        hallintojohtaja,
        commitment_signed_on=datetime.date(2023, 3, 1),
        left_on=datetime.date(2026, 6, 30),
        domain=domain,
    )
    return people


def _unit_keys():
    return [key for _username, _first, _last, _title, key, _boss, _roles in _USERS]


def demo_channels(spec=SUOMUSSALMI):
    """The four services of §7 of Suomussalmi's guideline, at clearly made-up addresses (the real site is
    www.suomussalmi.fi; .invalid never resolves), and one retired blog. Each: platform, name, address, unit's key,
    responsible person's key, status, official since, purposes, goals, holiday cover's key, arrangement, rights
    (person key, role, hours, granted on, revoked on and why)."""
    name, genitive, short = spec.record["name"], spec.record["name_genitive"], spec.record["short_name"]
    word, domain, handle = spec.word, spec.email_domain, spec.handle
    return [
        {
            "platform": "website",
            "name": f"{genitive} internetsivut (demo)",
            "address": f"https://{domain}/",
            "unit": "admin",
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
            "name": f"{name} (demo)",
            "address": f"https://www.facebook.com/{handle}.demo",
            "unit": "admin",
            "responsible": "viestintasuunnittelija",
            "official_since": datetime.date(2016, 3, 1),
            "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.INFORMATION, Purpose.FEEDBACK],
            "goals": f"{word.capitalize()} virallinen sivu kaikkien palveluyksiköiden käytössä: "
            "viestintä ja markkinointi. "
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
            "name": f"{short} (demo)",
            "address": f"https://www.instagram.com/{handle}.demo/",
            "unit": "vitality",
            "responsible": "viestintasuunnittelija",
            "official_since": datetime.date(2019, 4, 1),
            "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.SERVICE_AWARENESS],
            "goals": f"Kuvallinen yhteisöpalvelu {word} markkinointiin; {word} tili henkilöstön käytössä.",
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
            "name": f"{name} (demo)",
            "address": f"https://www.youtube.com/@{handle}.demo",
            "unit": "admin",
            "responsible": "ict-sihteeri",
            "official_since": datetime.date(2020, 9, 1),
            "purposes": [Purpose.EXTERNAL_COMMUNICATION, Purpose.INFORMATION],
            "goals": f"Videopalvelu {word} markkinointiin ja palvelutiedottamiseen; "
            f"{word} kanava henkilöstön käytössä.",
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
            "address": f"https://lukuvinkit.{domain}/",
            "unit": "library",
            "responsible": "esihenkilo",
            "status": ChannelStatus.RETIRED,
            "official_since": datetime.date(2017, 1, 9),
            "retired_on": datetime.date(2024, 12, 31),
            "purposes": [Purpose.SERVICE_AWARENESS],
            "goals": f"Lukuvinkkejä kirjaston asiakkaille. Lopetettu, kun vinkit siirtyivät {word} Instagramiin.",
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


DEMO_CHANNELS = demo_channels(SUOMUSSALMI)


def load_channels(units, people, actor=None, organisation=SUOMUSSALMI):
    """The channels of §7 and their update rights; one with a problem (a leaver's right) and one retired."""
    channels = {}
    for spec in demo_channels(organisation):
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
                decision_reference=f"Demo: {organisation.manager_title}n päätös",
                website_link_url=f"https://{organisation.email_domain}/somessa"
                if spec["platform"] != "website"
                else "",
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
    ("Kirjaston TikTok", "tiktok", "", "tyontekija", "library", ["service_awareness"], "draft", None, ""),
    (
        "Kirjastopalvelujen Instagram",
        "instagram",
        "@kirjasto.{handle}.demo",
        "tyontekija",
        "library",
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
        "library",
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
        "library",
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
        "library",
        ["information"],
        "rejected",
        "kunnanjohtaja",
        "Kohderyhmä ei käytä X:ää. Kirjasto tiedottaa Instagramissa ja {word} Facebook-sivulla.",
    ),
    ("Kirjaston Threads", "threads", "", "tyontekija", "library", ["information"], "withdrawn", None, ""),
]


def load_proposals(units, people, spec=SUOMUSSALMI):
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
            address, said = address.format(handle=spec.handle), said.format(word=spec.word)
            actor = User.objects.get(username=proposer)
            fields = {
                "unit": units[unit],
                "platform": Platform.objects.get(slug=slug),
                "name": name,
                "address": address,
                "purposes": purposes,
                "goals": "Tehdä kirjaston palvelut ja tapahtumat tunnetuiksi ja tavoittaa uusia asiakkaita.",
                "target_audience": "Lapsiperheet, nuoret ja kirjaston nykyiset asiakkaat",
                "strategy_support": f"Tukee {spec.strategy} tavoitetta osallistavasta ja elinvoimaisesta "
                f"{spec.elative}.",
                "why_new_channel": f"{spec.word.capitalize()} Facebook-sivu ja kotisivut eivät tavoita "
                "nuoria asiakkaita.",
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


def load_guideline(spec=SUOMUSSALMI, ict_user=None):
    """The organisation's guideline as the version in force.

    Suomussalmi's is its 2016 guideline with the English reading aid, as ``load_guideline suomussalmi-2016`` loads
    them. Another demo's is a Markdown file, imported as a draft and published by the ICT secretary
    (``ict_user``) through the version flow, as an organisation brings its own. Left alone when a guideline is in
    force already (this one, or one the organisation imported and published).
    """
    if GuidelineVersion.objects.published().originals().exists():
        return None
    if spec.guideline_bundled:
        version, _created = load_bundled(GuidelineVersion, GuidelineSection, spec.guideline_bundled)
        return version
    from guideline import services

    meta = spec.guideline_meta
    parsed = sections_from_markdown((DEMO_DATA / spec.guideline_markdown).read_text(encoding="utf-8"))
    draft = create_draft(GuidelineVersion, GuidelineSection, parsed, title=meta["title"], actor=ict_user)
    return services.publish_version(
        ict_user,
        draft,
        title=meta["title"],
        label=meta["label"],
        approved_by=meta["approved_by"],
        approved_on=timezone.localdate(),
        note=meta["note"],
    )


def load_organisation_record(spec=SUOMUSSALMI):
    """The organisation (core.Organisation), unless the ICT secretary has saved one already."""
    if not Organisation.objects.exists():
        Organisation(**spec.record).save()


@transaction.atomic
def load_all(spec=SUOMUSSALMI):
    """Load the whole demo of an organisation (Suomussalmi's unless told); returns the people by key.

    Refuses (``DemoConflict``) a database that holds another organisation's demo.
    Authorisations come before the channels: the rights the channels carry stand on them.
    The youth secretary's authorisation has ended and the marketing planner has left, so
    both of their rights show as problems until the ICT secretary revokes them.
    """
    refuse_other_demo(spec)
    load_organisation_record(spec)
    if spec.guideline_bundled:
        load_guideline(spec)
    units = load_organisation(spec)
    people = load_people(units, spec)
    if not spec.guideline_bundled:  # published by the demo's ICT secretary
        load_guideline(spec, ict_user=people["ict-sihteeri"].user)
    authorise_demo_people(people, timezone.localdate())
    load_channels(units, people, organisation=spec)
    load_proposals(units, people, spec)
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
