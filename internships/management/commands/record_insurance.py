from internships.management.base import InternshipCommand
from internships.services import InternshipError
from internships.services.offers import insurance_record


class Command(InternshipCommand):
    help = "Record that the university entered the student's work-accident insurance (Law 5510)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("offer_id", type=int)
        super().add_arguments(parser)

    def handle(self, *args, code, offer_id, **options):
        at = self.instant(options)
        try:
            offer = insurance_record(programme=self.programme_get(code), offer_id=offer_id, at=at)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{code}: offer {offer.pk} insured")
