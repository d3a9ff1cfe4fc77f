"""Channel rows are written only by the registry's services (``channels/services.py``).

The services check, lock, record history and move the public registry's version; a write past them skips all of
that. Two kinds of test hold the code to it: a reading of every module of the apps (with ``ast``) that finds each
place a ``Channel`` is built, created, saved, updated or deleted, and tests that approving a proposal and
finishing a review reach the registry through its services.
"""

import ast
import datetime
from pathlib import Path

import pytest

from approvals import proposal_services, review_services
from approvals.models import ProposalStatus
from channels import services, versioning
from channels.models import Channel, ChannelStatus, RegistryVersion
from tests.proposal_builders import make_proposal
from tests.registry_helpers import make_channel

ROOT = Path(__file__).resolve().parents[1]
# Every app of the project (a folder with an apps.py), so a new app is read too.
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
SERVICES = "channels/services.py"
# What writes a row: methods of a model instance, its manager and its querysets.
WRITES = {"save", "save_base", "delete", "create", "get_or_create", "update_or_create", "bulk_create",
          "bulk_update", "update"}  # fmt: skip
# Writes that send no post_save signal, so the version must be bumped by hand (channels.versioning).
SILENT = {"bulk_create", "bulk_update", "update"}
# Where a Channel may be written outside the services, as (module, kind), and why. Every entry must still be
# needed (test_the_allow_list_has_no_stale_entries), so none outlives its reason.
ALLOWED = {
    # An unsaved Channel to plan and preview an import row; services.create_channel or update_channel saves it.
    ("channels/transfer/importing.py", "construct"),
    # The benchmark's synthetic registry (up to 20 000 channels) is bulk-created in batches: the services, one
    # row at a time with locks and history, would take hours. It calls versioning.bump(), as bulk_create sends
    # no signal (test_a_silent_write_bumps_the_version).
    ("somegov/bench.py", "construct"),
    ("somegov/bench.py", "bulk_create"),
}


def _chain(node):
    """The names an expression is built from, outermost last: ``Channel.objects.filter(pk=1).update`` gives
    ``["update", "filter", "objects", "Channel"]``."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names


def _channel_names(tree):
    """The names bound (by ``=`` or ``for``) to something read from ``Channel``, and to what those give in turn."""
    bindings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            bindings += [(target.id, node.value) for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
            bindings.append((node.target.id, node.iter))
    names = {"Channel"}
    while True:
        more = {name for name, value in bindings if names & set(_chain(value))} - names
        if not more:
            return names - {"Channel"}
        names |= more


def channel_writes(source):
    """``[(line, kind)]`` for every place in ``source`` that builds or writes a ``Channel``."""
    tree = ast.parse(source)
    derived = _channel_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        chain = _chain(node.func)
        if chain == ["Channel"] or chain[:2] == ["Channel", "models"]:
            found.append((node.lineno, "construct"))
        elif chain[0] in WRITES and len(chain) > 1:
            receiver = chain[1:]
            # Channel.objects..., a name bound to a channel or queryset of them, or anything called a channel.
            if "Channel" in receiver or receiver[-1] in derived or "channel" in receiver[0].lower():
                found.append((node.lineno, chain[0]))
        elif any(isinstance(arg, ast.Name) and arg.id == "Channel" for arg in node.args) and "bulk" in chain[0]:
            found.append(
                (node.lineno, "bulk_create")
            )  # the model handed to a helper, as in bench's _bulk(Channel, rows)
    return sorted(found)


def bumps_the_version(source):
    return any(
        isinstance(node, ast.Call) and _chain(node.func) == ["bump", "versioning"]
        for node in ast.walk(ast.parse(source))
    )


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            yield relative.as_posix(), path.read_text(encoding="utf-8")


def _writes_outside_the_services():
    return {
        (module, line, kind)
        for module, source in _modules()
        if module != SERVICES
        for line, kind in channel_writes(source)
    }


# --- The code ------------------------------------------------------------------------------------------------


def test_channels_are_written_only_by_the_registry_services():
    stray = sorted(finding for finding in _writes_outside_the_services() if finding[::2] not in ALLOWED)
    assert not stray, (
        "A Channel is written outside channels/services.py; call a service there (create_channel, update_channel, "
        f"change_status, record_review...) or extend one: {stray}"
    )


def test_the_allow_list_has_no_stale_entries():
    used = {(module, kind) for module, _line, kind in _writes_outside_the_services()}
    assert used >= ALLOWED, f"allowed but no longer done, remove from ALLOWED: {sorted(ALLOWED - used)}"


def test_a_silent_write_bumps_the_version():
    sources = dict(_modules())
    for module, kind in ALLOWED:
        if kind in SILENT:
            assert bumps_the_version(sources[module]), f"{module} writes channels with {kind} but never bumps"


def test_every_app_is_read():
    assert {"core", "channels", "guideline", "approvals", "somegov"} <= set(APPS)


def test_the_services_themselves_are_seen_writing():
    # The check reads the services as it reads everything else; only the verdict exempts them.
    kinds = {kind for _line, kind in channel_writes((ROOT / SERVICES).read_text(encoding="utf-8"))}
    assert {"construct", "save"} <= kinds


SAMPLE = """
from channels import models
from channels.models import Channel

