import datetime as dt

from django.core.management.base import CommandError

from internships.exports import insurance_csv
from internships.management.base import InternshipCommand


class Command(InternshipCommand):
    help = "Write the insurance list (Law 5510) of the internships that start in the week of a date."
    takes_at = False

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--week", required=True, help="any date of the week, YYYY-MM-DD")
        parser.add_argument("--output", "-o")

    def handle(self, *args, code, week, **options):
        try:
            day = dt.date.fromisoformat(week)
        except ValueError:
            raise CommandError(f"bad_date: --week “{week}”") from None
        self.output(options, insurance_csv, programme=self.programme_get(code), week_of=day)
