"""Reading and writing the call file of the contract (selection-files.md §1).

Parsing collects every problem with the field it belongs to, so an office fixes a file in one go.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from mobility import grants
from mobility.grants import default_country_groups
from mobility.isced import DETAILED as ISCED_FIELDS
from mobility.models import ADJUSTMENT_CODES, AcademicFormula, AllocationStrategy, Call, CallStatus, CountryGroup, Programme, PromotionOrder
from selection.engine import defaults

ISTANBUL = ZoneInfo("Europe/Istanbul")

TOP_KEYS = {
    "code", "title", "programme", "project_number", "consortium", "status",
    "applications_open", "applications_close", "letter_deadline", "appeal_deadline",
    "appeal_answer_by", "exam_session", "mobility_start", "mobility_end",
    "funded_months", "min_days", "budget_eur", "planning_amount_eur",
    "fewer_opportunities_top_up_eur", "min_gpa", "scoring", "allocation", "adjustments",
    "departments", "country_groups", "promotion_order", "reserve_list_end", "institution", "eqf",
}
INSTITUTION_KEYS = ("erasmus_code", "schac", "pic", "name")
EQF_LEVELS = ("associate", "bachelor", "master", "doctorate")
SCHAC_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", re.ASCII)
ERASMUS_CODE_RE = re.compile(r"^(IRL|LUX|[A-Z]{2} |[A-Z] {2})[A-Z][A-Z-]*[A-Z][0-9]{2,3}$", re.ASCII)
REQUIRED = ("code", "title", "programme", "applications_open", "applications_close", "departments")
SCORING_KEYS = {"academic", "academic_weight", "language_weight", "written_weight", "listening_weight"}
MIN_GPA_KEYS = ("associate", "bachelor", "master", "doctorate")
DEPARTMENT_KEYS = {"code", "name", "written_min", "gpa_average", "isced"}
COUNTRY_GROUP_KEYS = {"group", "monthly_rate_eur", "countries"}
DATETIME_FIELDS = ("applications_open", "applications_close", "letter_deadline", "appeal_deadline", "reserve_list_end")
DATE_FIELDS = ("appeal_answer_by", "exam_session", "mobility_start", "mobility_end")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
WHOLE_NUMBER_RE = re.compile(r"^-?[0-9]{1,9}$", re.ASCII)
# Instants and dates far outside a call's life are typing errors, and near the ends of the
# calendar they overflow when converted to UTC or Turkish time (year 10000).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# More primary places than any call has: a budget and planning amount that give more are a typo.
MAX_PLACES = 100_000
COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$", re.ASCII)
# Control characters (NUL above all, which PostgreSQL cannot store) never belong in a call's texts.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def field_max(model, name: str) -> Decimal:
    """The largest value a DecimalField of `model` can store (its max_digits and decimal_places)."""
    field = model._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)


class CallFileError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _Reader:
    def __init__(self):
        self.errors: list[str] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(f"{field}: {message}")

    def unknown(self, field: str, data: dict, allowed: set) -> None:
        for key in sorted(set(data) - set(allowed)):
            self.fail(f"{field}{key}", _("unknown field"))

    def decimal(self, field, value, *, low=None, high=None, places=2):
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(field, _("must be a number written with a dot, e.g. \"2.50\""))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(field, _("“%(value)s” is not a number (use a dot for decimals)") % {"value": value})
            return None
        if not number.is_finite():
            self.fail(field, _("must be a finite number"))
            return None
        if low is not None and number < low or high is not None and number > high:
            self.fail(field, _("must be between %(low)s and %(high)s") % {"low": low, "high": high})
            return None
        if number != number.quantize(Decimal(1).scaleb(-places)):
            self.fail(field, _("at most %(places)s decimal places") % {"places": places})
            return None
        return number

    def integer(self, field, value, *, low=0, high=None):
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and WHOLE_NUMBER_RE.match(value.strip()))):
            self.fail(field, _("must be a whole number"))
            return None
        number = int(value)
        if number < low or (high is not None and number > high):
            self.fail(field, _("must be between %(low)s and %(high)s") % {"low": low, "high": high if high is not None else "∞"})
            return None
        return number

    def datetime(self, field, value):
        if value is None or value == "":
            return None
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(field, _("“%(value)s” is not a date and time like 2023-03-15T16:00:00+03:00") % {"value": value})
            return None
        if moment.tzinfo is None:
            # A deadline without an offset is Turkish time, as the calls are written.
            moment = moment.replace(tzinfo=ISTANBUL)
        try:
            years = {moment.year, moment.astimezone(dt.UTC).year, moment.astimezone(ISTANBUL).year}
        except OverflowError:
            years = {dt.MAXYEAR + 1}
        if min(years) < FIRST_YEAR or max(years) > LAST_YEAR:
            self.fail(field, _("must be between the years %(first)s and %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR})
            return None
        return moment

    def date(self, field, value):
        if value is None or value == "":
            return None
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(field, _("“%(value)s” is not a date like 2023-07-01") % {"value": value})
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(field, _("must be between the years %(first)s and %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR})
            return None
        return day

    def text(self, field, value, *, max_length, required=False):
        if value is None or value == "":
            if required:
                self.fail(field, _("required"))
            return ""
        if not isinstance(value, str):
            self.fail(field, _("must be text"))
            return ""
        if len(value) > max_length:
            self.fail(field, _("at most %(n)s characters") % {"n": max_length})
        if CONTROL_RE.search(value):
            self.fail(field, _("contains a control character (such as a NUL byte); remove it"))
            return ""
        return value.strip()

    def choice(self, field, value, choices, default=None):
        if value is None or value == "":
            return default
        if value not in choices:
            self.fail(field, _("“%(value)s” is not one of: %(choices)s") % {"value": value, "choices": ", ".join(choices)})
            return default
        return value

    def mapping(self, field, value) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(field, _("must be an object"))
            return {}
        return value


def call_file_parse(data: Any) -> dict:
    """Validate a call file; return model field values plus `departments` and `country_groups`."""
    r = _Reader()
    if not isinstance(data, dict):
        raise CallFileError([_("the file must hold one JSON object")])
    r.unknown("", data, TOP_KEYS)
    for key in REQUIRED:
        if data.get(key) in (None, "", []):
            r.fail(key, _("required"))

    out: dict[str, Any] = {}
    out["code"] = r.text("code", data.get("code"), max_length=64)
    if out["code"] and not CODE_RE.match(out["code"]):
        r.fail("code", _("use letters, digits, dots, dashes and underscores only"))
    out["title"] = r.text("title", data.get("title"), max_length=300)
    out["programme"] = r.choice("programme", data.get("programme"), Programme.values)
    out["project_number"] = r.text("project_number", data.get("project_number"), max_length=64)
    out["consortium"] = r.text("consortium", data.get("consortium"), max_length=200)
    out["status"] = r.choice("status", data.get("status"), CallStatus.values, CallStatus.ANNOUNCED)
    for field in DATETIME_FIELDS:
        out[field] = r.datetime(field, data.get(field))
    for field in DATE_FIELDS:
        out[field] = r.date(field, data.get(field))
    if out["applications_open"] and out["applications_close"] and out["applications_close"] <= out["applications_open"]:
        r.fail("applications_close", _("must be after applications_open"))
    if out["letter_deadline"] and out["applications_close"] and out["letter_deadline"] < out["applications_close"]:
        r.fail("letter_deadline", _("must not be before applications_close"))
    if out["mobility_start"] and out["mobility_end"] and out["mobility_end"] <= out["mobility_start"]:
        r.fail("mobility_end", _("must be after mobility_start"))

    for field, default in (("funded_months", grants.FUNDED_MONTHS), ("min_days", grants.MIN_DAYS)):
        value = r.integer(field, data.get(field), low=0, high=366)
        out[field] = default if value is None else value
    for field, default, low in (
        ("budget_eur", grants.BUDGET_EUR, Decimal("0")),
        ("planning_amount_eur", None, Decimal("0.01")),
        ("fewer_opportunities_top_up_eur", grants.FEWER_OPPORTUNITIES_TOP_UP_EUR, Decimal("0")),
    ):
        value = r.decimal(field, data.get(field), low=low, high=field_max(Call, field))
        out[field] = default if value is None else value
    if out["planning_amount_eur"] is None:
        if out["budget_eur"]:
            r.fail("planning_amount_eur", _("required when there is a budget"))
        out["planning_amount_eur"] = grants.PLANNING_AMOUNT_EUR
    if out["budget_eur"] and out["planning_amount_eur"] and out["budget_eur"] // out["planning_amount_eur"] > MAX_PLACES:
        r.fail("planning_amount_eur", _(
            "budget_eur / planning_amount_eur gives %(places)s primary places; at most %(max)s are possible: check both amounts"
        ) % {"places": out["budget_eur"] // out["planning_amount_eur"], "max": MAX_PLACES})

    min_gpa = r.mapping("min_gpa", data.get("min_gpa"))
    r.unknown("min_gpa.", min_gpa, set(MIN_GPA_KEYS))
    for level in MIN_GPA_KEYS:
        value = r.decimal(f"min_gpa.{level}", min_gpa.get(level), low=Decimal(0), high=Decimal(4))
        # An omitted associate minimum stays empty: the bachelor's minimum applies (contract §1).
        out[f"min_gpa_{level}"] = defaults.MIN_GPA.get(level) if value is None else value

    scoring = r.mapping("scoring", data.get("scoring"))
    r.unknown("scoring.", scoring, SCORING_KEYS)
    out["academic_formula"] = r.choice("scoring.academic", scoring.get("academic"), AcademicFormula.values, defaults.ACADEMIC_FORMULA)
    for key, default in (
        ("academic_weight", defaults.ACADEMIC_WEIGHT), ("language_weight", defaults.LANGUAGE_WEIGHT),
        ("written_weight", defaults.WRITTEN_WEIGHT), ("listening_weight", defaults.LISTENING_WEIGHT),
    ):
        value = r.decimal(f"scoring.{key}", scoring.get(key), low=Decimal(0), high=Decimal(1))
        out[key] = default if value is None else value
    if out["academic_weight"] + out["language_weight"] != 1:
        r.fail("scoring", _("academic_weight and language_weight must add up to 1"))
    if out["written_weight"] + out["listening_weight"] != 1:
        r.fail("scoring", _("written_weight and listening_weight must add up to 1"))
    out["allocation"] = r.choice("allocation", data.get("allocation"), AllocationStrategy.values, defaults.ALLOCATION)
    out["promotion_order"] = r.choice("promotion_order", data.get("promotion_order"), PromotionOrder.values, "")

    adjustments = r.mapping("adjustments", data.get("adjustments"))
    r.unknown("adjustments.", adjustments, set(ADJUSTMENT_CODES))
    for code, default in defaults.ADJUSTMENT_POINTS.items():
        value = r.decimal(f"adjustments.{code}", adjustments.get(code), low=Decimal(-100), high=Decimal(100))
        out[f"points_{code}"] = default if value is None else value

    departments = data.get("departments") or []
    out["departments"] = []
    if not isinstance(departments, list):
        r.fail("departments", _("must be a list"))
        departments = []
    seen = set()
    for i, item in enumerate(departments):
        where = f"departments[{i}]"
        if not isinstance(item, dict):
            r.fail(where, _("must be an object"))
            continue
        r.unknown(f"{where}.", item, DEPARTMENT_KEYS)
        code = r.text(f"{where}.code", item.get("code"), max_length=32, required=True)
        name = r.text(f"{where}.name", item.get("name"), max_length=200, required=True)
        written_min = r.decimal(f"{where}.written_min", item.get("written_min"), low=Decimal(0), high=Decimal(100))
        gpa_average = r.decimal(f"{where}.gpa_average", item.get("gpa_average"), low=Decimal("0.01"), high=Decimal(4))
        if code in seen:
            r.fail(f"{where}.code", _("department %(code)s is listed twice") % {"code": code})
        seen.add(code)
        if out["academic_formula"] == AcademicFormula.DEPARTMENT_RELATIVE and gpa_average is None:
            r.fail(f"{where}.gpa_average", _("required when scoring.academic is department_relative"))
        isced = r.text(f"{where}.isced", item.get("isced"), max_length=4)
        if isced and isced not in ISCED_FIELDS:
            r.fail(f"{where}.isced", _("“%(value)s” is not a four-digit ISCED-F 2013 field code (e.g. 0613)") % {"value": isced})
            isced = ""
        out["departments"].append({"code": code, "name": name, "written_min": written_min, "gpa_average": gpa_average, "isced": isced})

    institution = r.mapping("institution", data.get("institution"))
    r.unknown("institution.", institution, set(INSTITUTION_KEYS))
    out["institution_erasmus_code"] = r.text("institution.erasmus_code", institution.get("erasmus_code"), max_length=20)
    if out["institution_erasmus_code"] and not ERASMUS_CODE_RE.match(out["institution_erasmus_code"]):
        r.fail("institution.erasmus_code", _("“%(value)s” is not an Erasmus code like “TR TRABZON01”") % {"value": out["institution_erasmus_code"]})
    out["institution_schac"] = r.text("institution.schac", institution.get("schac"), max_length=100).lower()
    if out["institution_schac"] and not SCHAC_RE.match(out["institution_schac"]):
        r.fail("institution.schac", _("“%(value)s” is not a domain name like “ktu.edu.tr”") % {"value": out["institution_schac"]})
    pic = institution.get("pic")
    out["institution_pic"] = r.text("institution.pic", str(pic) if isinstance(pic, int) and not isinstance(pic, bool) else pic, max_length=9)
    if out["institution_pic"] and not (out["institution_pic"].isascii() and out["institution_pic"].isdigit() and len(out["institution_pic"]) == 9):
        r.fail("institution.pic", _("a PIC is nine digits"))
    out["institution_name"] = r.text("institution.name", institution.get("name"), max_length=300)
    eqf = r.mapping("eqf", data.get("eqf"))
    r.unknown("eqf.", eqf, set(EQF_LEVELS))
    for level, default in zip(EQF_LEVELS, (5, 6, 7, 8), strict=True):
        value = r.integer(f"eqf.{level}", eqf.get(level), low=1, high=8)
        out[f"eqf_{level}"] = default if value is None else value

    groups = data.get("country_groups")
    if groups is None:
        out["country_groups"] = default_country_groups(out["programme"] or "")
    else:
        out["country_groups"] = []
        if not isinstance(groups, list):
            r.fail("country_groups", _("must be a list"))
            groups = []
        for i, item in enumerate(groups):
            where = f"country_groups[{i}]"
            if not isinstance(item, dict):
                r.fail(where, _("must be an object"))
                continue
            r.unknown(f"{where}.", item, COUNTRY_GROUP_KEYS)
            group = r.integer(f"{where}.group", item.get("group"), low=1, high=9)
            rate = r.decimal(f"{where}.monthly_rate_eur", item.get("monthly_rate_eur"), low=Decimal(0), high=field_max(CountryGroup, "monthly_rate_eur"))
            countries = item.get("countries") or []
            if not isinstance(countries, list) or not all(isinstance(c, str) and COUNTRY_RE.match(c) for c in countries) \
                    or len(" ".join(countries)) > CountryGroup._meta.get_field("countries").max_length:
                r.fail(f"{where}.countries", _("must be a list of two-letter country codes"))
                countries = []
            if group is None or rate is None:
                if group is None and "group" not in item or rate is None and "monthly_rate_eur" not in item:
                    r.fail(where, _("group and monthly_rate_eur are required"))
                continue
            out["country_groups"].append({"group": group, "monthly_rate_eur": rate, "countries": [c.upper() for c in countries]})

    if r.errors:
        raise CallFileError(r.errors)
    return out


def _number(value: Decimal) -> str | int:
    return int(value) if value == value.to_integral_value() else str(value)


def call_file_dump(call) -> dict:
    """The call as a contract call file; `call_file_parse(call_file_dump(c))` gives back the same call."""

    def moment(value):
        return value.astimezone(ISTANBUL).isoformat() if value else None

    def day(value):
        return value.isoformat() if value else None

    data = {
        "code": call.code,
        "title": call.title,
        "programme": call.programme,
        "project_number": call.project_number,
        "consortium": call.consortium,
        "status": call.status,
        "applications_open": moment(call.applications_open),
        "applications_close": moment(call.applications_close),
        "letter_deadline": moment(call.letter_deadline),
        "appeal_deadline": moment(call.appeal_deadline),
        "appeal_answer_by": day(call.appeal_answer_by),
        "exam_session": day(call.exam_session),
        "mobility_start": day(call.mobility_start),
        "mobility_end": day(call.mobility_end),
        "funded_months": call.funded_months,
        "min_days": call.min_days,
        "budget_eur": f"{call.budget_eur:.2f}",
        "planning_amount_eur": f"{call.planning_amount_eur:.2f}",
        "fewer_opportunities_top_up_eur": f"{call.fewer_opportunities_top_up_eur:.2f}",
        "min_gpa": {level: f"{value:.2f}" for level, value in call.min_gpa().items()},
        "scoring": {
            "academic": call.academic_formula,
            "academic_weight": f"{call.academic_weight:.2f}",
            "language_weight": f"{call.language_weight:.2f}",
            "written_weight": f"{call.written_weight:.2f}",
            "listening_weight": f"{call.listening_weight:.2f}",
        },
        "allocation": call.allocation,
        "promotion_order": call.promotion_order_effective,
        "reserve_list_end": moment(call.reserve_list_end),
        "adjustments": {code: _number(points) for code, points in call.adjustment_points().items()},
        "departments": [
            {
                "code": cd.department.code,
                "name": cd.department.name,
                **({"written_min": str(_number(cd.written_min))} if cd.written_min is not None else {}),
                **({"gpa_average": f"{cd.gpa_average:.2f}"} if cd.gpa_average is not None else {}),
                **({"isced": cd.isced} if cd.isced else {}),
            }
            for cd in call.call_departments.select_related("department").order_by("department__code")
        ],
        "institution": {key: value for key, value in (
            ("erasmus_code", call.institution_erasmus_code), ("schac", call.institution_schac),
            ("pic", call.institution_pic), ("name", call.institution_name),
        ) if value} or None,
        "eqf": call.eqf_levels(),
        "country_groups": [
            {"group": g.group, "monthly_rate_eur": f"{g.monthly_rate_eur:.2f}", "countries": g.country_codes}
            for g in call.country_groups.order_by("group")
        ],
    }
    return {key: value for key, value in data.items() if value not in (None, "")}
