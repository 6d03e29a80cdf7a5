from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from applications.tabular import TableReadError, read_table
from letters.services import PlacementError
from letters.services.letters import letters_import
from mobility.management.base import TimelineCommand


class Command(TimelineCommand):
    help = "Import acceptance letters of a call (CSV or XLSX), all or nothing; promotion runs once after the last row."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("file")
        super().add_arguments(parser)

    def handle(self, *args, call_code, file, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            header, rows = read_table(file)
        except TableReadError as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            report = letters_import(call=call, header=header, rows=rows, at=at)
        except PlacementError as exc:
            for line in exc.lines:
                self.stderr.write(line)
            raise CommandError(_("%(file)s: %(count)s problem(s); nothing was saved") % {"file": file, "count": len(exc.lines)}) from None
        self.stdout.write(
            f"{call.code}: {report.rows} letters imported ({report.new} new, {report.replaced} replaced, "
            f"{report.decided['approved']} approved, {report.decided['rejected']} rejected); "
            f"promoted: {', '.join(report.promoted) or '-'}"
        )
