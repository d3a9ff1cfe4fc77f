from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from core.audit import record
from core.models import AuditAction
from somegov import retention


class Command(BaseCommand):
    help = (
        "Apply the retention periods of the privacy notice: anonymise the people who left the municipality's "
        "service more than RETENTION_LEFT_STAFF_YEARS ago (skipping, and listing, those who still have a duty in "
        "the registry) and delete accessibility feedback answered more than RETENTION_FEEDBACK_YEARS ago. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only print what would be done; change nothing.")

    @no_translations  # the operator's output and the audit log entry are in English, as purge_audit_log's
    def handle(self, *args, dry_run=False, **options):
        for name in ("RETENTION_LEFT_STAFF_YEARS", "RETENTION_FEEDBACK_YEARS"):
            if getattr(settings, name) < 1:
                raise CommandError(f"{name} must be at least one year.")
        left_before = retention.left_staff_cutoff().isoformat()
        answered_before = retention.feedback_cutoff().isoformat()
        due, skipped = [], 0
        for person in retention.people_past_retention():
            duties = retention.duties_of(person)
            if duties:
                skipped += 1
                self._report_skipped(person, duties, dry_run)
            else:
                due.append(person)

        if dry_run:
            numbers = f" ({', '.join(f'#{person.pk}' for person in due)})" if due else ""
            feedback = retention.feedback_past_retention().count()
            self.stdout.write(
                f"Would anonymise {len(due)} people who left before {left_before}{numbers}; would skip {skipped} "
                f"with duties in the registry. Would delete {feedback} accessibility feedback answered before "
                f"{answered_before}."
            )
            return

        anonymised, failed = 0, []
        for person in due:
            try:
                done = retention.anonymise_person(person)
            except retention.PersonHasDuties as exc:  # given a duty after the list was read
                skipped += 1
                self._report_skipped(person, exc.duties, dry_run)
            except retention.RetentionError:  # the leaving date was changed after the list was read
                continue
            except Exception as exc:  # one person's failure must not keep the others' data past retention
                failed.append(person.pk)
                self.stderr.write(f"Could not anonymise person #{person.pk}: {exc!r}")
            else:
                anonymised += done is not None
        feedback = retention.delete_feedback_past_retention()

        # Counts and dates only: the audit log gets no personal data from this.
        summary = (
            f"Anonymised {anonymised} people who left before {left_before}; skipped {skipped} with duties in the "
            f"registry{f'; failed {len(failed)}' if failed else ''}. Deleted {feedback} accessibility feedback "
            f"answered before {answered_before}."
        )
        record(None, AuditAction.PURGE, detail=summary)
        self.stdout.write(summary)
        if failed:
            raise CommandError(f"Could not anonymise {len(failed)} people: {', '.join(f'#{pk}' for pk in failed)}.")

    def _report_skipped(self, person, duties, dry_run):
        # The number, not the name: the output goes to the operator's mail; the registry has the rest.
        verb = "Would skip" if dry_run else "Skipped"
        self.stdout.write(
            f"{verb} person #{person.pk}, who left on {person.left_on.isoformat()} but still "
            f"{'; '.join(str(duty) for duty in duties)}: fix this in the registry first."
        )
