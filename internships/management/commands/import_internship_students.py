import csv
import io

from django.core.management.base import CommandError

from internships.management.base import InternshipCommand
from internships.services import InternshipError
from internships.services.students import students_import


class Command(InternshipCommand):
    help = "Import or update a programme's students from CSV; a file with any bad row changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("file")
        super().add_arguments(parser)

    def handle(self, *args, code, file, **options):
        at = self.instant(options)
        programme = self.programme_get(code)
        try:
            with open(file, "rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"bad_file: {exc}") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            rows = [row for row in reader if any((v or "").strip() for v in row.values() if isinstance(v, str))]
            header = reader.fieldnames or []
            if any(None in row for row in rows):
                raise InternshipError("bad_row: more cells than columns")
            done = students_import(programme=programme, header=list(header), rows=rows, at=at)
        except csv.Error as exc:
            raise CommandError(f"bad_file: {exc}") from None
        except InternshipError as exc:
            self.refuse(exc)
        self.stdout.write(f"{programme.code}: {done['created']} created, {done['updated']} updated")
