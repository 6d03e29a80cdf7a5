from django.core.management.base import CommandError

from internships.management.base import InternshipCommand
from internships.models import HostUnit
from internships.services import InternshipError
from internships.services.offers import offer_make


class Command(InternshipCommand):
    help = "Offer a position to a student as primary or reserve; prints the offer's id on the last line."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--position", required=True)
        parser.add_argument("--student", required=True)
        parser.add_argument("--kind", required=True, choices=["primary", "reserve"])
        parser.add_argument("--calendar", required=True)
        parser.add_argument("--answer-by", dest="answer_by", default=None)
        parser.add_argument("--host-unit", dest="host_unit", default=None, help="code of the host unit (optional)")
        super().add_arguments(parser)

    def handle(self, *args, code, position, student, kind, calendar, answer_by, host_unit, **options):
        at = self.instant(options)
        deadline = self.instant({"answer_by": answer_by}, "answer_by") if answer_by else None
        programme = self.programme_get(code)
        unit = None
        if host_unit:
            unit = HostUnit.objects.filter(programme=programme, code=host_unit).first()
            if unit is None:
                raise CommandError(f"unknown_host_unit: {host_unit}")
        try:
            offer = offer_make(programme=programme, position_code=position, student_number=student, kind=kind,
                               calendar_code=calendar, at=at, answer_by=deadline, host_unit=unit)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{programme.code}: {kind} offer for {position} to {student}, answer by {offer.answer_by.isoformat()}")
        self.stdout.write(str(offer.pk))
