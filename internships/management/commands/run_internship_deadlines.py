from internships.management.base import InternshipCommand
from internships.models import InternshipProgramme
from internships.services.offers import offers_expire


class Command(InternshipCommand):
    help = "Expire every open offer whose deadline is at or before --at (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?")
        super().add_arguments(parser)

    def handle(self, *args, code=None, **options):
        at = self.instant(options)
        programmes = [self.programme_get(code)] if code else list(InternshipProgramme.objects.order_by("code"))
        for programme in programmes:
            expired = offers_expire(programme=programme, at=at)
            self.stdout.write(f"{programme.code}: expired: {', '.join(map(str, expired)) or '-'}")
