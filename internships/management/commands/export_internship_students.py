from internships.exports import students_csv
from internships.management.base import InternshipCommand


class Command(InternshipCommand):
    help = "Write a programme's students with eligibility and application as CSV (sorted by student number)."
    takes_at = False

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", "-o")

    def handle(self, *args, code, **options):
        self.output(options, students_csv, programme=self.programme_get(code))
