from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.roles import ROLE_DUTIES, Role
from somegov import demo


class Command(BaseCommand):
    help = (
        "Load the demo data (units, people, one login per role): Suomussalmi's, or with --organisation esimerkkila "
        "the invented, bilingual City of Esimerkkilä's. Safe to run twice; DEBUG only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print only the one-line summary.")
        parser.add_argument(
            "--organisation",
            choices=sorted(demo.ORGANISATIONS),
            default=demo.SUOMUSSALMI.key,
            help="Whose demo (default: suomussalmi). A database holds one demo: the other is refused.",
        )

    def handle(self, *args, quiet=False, organisation=demo.SUOMUSSALMI.key, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo refuses to run when DEBUG is off: demo logins have a published password.")
        spec = demo.ORGANISATIONS[organisation]
        try:
            demo.load_all(spec)
        except demo.DemoConflict as error:
            raise CommandError(str(error)) from error
        if not quiet:
            self.stdout.write(f"Demo users (password for all: {demo.DEMO_PASSWORD}):")
            for username, first, last, title, unit, _boss, roles in spec.users:
                labels = ", ".join(str(Role(role).label) for role in roles)
                self.stdout.write(f"  {username:<18} {first} {last}, {title}, {unit} – {labels}")
                for role in roles:
                    self.stdout.write(f"  {'':<18}   {ROLE_DUTIES[role]}")
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(spec.users)} demo users ({spec.record['name']})."))
