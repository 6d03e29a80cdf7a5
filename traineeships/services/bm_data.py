"""The data the EU report needs that the call files do not carry (placement-files §14), asked in the
Learning Agreement flow from the student or the office, or imported by the office from a CSV."""
import csv
import datetime as dt
import io
import re

from django.db import transaction
from django.utils.translation import gettext as _

from letters.models import LetterDecision, Placement, PlacementStatus
from mobility.iso3166 import ALPHA2
from mobility.models import Call
from mobility.services.audit import audit_record
from traineeships.models import GENDER, GREEN_MEANS, DistanceBand, Mobility, TransportMeans

FIELDS = ("gender", "birth_date", "nationality", "main_language", "native_speaker", "distance_band", "transport_means",
          "green_travel", "host_oid", "host_legal_address", "host_postal_code", "host_phone", "host_below_250")
YES, NO = {"yes", "evet", "true", "1"}, {"no", "hayır", "hayir", "false", "0"}
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2}$", re.ASCII)
OID_RE = re.compile(r"^E[0-9]{8}$", re.ASCII)
GENDER_WORDS = {"m": "1", "male": "1", "erkek": "1", "f": "2", "female": "2", "kadın": "2", "kadin": "2"}


def bm_value(name: str, raw: str):
    """(value, problem) for one field; an empty cell is (None, None): nothing to change."""
    text = (raw or "").strip()
    if not text:
        return None, None
    low = text.casefold()
    if name == "gender":
        value = GENDER_WORDS.get(low, text)
        return (value, None) if value in dict(GENDER) else (None, _("use 1 (male), 2 (female), 0 (not known) or 9 (not applicable)"))
    if name == "birth_date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None, _("“%(value)s” is not a date like 2002-03-14") % {"value": text}
        return (day, None) if 1920 <= day.year <= 2015 else (None, _("not a plausible date of birth"))
    if name == "nationality":
        return (text.upper(), None) if text.upper() in ALPHA2 else (None, _("“%(value)s” is not a two-letter country code") % {"value": text})
    if name == "main_language":
        return (text.upper(), None) if LANGUAGE_RE.match(text) else (None, _("use a two-letter language code such as EN or DE"))
    if name in ("native_speaker", "green_travel", "host_below_250"):
        if low in YES:
            return True, None
        if low in NO:
            return False, None
        return None, _("use yes or no")
    if name == "distance_band":
        return (text.upper(), None) if text.upper() in DistanceBand.values else (None, _("one of: %(values)s") % {"values": ", ".join(DistanceBand.values)})
    if name == "transport_means":
        return (text.upper(), None) if text.upper() in TransportMeans.values else (None, _("one of: %(values)s") % {"values": ", ".join(TransportMeans.values)})
    if name == "host_oid":
        return (text.upper(), None) if OID_RE.match(text.upper()) else (None, _("an OID is E followed by eight digits"))
    if name == "host_phone":
        return (text, None) if re.fullmatch(r"\+?[0-9 ()./-]{5,31}", text) else (None, _("a phone number with its country code, e.g. +49 30 1234567"))
    return text[:300], None


def mobility_data_set(*, placement: Placement, values: dict, actor=None) -> Mobility:
    """Store what is given (None leaves a field as it is). Green travel follows the means when not given."""
    mobility, _created = Mobility.objects.get_or_create(placement=placement)
    changed = {}
    for name, value in values.items():
        if value is not None and getattr(mobility, name) != value:
            setattr(mobility, name, value)
            changed[name] = value
    if "transport_means" in changed and values.get("green_travel") is None:
        mobility.green_travel = mobility.transport_means in GREEN_MEANS
        changed["green_travel"] = mobility.green_travel
    if changed:
        mobility.save()
        # Names only: the values are personal data and stay in the record itself.
        audit_record(actor=actor, action="traineeship.bm_data", obj=mobility, data={"fields": sorted(changed)})
    return mobility


def mobility_data_import(*, call: Call, text: str, actor=None) -> int:
    """All rows or nothing; ValueError with one line per problem. Returns the number of rows."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    problems = [_("unknown column “%(name)s”") % {"name": name} for name in header if name not in (*FIELDS, "student_number")]
    if "student_number" not in header:
        problems.append(_("the column student_number is required"))
    if problems:
        raise ValueError(problems)
    placements = {
        p.student_number: p for p in Placement.objects.filter(call=call).select_related("letter")
        if p.status == PlacementStatus.COMPLETED or (p.status == PlacementStatus.PRIMARY and getattr(p, "letter", None)
                                                    and p.letter.decision == LetterDecision.APPROVED)
    }
    rows = []
    for number, row in enumerate(reader, start=2):
        student = (row.get("student_number") or "").strip()
        placement = placements.get(student)
        if placement is None:
            problems.append(_("row %(row)s: student_number: %(number)s has no mobility in this call (no_mobility)") % {"row": number, "number": student})
            continue
        values = {}
        for name in FIELDS:
            if name in row:
                value, problem = bm_value(name, row[name])
                if problem:
                    problems.append(_("row %(row)s: %(column)s: %(problem)s") % {"row": number, "column": name, "problem": problem})
                values[name] = value
        rows.append((placement, values))
    if problems:
        raise ValueError(problems)
    with transaction.atomic():
        for placement, values in rows:
            mobility_data_set(placement=placement, values=values, actor=actor)
    return len(rows)
