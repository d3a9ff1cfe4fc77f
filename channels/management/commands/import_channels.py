from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from channels.transfer import importing, reading


class Command(BaseCommand):
    help = (
        "Import channels from the ICT secretary's spreadsheet (CSV or XLSX, the columns of the portal's import page). "
        "Prints every error by row and column; saves nothing unless the whole file is valid, and nothing at all "
        "with --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be added or changed.")
        parser.add_argument("--user", help="Username recorded as the one who imported (default: nobody).")

    def handle(self, path, dry_run=False, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        file = Path(path)
        try:
            table = reading.read_table(file.name, file.read_bytes())
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            plan = importing.plan_import(table) if dry_run else importing.apply_import(table, actor=actor)
        except importing.ImportRefused as exc:
            plan = exc.plan
        for message in plan.file_errors:
            self.stderr.write(f"file: {message}")
        for row in plan.rows:
            for column, message in row.errors:
                self.stderr.write(f"row {row.number}, {column or '-'}: {message}")
            if not dry_run or row.action == "error":
                continue
            for change in row.changes:
                self.stdout.write(f"row {row.number} ({row.action}) {change.label}: {change.old} -> {change.new}")
        if plan.has_errors:
            raise CommandError(f"{plan.error_count} errors: nothing was saved.")
        if dry_run:
            summary = f"Import checked: would add {plan.created}, would change {plan.changed}"
        else:
            summary = f"Import done: added {plan.created}, changed {plan.changed}"
        self.stdout.write(self.style.SUCCESS(f"{summary}, unchanged {plan.unchanged}."))
