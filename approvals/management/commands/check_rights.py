import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from approvals.authorisation_services import basis_problems, rights_without_basis
from approvals.models.authorisations import channel_label


class Command(BaseCommand):
    help = (
        "List the current update rights without basis (holder left, no valid supervisor authorisation covering "
        "the channel, or no recorded commitment): one line each and a one-line summary. Exits 0: the list is a "
        "report for the ICT secretary, not a failure. Run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Check as on this day (YYYY-MM-DD); default today in Europe/Helsinki.")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        else:
            on = timezone.localdate()
        count = 0
        for right in rights_without_basis(on):
            count += 1
            problems = " ".join(basis_problems(right, on))
            self.stdout.write(
                f"{on.isoformat()}\t#{right.pk}\t{right.person.full_name}\t{channel_label(right.channel)}"
                f"\t{right.get_role_display()}\t{problems}"
            )
        summary = ngettext(
            "%(count)d update right without basis on %(date)s.",
            "%(count)d update rights without basis on %(date)s.",
            count,
        ) % {"count": count, "date": on.isoformat()}
        self.stdout.write(self.style.WARNING(summary) if count else self.style.SUCCESS(summary))
