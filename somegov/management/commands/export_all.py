from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.audit import record
from core.models import AuditAction
from somegov import backup


class Command(BaseCommand):
    help = (
        "Export all of the portal's data (logins, roles, registry, history, audit log...) as JSON into FILE "
        "(default somegov-export-<time>.json; .json.gz/.bz2/.xz compress). Sessions, content types, "
        "permissions and log-in attempt counters are left out. Restore with restore_all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The file to write (readable by its owner only).")
        parser.add_argument("--database", default="default", help="The database to export (default: default).")

    def handle(self, *args, file=None, database="default", **options):
        path = file or f"somegov-export-{timezone.localtime():%Y%m%d-%H%M%S}.json"
        try:
            counts = backup.export_all(path, using=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        objects, models = sum(counts.values()), sum(1 for count in counts.values() if count)
        summary = f"Exported {objects} objects of {models} models to {path}."
        record(None, AuditAction.EXPORT, detail=f"export_all: {summary}")
        self.stdout.write(summary)
