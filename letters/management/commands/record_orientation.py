from django.core.management.base import CommandError

from letters.services import PlacementError
from letters.services.orientation import orientation_attendance_record
from mobility.management.base import TimelineCommand


class Command(TimelineCommand):
    help = "Record who attended the orientation meeting; everyone else invited is recorded as missing it."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("student_numbers", nargs="*", help="student numbers of those who attended")
        super().add_arguments(parser)

    def handle(self, *args, call_code, student_numbers, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            came, missed = orientation_attendance_record(call=call, attended=set(student_numbers), at=at)
        except PlacementError as exc:
            raise CommandError("; ".join(exc.lines)) from None
        self.stdout.write(f"{call.code}: {came} attended, {missed} missed")
