"""What the contract's columns (selection-files.md §2, §3) mean, in the reader's language.

The headers themselves are the public format and never change; these labels are shown beside them
on the admin import page and in its row errors. A header written as one of the labels (a Turkish
spreadsheet's "Öğrenci No") is not accepted: the command and the admin accept the same files, and a
file re-exported from the portal must read back. It is answered with the header to write instead.
"""
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobility.models.calls import ADJUSTMENT_LABELS

COLUMN_LABELS = {
    "student_number": gettext_lazy("Student number"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail"),
    "department_code": gettext_lazy("Department code"),
    "level": gettext_lazy("Level of study"),
    "gpa": gettext_lazy("GPA"),
    "previous_degree_gpa": gettext_lazy("Previous degree's GPA (transcript handed in)"),
    "prior_participations": gettext_lazy("Earlier Erasmus+ participations"),
    **{name: label for name, label in ADJUSTMENT_LABELS.items() if name != "prior_participation"},
    "recent_graduate": gettext_lazy("Recent graduate"),
    "written": gettext_lazy("Written exam score"),
    "listening": gettext_lazy("Listening exam score"),
    "absent": gettext_lazy("Absent from the written exam"),
}
# Headers Turkish offices write that are not a label word for word; only ever used to name the right header.
TURKISH_HEADERS = {
    "ogrenci no": "student_number", "ogrenci numarasi": "student_number", "numara": "student_number",
    "adi": "first_name", "soyadi": "last_name", "e posta adresi": "email", "eposta": "email",
    "bolum kodu": "department_code", "bolum": "department_code", "duzey": "level", "seviye": "level",
    "agno": "gpa", "not ortalamasi": "gpa", "yazili": "written", "dinleme": "listening", "girmedi": "absent",
}
_FOLD = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")
_NOT_WORD = re.compile(r"[\W_]+")


def column_label(name: str) -> str:
    return str(COLUMN_LABELS.get(name, ""))


def labelled(name: str) -> str:
    """`gpa (GNO)`: the contract's header with its label in the active language; an unknown name as it is."""
    label = column_label(name)
    return f"{name} ({label})" if label else name


def _fold(text: str) -> str:
    # "Öğrenci No", "ÖĞRENCİ NO" and "ogrenci_no" are the same header to a person.
    return _NOT_WORD.sub(" ", text.replace("\u0307", "").translate(_FOLD).casefold()).strip()


def contract_header_for(header: str, names) -> str | None:
    """The contract's header among `names` that a person meant by writing `header`, or None."""
    wanted = _fold(header)
    if TURKISH_HEADERS.get(wanted) in names:
        return TURKISH_HEADERS[wanted]
    for name in names:
        label = COLUMN_LABELS.get(name)
        if label is None:
            continue
        for language in ("tr", "en"):
            with translation.override(language):
                if _fold(str(label)) == wanted:
                    return name
    return None


def unknown_header_message(header: str, names) -> str | None:
    """The message for an unknown column that is a label of a known one; None for any other."""
    name = contract_header_for(header, names)
    if name is None:
        return None
    return _("unknown column: write the contract's header “%(header)s” (%(label)s) instead") % {
        "header": name, "label": column_label(name)}
