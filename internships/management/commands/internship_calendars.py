from internships.exports import calendars_csv
from internships.management.base import InternshipCommand


class Command(InternshipCommand):
    help = "Write a programme's calendars as CSV: code, start, end, working_days, week."
    takes_at = False

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", "-o")

    def handle(self, *args, code, **options):
        self.output(options, calendars_csv, programme=self.programme_get(code))
