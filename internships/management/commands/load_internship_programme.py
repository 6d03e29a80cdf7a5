import json

from django.core.management.base import CommandError

from internships.management.base import InternshipCommand
from internships.services import InternshipError
from internships.services.programme import programme_load


class Command(InternshipCommand):
    help = "Create an internship programme year from its JSON file, or update it while no offer exists."

    def add_arguments(self, parser):
        parser.add_argument("file")
        super().add_arguments(parser)

    def handle(self, *args, file, **options):
        at = self.instant(options)
        try:
            with open(file, "rb") as handle:
                data = json.loads(handle.read().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"bad_file: {exc}") from None
        try:
            programme, created = programme_load(data=data, at=at)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{programme.code}: {'created' if created else 'updated'}, "
                          f"{programme.calendars.count()} calendars, {programme.departments.count()} departments")
