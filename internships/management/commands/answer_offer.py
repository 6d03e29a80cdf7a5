from internships.management.base import InternshipCommand
from internships.services import InternshipError
from internships.services.offers import offer_answer


class Command(InternshipCommand):
    help = "Accept or decline an open offer before its deadline."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("offer_id", type=int)
        parser.add_argument("answer", choices=["accept", "decline"])
        super().add_arguments(parser)

    def handle(self, *args, code, offer_id, answer, **options):
        at = self.instant(options)
        try:
            offer = offer_answer(programme=self.programme_get(code), offer_id=offer_id, accept=answer == "accept", at=at)
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{code}: offer {offer.pk} {offer.status}")
