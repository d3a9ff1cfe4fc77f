from django.core.management.base import BaseCommand, CommandError

from core.audit import record
from core.models import AuditAction
from somegov import backup


class Command(BaseCommand):
    help = (
        "Restore all data from FILE written by export_all into a fresh, migrated database (run migrate first). "
        "Refuses a database that is in use unless --force, which replaces everything in it. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export to restore (.json, .json.gz, .json.bz2, .json.xz).")
        parser.add_argument("--database", default="default", help="The database to restore into (default: default).")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data of a database in use. Everything in it is lost."
        )

    def handle(self, *args, file, database="default", force=False, **options):
        try:
            counts = backup.restore_all(file, using=database, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        objects, models = sum(counts.values()), sum(1 for count in counts.values() if count)
        summary = f"Restored {objects} objects of {models} models from {file}."
        record(None, AuditAction.IMPORT, detail=f"restore_all: {summary}")
        self.stdout.write(summary)
