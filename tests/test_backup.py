"""export_all and restore_all: every row of every model comes back exactly as it was."""

import datetime
import io
import json
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from approvals.models import Authorisation, AuthorisationScope, PolicyRule, ReminderSent
from channels.models import Channel, ChannelStatus, Person, Platform, Unit, UnitKind, UpdateRight
from core.audit import record
from core.models import AuditAction, AuditEvent
from guideline.models import GuidelineAcknowledgement, GuidelineVersion
from somegov import backup, demo
from somegov.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db


def _fill_every_model():
    """The demo plus rows the demo does not make: a channel, a revoked right, the logs.

    Rows are written with the models directly (not the services), so the test does not depend on
    the business rules of the day; django-simple-history still records every change.
    """
    demo.load_all()
    user = get_user_model().objects.get(username="ict-sihteeri")
    person = Person.objects.get(user__username="tyontekija")
    person.preferred_language = "en"  # not the default, so the round trip shows it comes back
    person.save()
    channel = Channel(
        platform=Platform.objects.get(slug="facebook"),
        name="Suomussalmen kirjasto",
        address="https://www.facebook.com/suomussalmenkirjasto/",
        owner_unit=Unit.objects.get(name="Kirjastopalvelut"),
        purposes=["information", "feedback"],
        goals="Kirjaston tapahtumat ja aukioloajat tutuiksi – ja palautetta 😊",
        responsible_person=person,
        status=ChannelStatus.ACTIVE,
        official_since=datetime.date(2024, 5, 2),
        next_review_on=datetime.date(2026, 5, 2),
    )
    channel.full_clean()
    channel.save()
    right = UpdateRight.objects.create(
        person=person, channel=channel, role="editor", weekly_hours=Decimal("2.5"), granted_by=user
    )
    right.revoked_at, right.revoked_by, right.revoke_reason = timezone.now(), user, "Siirtyi muihin tehtäviin"
    right.save()
    platform = Platform.objects.get(slug="tiktok")
    platform.is_active = False
    platform.save()  # a history row for a seeded platform
    Unit.objects.create(
        name="Suomussalmen Vesi Oy (demo)", kind=UnitKind.GROUP_ENTITY, parent=Unit.objects.get(parent=None)
    )
    event = record(None, AuditAction.VIEW_PERSON, person, actor=user, detail="näytti henkilön tiedot")
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)
    )
    LogEntry.objects.log_actions(user.pk, [channel], CHANGE, change_message="Muutti tavoitteita.", single_object=True)
    user.user_permissions.add(Permission.objects.get(codename="view_channel"))  # a link to a table left out
    # An authorisation for named channels (the demo's cover all channels), with its history of the link.
    named = Authorisation.objects.create(
        person=person,
        granted_by=Person.objects.get(user__username="esihenkilo"),
        scope=AuthorisationScope.NAMED_CHANNELS,
        valid_from=datetime.date(2026, 1, 1),
        recorded_by=user,
    )
    named.channels.add(channel)
    version = GuidelineVersion.objects.filter(status="published", is_translation=False).first()
    GuidelineAcknowledgement.objects.create(user=person.user, version=version)
    # A rule limited to one platform (the seeded rules apply to all), which also writes the rule's history.
    rule = PolicyRule.objects.order_by("pk").first()
    rule.platforms.add(Platform.objects.get(slug="facebook"))
    rule.save()
    ReminderSent.objects.create(
        recipient="tyontekija@suomussalmi.invalid",
        kind="review_due",
        object_key="channel:1",
        sent_on=datetime.date(2026, 11, 2),
    )
    AccessibilityFeedback.objects.create(
        message="Kuvalta puuttuu tekstivastine – äöå", due_on=datetime.date(2026, 12, 9), page_url="/kanavat/"
    )
    # A person anonymised after the retention period (purge_personal_data), so anonymised_on is not empty.
    Person.objects.create(
        first_name="Poistunut henkilö",
        last_name="#0",
        unit=Unit.objects.get(name="Kirjastopalvelut"),
        left_on=datetime.date(2023, 5, 31),
        anonymised_on=datetime.date(2025, 6, 1),
    )


