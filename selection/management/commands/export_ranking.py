import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mobility.models import Call
from selection.exports import ranking_csv, ranking_pdf, ranking_xlsx
from selection.selectors import latest_run


class Command(BaseCommand):
    help = "Write the latest selection run of a call as CSV (default), XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("--output", "-o", help="file to write; standard output if omitted")

    def handle(self, *args, call_code, format, output=None, **options):
        try:
            call = Call.objects.get(code=call_code)
        except Call.DoesNotExist:
            raise CommandError(_("%(code)s: no such call") % {"code": call_code})
        run = latest_run(call=call)
        if run is None:
            raise CommandError(_("%(code)s: no finished selection run; run `manage.py run_selection %(code)s` first") % {"code": call_code})
        if format == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    ranking_csv(run=run, stream=handle)
            else:
                ranking_csv(run=run, stream=self.stdout)
            return
        data = ranking_xlsx(run=run) if format == "xlsx" else ranking_pdf(run=run)
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
