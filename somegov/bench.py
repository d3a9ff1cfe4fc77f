"""The performance benchmark's data and pages (``make bench``, ``scripts/bench.py``, ``tests/test_performance.py``).

``generate()`` adds a synthetic registry of any size with ``bulk_create`` in batches. It bypasses the services on
purpose: the services check, lock and write history one row at a time, which would take hours for a national
registry. The history rows are bulk-created straight into the ``Historical*`` models for the same reason (the
pages that show a channel's history read them, so they must exist), and the public registry's version
(``channels.versioning``) is bumped once, as ``bulk_create`` sends no signal. Nothing the app relies on is
turned off: the constraints hold, the addresses are normalised by the real normaliser.

``PAGES`` is the table of the measured pages: a name, the role that asks (``None``: anonymous) and a function
of the generated ``World`` that gives the URL. A new page is one more line.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import Authorisation, Proposal, ProposalStatus
from channels import versioning
from channels.addresses import InvalidAddress, normalise_address
from channels.models import (
    AddressStyle,
    Channel,
    ChannelStatus,
    Person,
    Platform,
    Purpose,
    Unit,
    UnitKind,
    UpdateRight,
    UpdateRole,
)
from core.roles import Role
from guideline.loading import load_bundled
from guideline.models import GuidelineSection, GuidelineVersion

BATCH = 2000
# Full size (scale 1.0): a hundred times Suomussalmi's registry, a national one.
FULL = {"channels": 20_000, "people": 5_000, "rights": 100_000, "history": 200_000, "proposals": 10_000}
STATUS_WEIGHTS = [
    (ChannelStatus.ACTIVE, 70),
    (ChannelStatus.PAUSED, 10),
    (ChannelStatus.RETIRED, 5),
    (ChannelStatus.APPROVED, 10),
    (ChannelStatus.PROPOSED, 5),
]
FIRST_NAMES = ["Aino", "Eero", "Helmi", "Ilkka", "Juha", "Kaisa", "Lauri", "Minna", "Otto", "Sanna", "Tuula", "Ville"]
LAST_NAMES = ["Heikkinen", "Kemppainen", "Korhonen", "Laine", "Moilanen", "Niskanen", "Pulkkinen", "Turunen"]
URL_PATTERNS = {
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "youtube": "https://www.youtube.com/@{}",
    "x": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/company/{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "threads": "https://www.threads.net/@{}",
    "bluesky": "https://bsky.app/profile/{}.bsky.social",
}


@dataclasses.dataclass
class World:
    """What the pages are asked about: logins per role and a typical channel, person, proposal and address."""

    users: dict
    channel: Channel
    person: Person
    proposal: Proposal | None
    address: str
    platform: str
    unit: int
    search: str
    counts: dict = dataclasses.field(default_factory=dict)


def sizes(scale):
    return {key: max(1, round(value * scale)) for key, value in FULL.items()}


def _address(platform, handle):
    if platform.slug in URL_PATTERNS:
        return URL_PATTERNS[platform.slug].format(handle)
    if platform.address_style == AddressStyle.URL or platform.slug == "website":
        return f"https://{handle}.example.fi/"
    return f"https://{handle}.example.fi/{platform.slug}"


def _usable(platform):
    """Platforms whose addresses the generator can make (WhatsApp's channel ids have a form of their own)."""
    try:
        normalise_address(_address(platform, "kokeilu1"), platform.slug)
    except InvalidAddress:
        return False
    return True


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def _history(model, objects, kind, when, user=None):
    """History rows copying the objects' fields, as django-simple-history writes them (without the services)."""
    historical = model.history.model
    names = {field.attname for field in historical._meta.fields} - {
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    }
    fields = [field.attname for field in model._meta.concrete_fields if field.attname in names]
    rows = [
        historical(
            history_date=when,
            history_type=kind,
            history_user=user,
            **{name: getattr(obj, name) for name in fields},
        )
        for obj in objects
    ]
    historical.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _user(username, *roles):
    user = get_user_model().objects.create_user(username=username, is_staff=Role.ICT_SECRETARY in roles)
    user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
    return user


@transaction.atomic
def generate(scale=1.0, *, seed=20261125, prefix="b"):
    """Add a registry of ``scale`` times the full size; call again with another ``prefix`` to grow it."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    size = sizes(scale)
    now = timezone.now()
    today = timezone.localdate()
    history_rows = 0
    # The guideline page is measured too: a fresh database has no guideline, so the bundled one is loaded.
    if not GuidelineVersion.objects.published().exists():
        load_bundled(GuidelineVersion, GuidelineSection)
    municipality = Unit.objects.filter(kind=UnitKind.MUNICIPALITY).first()
    if municipality is None:
        municipality = Unit.objects.create(name="Penkkikunta", kind=UnitKind.MUNICIPALITY)
        history_rows += _history(Unit, [municipality], "+", now)
    area_count = max(1, min(20, size["channels"] // 200 or 1))
    areas = [Unit(name=f"{prefix} vastuualue {i}", kind=UnitKind.AREA, parent=municipality) for i in range(area_count)]
    areas = _bulk(Unit, areas)
    service_units = _bulk(
        Unit,
        [
            Unit(name=f"{prefix} palveluyksikkö {i}", kind=UnitKind.SERVICE_UNIT, parent=areas[i % area_count])
            for i in range(area_count * 9)
        ],
    )
    units = areas + service_units
    history_rows += _history(Unit, units, "+", now)

    # People: a supervisor line (every tenth person supervises the next nine); a few have left.
    people = []
    for i in range(size["people"]):
        people.append(
            Person(
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[i % len(LAST_NAMES)]}-{prefix}{i}",
                title="Viestintäsuunnittelija",
                unit=service_units[i % len(service_units)],
                work_email=f"{prefix}{i}@bench.invalid",
                started_on=today - datetime.timedelta(days=3000),
                left_on=today - datetime.timedelta(days=10) if i % 50 == 49 else None,
                commitment_signed_on=today - datetime.timedelta(days=400),
            )
        )
    people = _bulk(Person, people)
    for i, person in enumerate(people):
        if i % 10:
            person.supervisor_id = people[i - i % 10].pk
    Person.objects.bulk_update(people, ["supervisor"], batch_size=BATCH)
    for area, head in zip(areas, people[::10], strict=False):
        area.head = head
    Unit.objects.bulk_update(areas, ["head"], batch_size=BATCH)
    history_rows += _history(Person, people, "+", now)

    # Logins for the roles that read the pages.
    users = {
        "ict_secretary": _user(f"{prefix}-ict", Role.ICT_SECRETARY),
        "municipal_manager": _user(f"{prefix}-manager", Role.MUNICIPAL_MANAGER),
        "area_head": _user(f"{prefix}-area-head", Role.AREA_HEAD, Role.SUPERVISOR),
        "supervisor": _user(f"{prefix}-supervisor", Role.SUPERVISOR),
        "staff": _user(f"{prefix}-staff", Role.STAFF),
    }
    linked = {"area_head": people[0], "supervisor": people[10], "staff": people[11], "ict_secretary": people[2]}
    for key, person in linked.items():
        person.user = users[key]
    Person.objects.bulk_update(list(linked.values()), ["user"])

    # Channels.
    platforms = [platform for platform in Platform.objects.order_by("pk") if _usable(platform)]
    if not platforms:
        raise RuntimeError("No platforms: run the migrations (channels.0003_seed_platforms seeds them).")
    statuses = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
    channels = []
    for i in range(size["channels"]):
        platform = platforms[i % len(platforms)]
        status = statuses[rng.randrange(len(statuses))]
        address = _address(platform, f"{prefix}kanava{i}")
        channels.append(
            Channel(
                platform=platform,
                name=f"{prefix} kanava {i:06d}",
                address=address,
                normalised_address=normalise_address(address, platform.slug),
                owner_unit=units[i % len(units)],
                purposes=[Purpose.INFORMATION, Purpose.FEEDBACK],
                goals="Tiedottaa palveluista.",
                responsible_person=people[rng.randrange(len(people))],
                decided_by=areas[i % area_count].head,
                decided_on=today - datetime.timedelta(days=700),
                status=status,
                official_since=today - datetime.timedelta(days=600),
                retired_on=today - datetime.timedelta(days=30) if status == ChannelStatus.RETIRED else None,
                last_reviewed_on=today - datetime.timedelta(days=200),
                next_review_on=today + datetime.timedelta(days=rng.randrange(-60, 300)),
                holiday_cover_person=people[rng.randrange(len(people))] if i % 3 else None,
            )
        )
    channels = _bulk(Channel, channels)
    history_rows += _history(Channel, channels, "+", now - datetime.timedelta(days=700))

    # Update rights: distinct people per channel, a fifth of them revoked.
    per_channel = max(1, size["rights"] // len(channels))
    rights, ict = [], users["ict_secretary"]
    for channel in channels:
        holders = rng.sample(range(len(people)), min(per_channel, len(people)))
        for j, index in enumerate(holders):
            revoked = j == per_channel - 1 and rng.random() < 0.8
            rights.append(
                UpdateRight(
                    person=people[index],
                    channel=channel,
                    role=UpdateRole.ADMINISTRATOR if j < 2 else UpdateRole.EDITOR,
                    weekly_hours=Decimal("2.0"),
                    granted_by=ict,
                    granted_at=now - datetime.timedelta(days=500),
                    revoked_by=ict if revoked else None,
                    revoked_at=now - datetime.timedelta(days=100) if revoked else None,
                    revoke_reason="Tehtävä päättyi." if revoked else "",
                )
            )
    # The staff login maintains a few channels, so its pages have rows.
    for channel in channels[:5]:
        if not any(r.person_id == linked["staff"].pk and r.channel_id == channel.pk for r in rights):
            rights.append(
                UpdateRight(
                    person=linked["staff"], channel=channel, role=UpdateRole.EDITOR, weekly_hours=1, granted_by=ict
                )
            )
    rights = _bulk(UpdateRight, rights)
    history_rows += _history(UpdateRight, rights, "+", now - datetime.timedelta(days=500))

    # Authorisations: most people are authorised by their supervisor for all channels.
    authorisations = [
        Authorisation(
            person=person,
            granted_by_id=person.supervisor_id,
            valid_from=today - datetime.timedelta(days=365),
            valid_until=today + datetime.timedelta(days=365) if i % 7 else None,
            recorded_by=ict,
        )
        for i, person in enumerate(people)
        if person.supervisor_id and i % 20
    ]
    authorisations = _bulk(Authorisation, authorisations)
    history_rows += _history(Authorisation, authorisations, "+", now - datetime.timedelta(days=365))

    # Proposals: drafts, submitted ones waiting for a decision, rejected ones.
    proposals = []
    for i in range(size["proposals"]):
        unit = service_units[i % len(service_units)]
        proposer = people[i % len(people)]
        platform = platforms[i % len(platforms)]
        kind = i % 4
        status = [ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN][
            kind
        ]
        decided = status == ProposalStatus.REJECTED
        proposals.append(
            Proposal(
                unit=unit,
                proposer=proposer,
                created_by=users["staff"],
                platform=platform,
                name=f"{prefix} ehdotus {i:06d}",
                address=_address(platform, f"{prefix}ehdotus{i}"),
                purposes=[Purpose.INFORMATION],
                goals="Uusi kanava.",
                responsible_person=proposer,
                status=status,
                submitted_at=None if status == ProposalStatus.DRAFT else now - datetime.timedelta(days=20),
                decided_by=(areas[0].head if proposer != areas[0].head else people[1]) if decided else None,
                decided_at=now - datetime.timedelta(days=5) if decided else None,
                decision_reason="Päällekkäinen kanava." if decided else "",
            )
        )
    proposals = _bulk(Proposal, proposals)
    history_rows += _history(Proposal, proposals, "+", now - datetime.timedelta(days=20))

    # The rest of the history: edits of channels over the years (each an "~" row copying the channel).
    remaining = max(0, size["history"] - history_rows)
    day = itertools.count(1)
    while remaining > 0:
        batch = channels[: min(len(channels), remaining)]
        history_rows += _history(Channel, batch, "~", now - datetime.timedelta(days=600 - next(day) % 500))
        remaining -= len(batch)

    versioning.bump()  # bulk_create and bulk_update send no signal: the public pages must see the new registry

    # A typical channel: active, with rights; a typical address to check.
    channel = next(c for c in channels if c.status == ChannelStatus.ACTIVE)
    submitted = next((p for p in proposals if p.status == ProposalStatus.SUBMITTED), None)
    return World(
        users=users,
        channel=channel,
        # A typical person: authorised (as most are), so every size measures the same page shape.
        person=next((a.person for a in authorisations if a.person_id == channel.responsible_person_id), None)
        or authorisations[0].person,
        proposal=submitted,
        address=channel.address,
        platform=channel.platform.slug,
        unit=areas[0].pk,
        search="kanava 00",
        counts={
            "units": len(units),
            "people": len(people),
            "channels": len(channels),
            "rights": len(rights),
            "authorisations": len(authorisations),
            "proposals": len(proposals),
            "history": history_rows,
        },
    )


# --- The measured pages ------------------------------------------------------------------------------------


def _registry_filtered(world):
    query = f"?q={world.search.replace(' ', '+')}&status=active&problems=any&sort=-name"
    return reverse("channels:registry") + query


# (name, role of the login or None for anonymous, URL from the world, measured for time as well as queries)
PAGES = [
    ("home", "staff", lambda w: reverse("home"), False),
    ("registry list", "ict_secretary", lambda w: reverse("channels:registry"), True),
    ("registry filter+search", "ict_secretary", _registry_filtered, True),
    ("registry by unit", "ict_secretary", lambda w: reverse("channels:registry") + f"?unit={w.unit}", False),
    ("channel page", "ict_secretary", lambda w: reverse("channels:channel_detail", args=[w.channel.pk]), True),
    ("person page", "ict_secretary", lambda w: reverse("channels:person_detail", args=[w.person.pk]), True),
    ("public directory", None, lambda w: reverse("public:directory"), True),
    ("public directory by platform", None, lambda w: reverse("public:directory") + f"?platform={w.platform}", False),
    ("verify page", None, lambda w: reverse("public:verify") + f"?address={w.address}", False),
    ("verify API", None, lambda w: reverse("public:api_verify") + f"?address={w.address}", True),
    ("API list", None, lambda w: reverse("public:api_channels"), True),
    ("API list page 2", None, lambda w: reverse("public:api_channels") + "?page=2&page_size=10", False),
    ("proposals (mine)", "staff", lambda w: reverse("approvals:proposal_list"), False),
    ("proposals (all)", "ict_secretary", lambda w: reverse("approvals:proposal_all"), True),
    ("decision queue", "municipal_manager", lambda w: reverse("approvals:decision_queue"), False),
    ("proposal page", "ict_secretary", lambda w: reverse("approvals:proposal_detail", args=[w.proposal.pk]), False),
    ("my team", "supervisor", lambda w: reverse("approvals:my_team"), False),
    ("my page", "staff", lambda w: reverse("approvals:my_page"), False),
    ("rights problems", "ict_secretary", lambda w: reverse("approvals:rights_problems"), True),
    ("who may act", "ict_secretary", lambda w: reverse("approvals:who_may_act"), True),
    ("guideline", "staff", lambda w: reverse("guideline"), False),
    ("dashboard", "municipal_manager", lambda w: reverse("approvals:dashboard"), True),
]


# --- The import at its real size ---------------------------------------------------------------------------

IMPORT_ROWS = 5000


def import_file(world, rows=IMPORT_ROWS, prefix="tuonti"):
    """A CSV of ``rows`` channels as the ICT secretary would import it: up to half of them the world's existing
    channels (by number, with new goals: changes), the rest new channels. Every row is valid."""
    import csv
    import io

    from channels.transfer.columns import Lookups

    lookups = Lookups()
    existing = list(
        Channel.objects.filter(pk__in=[c.pk for c in lookups.channels.values() if c.normalised_address])
        .select_related("platform", "owner_unit", "responsible_person")
        .order_by("pk")[: rows // 2]
    )
    platforms = [platform for platform in Platform.objects.order_by("slug") if _usable(platform)]
    units = list(Unit.objects.select_related("parent").order_by("pk"))
    people = list(Person.objects.exclude(work_email="").order_by("pk")[:500])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Tunniste", "Palvelu", "Nimi", "Osoite", "Yksikkö", "Tila", "Tarkoitukset", "Tavoitteet",
                     "Vastuuhenkilö", "Päätöspäivä"])  # fmt: skip
    for channel in existing:
        writer.writerow([
            channel.pk, channel.platform.name, channel.name, channel.address, lookups.unit_label(channel.owner_unit),
            "", "information", "Tavoitteet päivitetty tuonnissa.", lookups.person_label(channel.responsible_person),
            "",
        ])  # fmt: skip
    for i in range(rows - len(existing)):
        platform = platforms[i % len(platforms)]
        writer.writerow([
            "", platform.name, f"Tuotu kanava {i}", _address(platform, f"{prefix}{i}"),
            lookups.unit_label(units[i % len(units)]), "", "information; feedback", "Uusi kanava tuonnista.",
            people[i % len(people)].work_email, "1.2.2025",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")
