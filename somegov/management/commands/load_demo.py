from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.roles import ROLE_DUTIES, Role
from somegov import demo


class Command(BaseCommand):
    help = "Load the Suomussalmi demo data (units, people, one login per role). Safe to run twice; DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print only the one-line summary.")

    def handle(self, *args, quiet=False, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo refuses to run when DEBUG is off: demo logins have a published password.")
        demo.load_all()
        if not quiet:
            self.stdout.write(f"Demo users (password for all: {demo.DEMO_PASSWORD}):")
            for username, first, last, title, unit, _boss, roles in demo.DEMO_USERS:
                labels = ", ".join(str(Role(role).label) for role in roles)
                self.stdout.write(f"  {username:<18} {first} {last}, {title}, {unit} – {labels}")
                for role in roles:
                    self.stdout.write(f"  {'':<18}   {ROLE_DUTIES[role]}")
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(demo.DEMO_USERS)} demo users."))
