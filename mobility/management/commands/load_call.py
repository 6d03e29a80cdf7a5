import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from mobility.services.callfile import CallFileError
from mobility.services.calls import call_load

# A call file is a few kilobytes; anything much larger is the wrong file.
MAX_FILE_BYTES = 1_000_000


def call_file_read(raw: bytes, *, name: str) -> object:
    """The JSON of a call file, or CommandError with one line saying what is wrong with the file."""
    if len(raw) > MAX_FILE_BYTES:
        raise CommandError(_("%(file)s: the file is larger than %(size)s bytes; a call file is a few kilobytes") % {
            "file": name, "size": MAX_FILE_BYTES})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CommandError(_("%(file)s: the file is not UTF-8 text (line %(line)s); save it as UTF-8") % {
            "file": name, "line": line}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(_("%(file)s: not valid JSON (line %(line)s, column %(column)s: %(error)s)") % {
            "file": name, "line": exc.lineno, "column": exc.colno, "error": exc.msg}) from None
    except RecursionError:
        raise CommandError(_("%(file)s: the JSON is nested too deeply to be a call file") % {"file": name}) from None
    except ValueError:
        # Python refuses integers of thousands of digits (int_max_str_digits).
        raise CommandError(_("%(file)s: the file holds a number too long to be read") % {"file": name}) from None


class Command(BaseCommand):
    help = "Create a call from a call file (JSON), or update it while nothing is published for it."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the call file, JSON as in the selection-files contract; - for standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            else:
                with open(file, "rb") as handle:
                    raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}")  # the OS words it already
        data = call_file_read(raw, name=file)
        try:
            call, created = call_load(data=data)
        except CallFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(_("%(file)s: %(count)s error(s); nothing was saved") % {"file": file, "count": len(exc.errors)})
        except ValidationError as exc:
            errors = [f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages]
            for error in errors:
                self.stderr.write(error)
            raise CommandError(_("%(file)s: %(count)s error(s); nothing was saved") % {"file": file, "count": len(errors)})
        except DatabaseError as exc:
            # Validation should have caught it; still one line, and the transaction rolled back.
            raise CommandError(_("%(file)s: the database refused the call (%(error)s); nothing was saved") % {
                "file": file, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__})
        message = _("Call %(code)s created: %(departments)s departments, %(places)s primary places.") if created else _(
            "Call %(code)s updated: %(departments)s departments, %(places)s primary places."
        )
        self.stdout.write(message % {"code": call.code, "departments": call.call_departments.count(), "places": call.places})
