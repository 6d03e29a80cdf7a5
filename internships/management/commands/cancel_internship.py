from internships.management.base import InternshipCommand
from internships.services import InternshipError
from internships.services.offers import internship_cancel


class Command(InternshipCommand):
    help = "Cancel a started internship; without --excuse the student's profile gets a note hosts see."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("offer_id", type=int)
        parser.add_argument("--excuse", action="store_true")
        super().add_arguments(parser)

    def handle(self, *args, code, offer_id, excuse, **options):
        at = self.instant(options)
        try:
            offer = internship_cancel(programme=self.programme_get(code), offer_id=offer_id, excused=excuse, at=at)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{code}: offer {offer.pk} cancelled{'' if excuse else ' (note)'}")
