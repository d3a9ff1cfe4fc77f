import datetime

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.audit import record
from core.models import AuditAction, AuditEvent


class Command(BaseCommand):
    help = (
        "Delete audit log entries, and the admin's change log entries, older than the retention period "
        "(AUDIT_RETENTION_DAYS, default 730). Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention period in days.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        old = AuditEvent.objects.older_than(days)
        # The admin's own change log names the objects it changed (people's names too): the same period.
        old_admin = LogEntry.objects.filter(action_time__lt=timezone.now() - datetime.timedelta(days=days))
        if dry_run:
            self.stdout.write(
                f"Would delete {old.count()} audit log entries and {old_admin.count()} admin log entries "
                f"older than {days} days."
            )
            return
        with transaction.atomic():
            deleted, _ = old.delete()
            admin_deleted, _ = old_admin.delete()
            record(None, AuditAction.PURGE, detail=f"{deleted} entries older than {days} days")
        self.stdout.write(
            f"Deleted {deleted} audit log entries and {admin_deleted} admin log entries older than {days} days."
        )
