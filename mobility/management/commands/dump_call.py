import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mobility.models import Call
from mobility.services.callfile import call_file_dump


class Command(BaseCommand):
    help = "Write a call as a call file (JSON), e.g. to copy last year's call."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, code, output=None, **options):
        try:
            call = Call.objects.get(code=code)
        except Call.DoesNotExist:
            raise CommandError(_("%(code)s: no such call") % {"code": code})
        text = json.dumps(call_file_dump(call), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
