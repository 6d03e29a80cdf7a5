import json
import sys

from django.core.management.base import BaseCommand, CommandError

from mobility.services.callfile import CallFileError
from mobility.services.calls import call_load


class Command(BaseCommand):
    help = "Create a call from a call file (JSON), or update it while nothing is published for it."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the call file, JSON as in the selection-files contract; - for standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8-sig") as handle:
                    data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}")
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        try:
            call, created = call_load(data=data)
        except CallFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{file}: {len(exc.errors)} error(s); nothing was saved")
        verb = "created" if created else "updated"
        self.stdout.write(f"Call {call.code} {verb}: {call.call_departments.count()} departments, {call.places} primary places.")
