from django.core.management.base import BaseCommand
from django.utils import translation

from portal.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load a demo call (open today) with demo applicants and one account per role. Safe to run again."

    def handle(self, *args, **options):
        call, logins = demo_load()
        with translation.override("en"):
            self.stdout.write(f"Demo call {call.code}: {call.applications.count()} applications, {call.places} primary places.")
            self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
            for role, email in logins:
                self.stdout.write(f"  {role:<24} {email}")
