from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.services import TableImportError, applications_import
from applications.tabular import TableReadError, read_table
from mobility.models import Call


class TableImportCommand(BaseCommand):
    """`CALL_CODE FILE`: read a CSV or XLSX file and import it with `service`, all or nothing."""

    service = None
    noun = ""

    def add_arguments(self, parser):
        parser.add_argument("call_code", help="code of the call, e.g. UZEM-2022-SMT-1")
        parser.add_argument("file", help="the file, .csv (UTF-8) or .xlsx, as in the selection-files contract")

    def handle(self, *args, call_code, file, **options):
        call = Call.objects.filter(code=call_code).first()
        if call is None:
            raise CommandError(_("unknown call code “%(code)s”") % {"code": call_code})
        try:
            headers, rows = read_table(file)
        except TableReadError as exc:
            raise CommandError(f"{file}: {exc}")
        try:
            report = type(self).service(call=call, rows=rows, headers=headers)
        except TableImportError as exc:
            lines = exc.lines()
            for line in lines:
                self.stderr.write(line)
            raise CommandError(_("%(file)s: %(count)s bad row(s); nothing was saved") % {"file": file, "count": len(lines)})
        except DatabaseError as exc:
            # The checks should have caught it; still one line, and the transaction rolled back.
            raise CommandError(_("%(file)s: the database refused the import (%(error)s); nothing was saved") % {
                "file": file, "error": (str(exc).splitlines() or [type(exc).__name__])[0]})
        self.stdout.write(_("%(call)s: %(total)s %(noun)s imported (%(summary)s)") % {
            "call": call.code, "total": len(report.rows), "noun": self.noun, "summary": report.summary()})


class Command(TableImportCommand):
    help = "Import the applicant file of a call (CSV or XLSX): creates or updates one application per row."
    service = staticmethod(applications_import)
    noun = gettext_lazy("applications")
