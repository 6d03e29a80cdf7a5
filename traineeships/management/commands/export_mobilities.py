import sys

from django.core.management.base import CommandError

from mobility.management.base import TimelineCommand
from traineeships.services.reporting import ReportError, mobilities_export


class Command(TimelineCommand):
    help = "The mobilities to report to the EU Beneficiary Module, as CSV or report-request XML (placement-files §14)."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("--format", choices=["csv", "xml"], default="csv")
        parser.add_argument("--output", "-o", help="file to write; standard output if omitted")
        super().add_arguments(parser)

    def handle(self, *args, call_code, format, output=None, **options):
        self.instant(options)  # checked like every contract command; the export shows the state now
        call = self.call_get(call_code)
        try:
            data, left_out = mobilities_export(call=call, fmt=format)
        except ReportError as exc:
            for line in exc.lines[:-1]:
                self.stderr.write(line)
            raise CommandError(exc.lines[-1]) from None
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
        elif self.stdout._out is sys.stdout:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
        if left_out:
            # The file holds the others; the exit status tells a script that some are missing.
            for line in left_out[:-1]:
                self.stderr.write(line)
            raise CommandError(left_out[-1])
