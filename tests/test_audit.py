"""The use log: log-ins and failures are recorded, only the ICT secretary reads it, old entries are purged."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.audit import record
from core.models import AuditAction, AuditEvent, AuditResult
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_actor_and_address(client, org):
    client.post(reverse("login"), {"username": "tyontekija", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    entry = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == org.users["staff"] and entry.actor_name == "tyontekija"
    assert entry.ip_address == "10.1.2.3" and entry.result == AuditResult.SUCCESS


def test_a_failed_login_is_recorded_without_the_password(client, org):
    client.post(reverse("login"), {"username": "tyontekija", "password": "salainen-yritys"})
    entry = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.result == AuditResult.FAILURE and entry.object_repr == "tyontekija"
    assert "salainen-yritys" not in f"{entry.detail} {entry.object_repr}"


def test_a_logout_is_recorded(client_for):
    client = client_for("staff")
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_name="tyontekija").exists()


def test_record_names_the_object(org):
    person = org.person("staff")
    entry = record(None, AuditAction.VIEW_PERSON, person, actor=org.users["ict_secretary"])
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("channels.Person", str(person.pk), "Teemu Tervo")


@pytest.mark.parametrize(
    ("role", "status"),
    [("ict_secretary", 200), ("staff", 302), ("supervisor", 302), ("municipal_manager", 302), ("outsider", 302)],
)
def test_only_the_ict_secretary_reads_the_log(client_for, role, status):
    # The admin sends everyone else to its login page; nobody but the ICT secretary is staff.
    response = client_for(role).get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == status


def test_nobody_edits_or_deletes_log_entries(client_for, org):
    entry = record(None, AuditAction.EXPORT, org.person("staff"), actor=org.users["ict_secretary"])
    client = client_for("ict_secretary")
    assert client.get(reverse("admin:core_auditevent_delete", args=[entry.pk])).status_code == 403
    client.post(reverse("admin:core_auditevent_change", args=[entry.pk]), {"detail": "muutettu"})
    entry.refresh_from_db()
    assert entry.detail == ""


def test_purge_deletes_only_entries_past_retention(settings, org):
    settings.AUDIT_RETENTION_DAYS = 730
    old = record(None, AuditAction.LOGIN, actor=org.users["staff"])
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=731))
    recent = record(None, AuditAction.LOGIN, actor=org.users["staff"])
    AuditEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - datetime.timedelta(days=729))
    call_command("purge_audit_log")
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PURGE, detail__startswith="1 entries").exists()


def test_purge_deletes_the_admin_change_log_past_retention_too(settings, org):
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    settings.AUDIT_RETENTION_DAYS = 730
    person_type = ContentType.objects.get_for_model(org.person("staff"))

    def entry(days_ago):
        made = LogEntry.objects.create(
            user=org.users["ict_secretary"],
            content_type=person_type,
            object_id=str(org.person("staff").pk),
            object_repr="Teemu Työntekijä",
            action_flag=ADDITION,
        )
        LogEntry.objects.filter(pk=made.pk).update(action_time=timezone.now() - datetime.timedelta(days=days_ago))
        return made

    old, recent = entry(731), entry(729)
    call_command("purge_audit_log")
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.filter(pk=recent.pk).exists()


def test_purge_dry_run_changes_nothing(org, capsys):
    old = record(None, AuditAction.LOGIN, actor=org.users["staff"])
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=1000))
    call_command("purge_audit_log", "--dry-run")
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    assert "Would delete 1" in capsys.readouterr().out
