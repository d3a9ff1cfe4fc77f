"""``manage.py load_guideline``: load the bundled guideline, or import an organisation's own as a draft.

    manage.py load_guideline suomussalmi-2016
    manage.py load_guideline --markdown ohje.md --title "Esimerkkilän sosiaalisen median ohje" --label "Luonnos"
    manage.py load_guideline --docx ohje.docx --title "…"

The bundled guideline becomes the version in force (with its English reading aid); loading it again
changes nothing. An imported file becomes a draft, which the ICT secretary edits and publishes in the
portal (Ohje → Versiot). Everything happens in one transaction.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.audit import record
from core.models import AuditAction
from guideline import loading
from guideline.models import GuidelineSection, GuidelineVersion


class Command(BaseCommand):
    help = (
        "Load a bundled guideline (e.g. suomussalmi-2016) as the version in force, or import an organisation's "
        "own guideline from a Markdown (--markdown) or Word (--docx) file as a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help=f"A bundled guideline: {', '.join(sorted(loading.BUNDLED))}.")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--markdown", metavar="FILE", help="Import a Markdown file as a draft.")
        source.add_argument("--docx", metavar="FILE", help="Import a Word (.docx) file as a draft.")
        parser.add_argument("--title", default="", help="The guideline's title (default: the file's own title).")
        parser.add_argument("--label", default="", help="How the version is known, e.g. “Luonnos 1.3.2027”.")

    def handle(self, *args, name=None, markdown=None, docx=None, title="", label="", **options):
        path = markdown or docx
        if bool(name) == bool(path):
            raise CommandError(
                "Give either a bundled guideline's name "
                f"({', '.join(sorted(loading.BUNDLED))}) or --markdown FILE or --docx FILE."
            )
        try:
            with transaction.atomic():
                if name:
                    self._load_bundled(name)
                else:
                    self._import(Path(path), is_docx=bool(docx), title=title, label=label)
        except loading.ImportRefused as error:
            raise CommandError(" ".join(error.messages)) from error

    def _load_bundled(self, name):
        version, created = loading.load_bundled(GuidelineVersion, GuidelineSection, name)
        if not created:
            self.stdout.write(f"The guideline “{version}” ({name}) is loaded already; nothing was changed.")
            return
        record(None, AuditAction.IMPORT, version, detail=f"load_guideline {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded “{version}” ({name}) as the guideline in force, with "
                f"{version.sections.count()} sections and {version.translations.count()} reading aid(s)."
            )
        )

    def _import(self, path, *, is_docx, title, label):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        if len(data) > loading.MAX_UPLOAD_BYTES * 10:
            raise CommandError(f"{path} is larger than {loading.MAX_UPLOAD_BYTES * 10 // (1024 * 1024)} MB.")
        if is_docx:
            parsed = loading.sections_from_markdown(loading.markdown_from_docx(data))
        else:
            parsed = loading.sections_from_markdown(loading.decode_markdown(data))
        draft = loading.create_draft(GuidelineVersion, GuidelineSection, parsed, title=title, label=label)
        record(None, AuditAction.IMPORT, draft, detail=f"load_guideline: {path.name}, {len(parsed.sections)} sections")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{draft}” from {path.name} as a draft with {len(parsed.sections)} sections. "
                "The ICT secretary edits and publishes it in the portal: Ohje → Versiot → the draft."
            )
        )
