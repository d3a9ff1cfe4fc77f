"""Daily job: e-mail each person what is theirs to do (reviews, decisions, authorisations, rights).

Run once a day from cron (``docs/operations.md#scheduled-jobs``). Safe to run again or twice at once: a
reminder already sent today is not sent again.
"""

from django.core.management.base import BaseCommand

from approvals.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail today's reminders: reviews due, proposals awaiting a decision, authorisations ending, rights to revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        items, grouped, skipped = send_reminders(dry_run=dry_run)
        if dry_run:
            for recipient, own in grouped.items():
                for item in own:
                    self.stdout.write(f"{recipient}\t{item.kind}\t{item.key}\t{item.text}")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"send_reminders: {verb} {len(items)} reminder(s) in {len(grouped)} e-mail(s); "
            f"{skipped} already sent today."
        )
