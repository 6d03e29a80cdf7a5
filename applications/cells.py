"""Cell parsers of the contract's applicant and exam-result files (selection-files.md §2, §3).

Each parser takes a raw cell (text from CSV, or a number, boolean or date from XLSX) and returns
the value to store, or raises CellInvalid with a message for the office.
"""
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import MAX_PRIOR_PARTICIPATIONS, Applicant, BonusClaim, Level
from mobility.student_numbers import student_number_valid

TRUE_WORDS = frozenset({"yes", "true", "1", "evet"})
FALSE_WORDS = frozenset({"no", "false", "0", "hayır", "hayir", ""})
WHOLE_NUMBER = re.compile(r"^[0-9]+$", re.ASCII)
TWO_PLACES = Decimal("0.01")
LEVELS = tuple(Level.values)
# What Turkish offices write in their spreadsheets, besides the contract's codes. Keys are
# Turkish-lowercased (İ -> i, I -> ı) and with spaces collapsed.
TURKISH_LEVELS = {
    "önlisans": Level.ASSOCIATE, "ön lisans": Level.ASSOCIATE,
    "lisans": Level.BACHELOR,
    "yüksek lisans": Level.MASTER, "yükseklisans": Level.MASTER,
    "doktora": Level.DOCTORATE,
}
BONUS_VALUES = frozenset(BonusClaim.values)
# A strict subset of the addresses Django 5.2's EmailValidator accepts, ASCII only (no IGNORECASE, whose
# Unicode folding would widen the classes): a dot-atom local part (no leading, trailing or double dot),
# one @, host labels of 1-63 letters, digits or inner hyphens, and an alphabetic top-level domain
# of 2-63 letters. Quoted local parts, IP literals, IDN and `localhost` are left to Django.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_EMAIL_RE = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}")
EMAIL_MAX_LENGTH = 320  # Django's limit on the whole address (RFC 3696 §3)



class CellInvalid(Exception):
    """A cell that cannot be read; the message says why."""


def cell_text(value: Any) -> str:
    """A cell as text: CSV cells are text already, XLSX cells may be numbers, booleans or dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _required_text(value: Any, *, max_length: int) -> str:
    text = cell_text(value)
    if not text:
        raise CellInvalid(_("required"))
    if len(text) > max_length:
        raise CellInvalid(_("at most %(n)s characters") % {"n": max_length})
    return text


GPA_RANGE = gettext_lazy("“%(value)s” is out of range: a GPA is between 0 and 4.00")
SCORE_RANGE = gettext_lazy("“%(value)s” is out of range: a score is between 0 and 100")


def _decimal(value: Any, *, low: Decimal, high: Decimal, range_message) -> Decimal | None:
    text = cell_text(value)
    if not text:
        return None
    if "," in text:
        raise CellInvalid(_("“%(value)s” is not a number: use a dot for decimals, e.g. 3.45") % {"value": text})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellInvalid(_("“%(value)s” is not a number") % {"value": text}) from None
    if not number.is_finite():
        raise CellInvalid(_("“%(value)s” is not a number") % {"value": text})
    if number < low or number > high:
        raise CellInvalid(str(range_message) % {"value": text})
    if number != number.quantize(TWO_PLACES):
        raise CellInvalid(_("“%(value)s” has more than two decimal places") % {"value": text})
    return number.quantize(TWO_PLACES)


def parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellInvalid(
        _("“%(value)s” is not a yes/no value (use yes/no, true/false, 1/0 or evet/hayır)") % {"value": cell_text(value)}
    )


def parse_student_number(value: Any) -> str:
    """Letters and digits, with `-` or `/` only inside: never a formula for a spreadsheet (=, +, @ …)."""
    text = _required_text(value, max_length=Applicant._meta.get_field("student_number").max_length)
    if not student_number_valid(text):
        raise CellInvalid(_(
            "“%(value)s” is not a student number: use letters and digits, with - or / only between them"
        ) % {"value": text})
    return text


def parse_name(value: Any) -> str:
    return _required_text(value, max_length=150)


def email_plainly_valid(text: str) -> bool:
    """True only for an address Django's `validate_email` certainly accepts; False means "ask it".

    Django's validator costs about 9 µs an address (lazy regexes, a split, a Unicode domain pattern):
    half the parsing of a 50,000-row applicant file. Nearly every address of an office's file is a
    plain ASCII one, which this one precompiled pattern settles; anything else goes to Django's
    validator, so what is accepted or refused, and the message, stay Django's
    (tests/applications/test_email_fast_path.py).
    """
    return len(text) <= EMAIL_MAX_LENGTH and PLAIN_EMAIL_RE.fullmatch(text) is not None


def parse_email(value: Any) -> str:
    text = _required_text(value, max_length=254)
    if email_plainly_valid(text):
        return text
    try:
        validate_email(text)
    except ValidationError:
        raise CellInvalid(_("“%(value)s” is not a valid email address") % {"value": text}) from None
    return text


def _turkish_lower(text: str) -> str:
    return " ".join(text.replace("I", "ı").replace("İ", "i").lower().split())


def parse_level(value: Any) -> str:
    text = cell_text(value)
    if not text:
        raise CellInvalid(_("required"))
    if text.casefold() in LEVELS:
        return text.casefold()
    turkish = TURKISH_LEVELS.get(_turkish_lower(text))
    if turkish is None:
        raise CellInvalid(_("“%(value)s” is not a level; use one of %(choices)s") % {
            "value": text, "choices": ", ".join(LEVELS)})
    return str(turkish)


def parse_gpa(value: Any) -> Decimal | None:
    number = _decimal(value, low=Decimal(0), high=Decimal(4),
                      range_message=GPA_RANGE)
    # The contract: 0 is treated as no GPA.
    return None if number == 0 else number


def parse_previous_degree_gpa(value: Any) -> Decimal | None:
    return _decimal(value, low=Decimal(0), high=Decimal(4),
                    range_message=GPA_RANGE)


def parse_prior_participations(value: Any) -> int:
    text = cell_text(value)
    if not text:
        return 0
    if not WHOLE_NUMBER.match(text) or len(text) > 5 or int(text) > MAX_PRIOR_PARTICIPATIONS:
        raise CellInvalid(_("“%(value)s” is not a whole number from 0 to %(max)s") % {
            "value": text, "max": MAX_PRIOR_PARTICIPATIONS})
    return int(text)


def parse_bonus(value: Any) -> str:
    text = cell_text(value).casefold()
    if text not in BONUS_VALUES:
        raise CellInvalid(_("“%(value)s” is not allowed; use verified, claimed or leave it empty") % {"value": cell_text(value)})
    return text


def parse_score(value: Any) -> Decimal | None:
    return _decimal(value, low=Decimal(0), high=Decimal(100),
                    range_message=SCORE_RANGE)


def parse_listening(value: Any) -> Decimal:
    number = parse_score(value)
    return Decimal("0.00") if number is None else number

