from django.core.management.base import CommandError

from internships.management.base import InternshipCommand
from internships.models import InternshipStudent
from internships.services import InternshipError
from internships.services.applications import application_set_choices


class Command(InternshipCommand):
    help = "Record a student's form: calendars in order and cities (`06:Çankaya,Keçiören;34:*`)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("student_number")
        parser.add_argument("--calendars", required=True, help="codes in the student's order, comma-separated")
        parser.add_argument("--cities", required=True)
        parser.add_argument("--complete", action="store_true")
        super().add_arguments(parser)

    def handle(self, *args, code, student_number, calendars, cities, complete, **options):
        at = self.instant(options)
        programme = self.programme_get(code)
        student = InternshipStudent.objects.filter(programme=programme, student_number=student_number).first()
        if student is None:
            raise CommandError(f"unknown_student: {student_number}")
        codes = [c.strip() for c in calendars.split(",") if c.strip()]
        try:
            application = application_set_choices(student=student, calendars=codes, cities=cities, complete=complete, at=at)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{programme.code}: {student_number} {application.state}")
