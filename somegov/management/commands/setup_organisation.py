"""``manage.py setup_organisation``: set up a new install without prompts (see docs/operations.md).

    manage.py setup_organisation --file setup.toml --password-env FIRST_PASSWORD
    manage.py setup_organisation --name "Esimerkkilän kaupunki" --genitive "Esimerkkilän kaupungin" \\
        --units yksikot.csv --platforms facebook,instagram --guideline suomussalmi-2016 \\
        --secretary-username ict --secretary-email ict@esimerkkila.fi \\
        --secretary-first-name Iida --secretary-last-name Sihteeri

Options override the file. Everything happens in one transaction: on any error nothing is changed.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from somegov import setup

ORGANISATION_OPTIONS = {
    "name": "name",
    "genitive": "name_genitive",
    "name_sv": "name_sv",
    "name_en": "name_en",
    "short_name": "short_name",
    "website": "website",
}
SECRETARY_OPTIONS = {
    "secretary_username": "username",
    "secretary_email": "email",
    "secretary_first_name": "first_name",
    "secretary_last_name": "last_name",
}


class Command(BaseCommand):
    help = (
        "Set up a new install without prompts: the organisation, the first ICT secretary, the units (CSV/XLSX), "
        "the platforms in use and the guideline, from options or a TOML file (docs/setup-example.toml). "
        "Each step is idempotent; on any error nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="TOML", help="A set-up file (see docs/setup-example.toml).")
        group = parser.add_argument_group("the organisation")
        group.add_argument("--name", help="The name, in Finnish: “Esimerkkilän kaupunki”.")
        group.add_argument("--genitive", help="The name in the genitive: “Esimerkkilän kaupungin”.")
        group.add_argument("--name-sv", help="The name in Swedish.")
        group.add_argument("--name-en", help="The name in English.")
        group.add_argument("--short-name", help="A short name: “Esimerkkilä”.")
        group.add_argument("--website", help="The organisation's website (https://...).")
        group = parser.add_argument_group("the first ICT secretary")
        group.add_argument("--secretary-username")
        group.add_argument("--secretary-email")
        group.add_argument("--secretary-first-name")
        group.add_argument("--secretary-last-name")
        group.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Take the ICT secretary's password from this environment variable. Without it a new login gets "
            "a one-time link for setting its password.",
        )
        parser.add_argument("--units", metavar="FILE", help="The units as a CSV or XLSX file (docs/units-example.csv).")
        parser.add_argument("--platforms", metavar="SLUGS", help="The platforms in use, comma-separated slugs.")
        parser.add_argument("--guideline", help="A bundled guideline (suomussalmi-2016) or a .md/.docx file.")

    def handle(self, *args, **options):
        # Messages of the shared rules (the units file's rows, the password validators) in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                plan = self._plan(options)
                with transaction.atomic():
                    result = setup.run(plan)
            except setup.SetupError as error:
                raise CommandError(f"{error}\nNothing was changed.") from error
        for line in result.lines:
            self.stdout.write(line)
        if result.password_link:
            self.stdout.write(
                "The ICT secretary has no password yet. Send them this one-time link for setting it "
                f"(valid for {settings.PASSWORD_RESET_TIMEOUT // 3600} hours):\n{result.password_link}"
            )
        self.stdout.write(self.style.SUCCESS(f"Set-up done: {len(result.lines)} step(s)."))

    def _plan(self, options):
        plan = setup.read_file(options["file"]) if options["file"] else setup.Plan()
        for option, field in ORGANISATION_OPTIONS.items():
            if options[option] is not None:
                plan.organisation[field] = options[option].strip()
        for option, key in SECRETARY_OPTIONS.items():
            if options[option] is not None:
                plan.secretary[key] = options[option].strip()
        if options["units"]:
            plan.units = setup.Path(options["units"]).resolve()
        if options["platforms"] is not None:
            plan.platforms = options["platforms"].split(",")
        if options["guideline"]:
            name = options["guideline"].strip()
            # A path on the command line is relative to the working folder (the file's, to the file's folder).
            plan.guideline = name if name in setup.loading.BUNDLED else str(setup.Path(name).resolve())
        if options["password_env"]:
            variable = options["password_env"]
            password = os.environ.get(variable)
            if not password:
                raise setup.SetupError(f"The environment variable {variable} (--password-env) is not set or empty.")
            plan.password = password
        return plan