def _snapshot():
    """Every row of every exported table, as field values; links to left-out tables by natural key."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or backup._excluded(model):
            continue
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.is_relation and backup._excluded(field.related_model) and value is not None:
                    value = field.related_model._base_manager.get(pk=value).natural_key()
                row[field.attname] = value
            if model._meta.auto_created:  # many-to-many links are re-created with new ids
                del row[model._meta.pk.attname]
            rows.append(row)
        tables[model._meta.label] = sorted(rows, key=repr) if model._meta.auto_created else rows
    return tables


@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_it_round_trips_every_row_of_every_model(tmp_path, suffix):
    _fill_every_model()
    before = _snapshot()
    empty = sorted(label for label, rows in before.items() if not rows)
    assert not empty, (
        f"no rows in {empty}: add them to the demo (somegov/demo.py load_all) or to _fill_every_model, "
        "so the round trip covers them"
    )
    path = tmp_path / f"export{suffix}"
    out = io.StringIO()
    call_command("export_all", str(path), stdout=out)
    assert out.getvalue().count("\n") == 1 and out.getvalue().startswith("Exported ")

    backup.flush()  # as good as a fresh database
    assert backup.data_in_use() == {}
    out = io.StringIO()
    call_command("restore_all", str(path), stdout=out)
    assert out.getvalue().startswith("Restored ")

    after = _snapshot()
    assert after.keys() == before.keys()
    # The restore itself is logged; apart from that one entry, everything is as it was.
    imported = after["core.AuditEvent"].pop()
    assert imported["action"] == AuditAction.IMPORT
    for label in before:
        assert after[label] == before[label], f"{label} differs after the round trip"
    assert AuditEvent.objects.get(action=AuditAction.VIEW_PERSON).at.microsecond == 123456
    assert Person.objects.get(user__username="tyontekija").preferred_language == "en"


def test_the_export_is_private_logged_and_leaves_out_what_needs_no_backup(tmp_path):
    _fill_every_model()
    path = tmp_path / "export.json"
    call_command("export_all", str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    labels = {row["model"] for row in json.loads(path.read_text(encoding="utf-8"))}
    assert {"auth.user", "channels.channel", "channels.historicalchannel", "core.auditevent"} <= labels
    assert not labels & {"sessions.session", "contenttypes.contenttype", "auth.permission", "axes.accessattempt"}
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_freshly_migrated_database_counts_as_empty():
    assert backup.data_in_use() == {}


def test_restore_refuses_a_database_in_use(tmp_path):
    _fill_every_model()
    path = tmp_path / "export.json"
    call_command("export_all", str(path), stdout=io.StringIO())
    Unit.objects.create(name="Uusi yksikkö", kind=UnitKind.AREA, parent=Unit.objects.get(parent=None))
    before = _snapshot()
    with pytest.raises(CommandError, match=r"not empty .*logins: 5.* --force"):
        call_command("restore_all", str(path), stdout=io.StringIO())
    assert _snapshot() == before


def test_restore_with_force_replaces_everything(tmp_path):
    _fill_every_model()
    path = tmp_path / "export.json"
    call_command("export_all", str(path), stdout=io.StringIO())
    Unit.objects.create(name="Uusi yksikkö", kind=UnitKind.AREA, parent=Unit.objects.get(parent=None))
    call_command("restore_all", str(path), "--force", stdout=io.StringIO())
    assert not Unit.objects.filter(name="Uusi yksikkö").exists()
    # New rows continue after the restored ids.
    unit = Unit.objects.create(name="Vielä uudempi", kind=UnitKind.AREA, parent=Unit.objects.get(parent=None))
    assert unit.pk > max(Unit.objects.exclude(pk=unit.pk).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("content", "name"),
    [('[{"model": "channels.unit", "pk": 1, "fields": {"na', "export.json"), ("[]", "export.txt")],
    ids=["broken file", "wrong name"],
)
def test_a_broken_or_foreign_file_changes_nothing(tmp_path, content, name):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    backup.flush()
    before = _snapshot()
    with pytest.raises(CommandError):
        call_command("restore_all", str(path), stdout=io.StringIO())
    assert _snapshot() == before


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore_all", str(tmp_path / "puuttuu.json"))


# --- An export made before the guideline and the audit log moved to their own apps ------------------------------

# Written by `manage.py export_all` of the portal as it was before the move (commit d911b4e), after `load_demo`,
# one guideline acknowledgement and one log-in in the audit log: its rows name "guideline.guidelineversion" and
# "core.auditevent", and the ICT secretary's permissions name them by natural key.
EXPORT_BEFORE_THE_MOVE = Path(__file__).parent / "data" / "export_before_guideline_app.json"


def test_an_export_made_before_the_guideline_app_restores():
    counts = backup.restore_all(EXPORT_BEFORE_THE_MOVE, force=True)
    assert counts["guideline.GuidelineVersion"] == 2
    assert counts["guideline.GuidelineSection"] == 20
    assert counts["guideline.GuidelineAcknowledgement"] == 1
    assert counts["core.AuditEvent"] == 1  # the log-in (the export is logged after it is written)
    acknowledgement = GuidelineAcknowledgement.objects.get()
    assert acknowledgement.version.sections.count() == 10 and acknowledgement.user.person is not None
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=acknowledgement.user).exists()
    # The ICT secretary keeps the admin's rights on the moved models.
    ict = get_user_model().objects.get(username="ict-sihteeri")
    assert ict.has_perm("guideline.view_guidelineversion") and ict.has_perm("core.view_auditevent")
    rows = json.loads(EXPORT_BEFORE_THE_MOVE.read_text())
    assert Channel.objects.count() == sum(row["model"] == "channels.channel" for row in rows) > 0
