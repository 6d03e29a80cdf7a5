from django.utils.translation import gettext_lazy

from applications.management.commands.import_applicants import TableImportCommand
from applications.services import exam_results_import


class Command(TableImportCommand):
    help = "Import the language-exam results of a call's applicants (CSV or XLSX), on the session the call counts."
    service = staticmethod(exam_results_import)
    noun = gettext_lazy("exam results")
