from internships.exports import offers_csv
from internships.management.base import InternshipCommand


class Command(InternshipCommand):
    help = "Write a programme's offers as CSV, sorted by position, then order."
    takes_at = False

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", "-o")

    def handle(self, *args, code, **options):
        self.output(options, offers_csv, programme=self.programme_get(code))
