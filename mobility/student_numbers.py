"""One rule for a student number, wherever one is typed or imported (sign-up, admin, files).

Letters and digits, with `-` or `/` only between them: never a text a spreadsheet would run
(=, +, -, @ at the start), never a space or a line break.
"""
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

STUDENT_NUMBER_MAX_LENGTH = 32
STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9/-]*[A-Za-z0-9])?\Z")  # explicit ranges: ASCII only
STUDENT_NUMBER_MESSAGE = _("Use letters and digits, with - or / only between them, as on the student card.")


def student_number_valid(text: str) -> bool:
    return isinstance(text, str) and len(text) <= STUDENT_NUMBER_MAX_LENGTH and bool(STUDENT_NUMBER_RE.match(text))


validate_student_number = RegexValidator(STUDENT_NUMBER_RE, STUDENT_NUMBER_MESSAGE, code="invalid_student_number")
