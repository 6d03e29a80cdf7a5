import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(f"{file}: {exc.strerror}")  # the OS words it already
        except json.JSONDecodeError as exc:
            raise CommandError(_("%(file)s: not valid JSON (line %(line)s, column %(column)s: %(error)s)") % {"file": file, "line": exc.lineno, "column": exc.colno, "error": exc.msg})
        try:
            call, created = call_load(data=data)
        except CallFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(_("%(file)s: %(count)s error(s); nothing was saved") % {"file": file, "count": len(exc.errors)})
        message = _("Call %(code)s created: %(departments)s departments, %(places)s primary places.") if created else _(
            "Call %(code)s updated: %(departments)s departments, %(places)s primary places."
        )
        self.stdout.write(message % {"code": call.code, "departments": call.call_departments.count(), "places": call.places})
