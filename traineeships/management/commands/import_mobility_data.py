from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mobility.management.base import TimelineCommand
from traineeships.services.bm_data import FIELDS, mobility_data_import


class Command(TimelineCommand):
    help = ("The data the EU report needs beyond the call files, one row per student: student_number, "
            + ", ".join(FIELDS) + ". Empty cells change nothing; a file with any bad row changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("file")
        super().add_arguments(parser)

    def handle(self, *args, call_code, file, **options):
        self.instant(options)
        call = self.call_get(call_code)
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("%(file)s: cannot be read as UTF-8 text (%(error)s)") % {"file": file, "error": exc}) from None
        try:
            count = mobility_data_import(call=call, text=text)
        except ValueError as exc:
            lines = exc.args[0]
            for line in lines[:-1]:
                self.stderr.write(line)
            raise CommandError(lines[-1]) from None
        self.stdout.write(_("%(code)s: reporting data of %(count)s mobilities saved") % {"code": call.code, "count": count})
