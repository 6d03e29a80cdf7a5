from mobility.management.base import TimelineCommand
from traineeships.exports import placements_csv


class Command(TimelineCommand):
    help = "Write the placements of a call's final list as CSV (contract placement-files §11, with §13's certificate columns)."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("--output", "-o", help="file to write; standard output if omitted")
        super().add_arguments(parser)

    def handle(self, *args, call_code, output=None, **options):
        self.instant(options)  # checked like every contract command; the export shows the state now
        call = self.call_get(call_code)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                placements_csv(call=call, stream=handle)
        else:
            placements_csv(call=call, stream=self.stdout)
