import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from letters.services import PlacementError
from mobility.management.base import TimelineCommand
from traineeships.services.certificates import certificate_record


def _day(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("%(name)s: “%(value)s” is not a date like 2023-07-01") % {"name": name, "value": text}) from None


class Command(TimelineCommand):
    help = "The traineeship certificate (first and last day at the host) and the final grant (placement-files §13)."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("student_number")
        parser.add_argument("--start", required=True, help="first day at the host, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day at the host, YYYY-MM-DD")
        parser.add_argument("--force-majeure", action="store_true", help="documented force majeure: the grant applies below the minimum")
        super().add_arguments(parser)

    def handle(self, *args, call_code, student_number, start, end, force_majeure, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        start_day, end_day = _day("--start", start), _day("--end", end)
        try:
            certificate, promoted = certificate_record(
                call=call, student_number=student_number, start=start_day, end=end_day, at=at, force_majeure=force_majeure,
            )
        except PlacementError as exc:
            for line in exc.lines[:-1]:
                self.stderr.write(line)
            raise CommandError(exc.lines[-1]) from None
        self.stdout.write(
            f"{call.code}: {student_number} completed, {certificate.actual_days} days, final grant "
            f"{certificate.final_grant_eur:.2f} (planned {certificate.planned_grant_eur:.2f}); "
            f"promoted: {', '.join(p.student_number for p in promoted) or '-'}"
        )