def writes(review, pk, rows):
    Channel(name="built")
    models.Channel(name="built too")
    Channel.objects.create(name="created")
    Channel.objects.bulk_create(rows)
    Channel.objects.filter(pk=pk).update(name="updated")
    channel = Channel.objects.get(pk=pk)
    channel.save()
    review.channel.save(update_fields=["name"])
    found = Channel.objects.filter(pk=pk)
    first = found.first()
    first.delete()
    for each in Channel.objects.all():
        each.save()
    _bulk(Channel, rows)

def reads_and_other_writes(review, context):
    context.update(a=1)
    review.save()
    Channel.objects.filter(name="x").exists()
    channel_count = Channel.objects.count()
"""


def test_the_check_finds_every_way_of_writing_a_channel():
    assert channel_writes(SAMPLE) == [
        (6, "construct"),
        (7, "construct"),
        (8, "create"),
        (9, "bulk_create"),
        (10, "update"),
        (12, "save"),
        (13, "save"),
        (16, "delete"),
        (18, "save"),
        (19, "bulk_create"),
    ]
    assert not bumps_the_version(SAMPLE)
    assert bumps_the_version("from channels import versioning\nversioning.bump()\n")


# --- The paths that used to write past the services -----------------------------------------------------------


def counter():
    versioning.current()  # recreates the row a transactional test's flush removed
    return RegistryVersion.objects.get().counter


def _spy(monkeypatch, name):
    """Record the calls of ``channels.services.<name>`` while still calling it."""
    calls, real = [], getattr(services, name)

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, name, spy)
    return calls


@pytest.mark.django_db
def test_approving_creates_the_channel_through_the_registry_service(org, monkeypatch):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED, address="@kirjasto.kirjoitus")
    calls, before = _spy(monkeypatch, "create_channel"), counter()
    area_head = org.users["area_head"]
    decided = proposal_services.approve(proposal, actor=area_head, responsible_person=org.person("staff"), goals="T")
    assert len(calls) == 1
    _args, kwargs = calls[0]
    assert (kwargs["status"], kwargs["decision_reference"], kwargs["actor"], kwargs["responsible_person"]) == (
        ChannelStatus.APPROVED,
        f"SOMEGOV-{proposal.pk}",
        area_head,
        org.person("staff"),
    )
    assert [person for person, _role, _hours in kwargs["maintainers"]] == [
        org.person("staff"),
        org.person("supervisor"),
    ]
    channel = decided.channel
    assert channel.rights.count() == 2
    # One history row, by the decider, naming the proposal; and the public registry sees the new channel.
    record = channel.history.get()
    assert (record.history_type, record.history_user) == ("+", area_head)
    assert f"SOMEGOV-{proposal.pk}" in record.history_change_reason
    assert counter() > before


@pytest.mark.django_db
def test_finishing_a_review_records_it_through_the_registry_service(org, monkeypatch):
    channel = make_channel(org.unit, responsible_person=org.people["staff"])
    staff = org.users["staff"]
    review = review_services.start_review(channel, actor=staff)
    answers = {rule.code: ("met", "") for rule in review_services.rules_to_answer(channel)}
    review_services.answer_rules(review, answers, actor=staff)
    calls, before = _spy(monkeypatch, "record_review"), counter()
    on = datetime.date(2026, 3, 10)
    review = review_services.submit_review(review, actor=staff, on=on)
    assert [(args[0].pk, args[1], kwargs["actor"]) for args, kwargs in calls] == [(channel.pk, on, staff)]
    channel.refresh_from_db()
    assert (channel.last_reviewed_on, channel.next_review_on) == (on, review.next_review_on)
    record = channel.history.first()
    assert (record.history_user, record.history_change_reason) == (staff, "Määräaikaiskatselmointi lähetetty")
    assert counter() > before


@pytest.mark.django_db
def test_recording_a_review_writes_only_the_review_dates(org):
    channel = make_channel(org.unit, review_interval_months=6)
    stale = Channel.objects.get(pk=channel.pk)
    channel.name = "Nimi muutettiin välillä"
    services.update_channel(channel, actor=org.users["ict_secretary"])
    before = counter()
    saved = services.record_review(stale, datetime.date(2026, 1, 31), actor=org.users["staff"], reason="Katselmoitu")
    saved.refresh_from_db()
    assert (saved.name, saved.last_reviewed_on, saved.next_review_on) == (
        "Nimi muutettiin välillä",
        datetime.date(2026, 1, 31),
        datetime.date(2026, 7, 31),
    )
    assert saved.history.first().history_user == org.users["staff"]
    assert counter() > before


@pytest.mark.django_db
def test_recording_a_review_needs_a_reason(org):
    channel = make_channel(org.unit)
    with pytest.raises(services.RegistryError):
        services.record_review(channel, datetime.date(2026, 1, 31), actor=org.users["staff"], reason="  ")


@pytest.mark.django_db
def test_a_channel_is_created_from_an_instance_or_from_fields_not_both(org):
    channel = make_channel(org.unit)
    fields = {"platform": channel.platform, "name": "Kaksi tapaa", "owner_unit": org.unit}
    with pytest.raises(TypeError):
        services.create_channel(Channel(**fields), actor=None, **fields)
    created = services.create_channel(actor=None, status=ChannelStatus.PROPOSED, **fields)
    assert (created.pk is not None, created.name, created.status) == (True, "Kaksi tapaa", ChannelStatus.PROPOSED)
