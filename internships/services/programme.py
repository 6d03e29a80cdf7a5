"""Programme file (contract §1): create the year, or update it while no offer exists."""
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from internships.models import HalfDay, HostUnit, InternshipCalendar, InternshipProgramme, Level, Offer, ProgrammeDepartment
from internships.rules.calendar import CalendarRuleError, CalendarSpan, calendar_span
from internships.rules.competence import DEFAULT_POINTS, HEADINGS
from internships.rules.holidays_tr import turkish_holidays
from internships.services import InternshipError, problem
from mobility.instants import InstantError, instant_parse
from mobility.models import Department
from mobility.services.audit import audit_record

DEFAULTS: dict[str, Any] = {
    "min_gpa": "2.00",
    "years": {"associate": [1, 2], "bachelor": [2, 3, 4]},
    "gpa_exempt": [{"level": "associate", "year": 1}],
    "half_day": "working",
    "closed_days": [],
    "max_choices": {"20": 3, "30": 2},
    "answer_days": 3,
    "departments": [],
    "calendars": [],
    "forms_due_days": 10,
    "insurance_due_days": 3,
}
KNOWN_KEYS = {"code", "title", "applications_open", "applications_close", "competence_points", "host_units", *DEFAULTS}


def programme_span(programme: InternshipProgramme, *, start: dt.date, working_days: int, week: int,
                   language: str = "tr") -> CalendarSpan:
    """A calendar's span under the programme's holidays, half-day choice and closed days."""
    return calendar_span(
        start=start, working_days=working_days, week=week,
        holidays=turkish_holidays([start.year, start.year + 1], language=language),
        closed={dt.date.fromisoformat(d) for d in programme.closed_days},
        half_day_working=programme.half_day == HalfDay.WORKING,
    )


def _date(value, where: str, lines: list[str]):
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        lines.append(problem("bad_date", f"{where}: “{value}”"))
        return None


def _parse(data: dict, lines: list[str]) -> dict:
    if not isinstance(data, dict):
        raise InternshipError(problem("bad_file", _("the file must hold one JSON object")))
    for key in sorted(set(data) - KNOWN_KEYS):
        lines.append(problem("unknown_field", key))
    values = {**DEFAULTS, **{k: v for k, v in data.items() if k in KNOWN_KEYS}}
    for key in ("code", "title", "applications_open", "applications_close"):
        if not str(values.get(key) or "").strip():
            lines.append(problem("missing_field", key))
    for key in ("applications_open", "applications_close"):
        if values.get(key):
            try:
                values[key] = instant_parse(str(values[key]))
            except InstantError as exc:
                lines.append(problem("bad_instant", f"{key}: {exc}"))
                values[key] = None
    if isinstance(values.get("applications_open"), dt.datetime) and isinstance(values.get("applications_close"), dt.datetime):
        if values["applications_close"] <= values["applications_open"]:
            lines.append(problem("bad_window", _("applications_close must be after applications_open")))
    try:
        values["min_gpa"] = Decimal(str(values["min_gpa"]))
        if not Decimal("0") <= values["min_gpa"] <= Decimal("4"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        lines.append(problem("bad_field", f"min_gpa: “{data.get('min_gpa')}”"))
    years = values["years"]
    if not isinstance(years, dict) or any(
        level not in Level.values or not isinstance(ys, list) or any(not isinstance(y, int) or not 1 <= y <= 6 for y in ys)
        for level, ys in years.items()
    ):
        lines.append(problem("bad_field", "years"))
    exempt = values["gpa_exempt"]
    if not isinstance(exempt, list) or any(
        not isinstance(e, dict) or e.get("level") not in Level.values or not isinstance(e.get("year"), int) for e in exempt
    ):
        lines.append(problem("bad_field", "gpa_exempt"))
    if values["half_day"] not in HalfDay.values:
        lines.append(problem("bad_field", f"half_day: “{values['half_day']}”"))
    closed = []
    for value in values["closed_days"] if isinstance(values["closed_days"], list) else [None]:
        day = _date(value, "closed_days", lines)
        if day:
            closed.append(day.isoformat())
    values["closed_days"] = closed
    choices = values["max_choices"]
    if not isinstance(choices, dict) or any(k not in ("20", "30") or not isinstance(v, int) or v < 1 for k, v in choices.items()):
        lines.append(problem("bad_field", "max_choices"))
    for key in ("answer_days", "forms_due_days", "insurance_due_days"):
        if not isinstance(values[key], int) or values[key] < (1 if key == "answer_days" else 0):
            lines.append(problem("bad_field", key))
    points = values.get("competence_points") or DEFAULT_POINTS
    try:
        values["competence_points"] = {
            heading: {kind: str(Decimal(str(p))) for kind, p in points[heading].items()} for heading in HEADINGS
        }
    except (KeyError, AttributeError, InvalidOperation, TypeError):
        lines.append(problem("bad_field", "competence_points"))
    return values


def _departments(values: dict, lines: list[str]) -> list[dict]:
    out, seen = [], set()
    for i, row in enumerate(values["departments"] if isinstance(values["departments"], list) else [None]):
        where = f"departments[{i}]"
        if not isinstance(row, dict) or not str(row.get("code") or "").strip():
            lines.append(problem("bad_department", where))
            continue
        code = str(row["code"]).strip()
        days = row.get("internship_days", 20)
        if days not in (20, 30):
            lines.append(problem("bad_internship_days", f"{where} {code}: {days}"))
        if code in seen:
            lines.append(problem("duplicate_department", f"{where} {code}"))
        seen.add(code)
        out.append({"code": code, "name": str(row.get("name") or code), "internship_days": days,
                    "excluded": bool(row.get("excluded", False))})
    return out


def _calendars(values: dict, lines: list[str]) -> list[dict]:
    out, seen = [], set()
    probe = InternshipProgramme(half_day=values["half_day"], closed_days=values["closed_days"])
    for i, row in enumerate(values["calendars"] if isinstance(values["calendars"], list) else [None]):
        where = f"calendars[{i}]"
        if not isinstance(row, dict) or not str(row.get("code") or "").strip():
            lines.append(problem("bad_calendar", where))
            continue
        code = str(row["code"]).strip()
        where = f"{where} {code}"
        if code in seen:
            lines.append(problem("duplicate_calendar", where))
        seen.add(code)
        start = _date(row.get("start"), where, lines)
        days, week = row.get("working_days"), row.get("week", 5)
        if days not in (20, 30):
            lines.append(problem("bad_working_days", f"{where}: {days}"))
            continue
        if week not in (5, 6):
            lines.append(problem("bad_week", f"{where}: {week}"))
            continue
        if start is None:
            continue
        try:
            span = programme_span(probe, start=start, working_days=days, week=week)
        except CalendarRuleError as exc:
            lines.append(problem(exc.code, f"{where}: {start.isoformat()}"))
            continue
        out.append({"code": code, "start": start, "end": span.end, "working_days": days, "week": week})
    return out


@transaction.atomic
def programme_load(*, data: dict, at: dt.datetime, actor=None) -> tuple[InternshipProgramme, bool]:
    lines: list[str] = []
    values = _parse(data, lines)
    departments = _departments(values, lines)
    calendars = _calendars(values, lines)
    if lines:
        raise InternshipError(lines)
    programme = InternshipProgramme.objects.select_for_update().filter(code=values["code"]).first()
    created = programme is None
    if not created and Offer.objects.filter(position__programme=programme).exists():
        raise InternshipError(problem("offers_exist", values["code"]))
    programme = programme or InternshipProgramme(code=values["code"])
    for key in ("title", "applications_open", "applications_close", "min_gpa", "years", "gpa_exempt", "half_day",
                "closed_days", "max_choices", "answer_days", "competence_points", "forms_due_days", "insurance_due_days"):
        setattr(programme, key, values[key])
    programme.save()
    _replace_departments(programme, departments, lines)
    _replace_calendars(programme, calendars, lines)
    _host_units(programme, data.get("host_units") or [], lines)
    if lines:
        transaction.set_rollback(True)
        raise InternshipError(lines)
    audit_record(actor=actor, action="internships.programme_loaded" if created else "internships.programme_updated",
                 obj=programme, data={"at": at.isoformat()})
    return programme, created


def _replace_departments(programme, rows, lines):
    keep = set()
    for row in rows:
        department, _ = Department.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
        ProgrammeDepartment.objects.update_or_create(
            programme=programme, department=department,
            defaults={"internship_days": row["internship_days"], "excluded": row["excluded"]},
        )
        keep.add(department.pk)
    for gone in programme.departments.exclude(department_id__in=keep).select_related("department"):
        if gone.students.exists():
            lines.append(problem("department_in_use", gone.department.code))
        else:
            gone.delete()


def _replace_calendars(programme, rows, lines):
    keep = set()
    for position, row in enumerate(rows):
        calendar, _ = InternshipCalendar.objects.update_or_create(
            programme=programme, code=row["code"],
            defaults={"position": position, "start": row["start"], "end": row["end"],
                      "working_days": row["working_days"], "week": row["week"]},
        )
        keep.add(calendar.pk)
    for gone in programme.calendars.exclude(pk__in=keep):
        if gone.choices.exists():
            lines.append(problem("calendar_in_use", gone.code))
        else:
            gone.delete()


def _host_units(programme, rows, lines):

    for i, row in enumerate(rows if isinstance(rows, list) else [None]):
        if not isinstance(row, dict) or not row.get("code") or not row.get("name"):
            lines.append(problem("bad_host_unit", f"host_units[{i}]"))
            continue
        HostUnit.objects.update_or_create(
            programme=programme, code=str(row["code"]),
            defaults={"name": str(row["name"]), "email": str(row.get("email") or ""),
                      "language": "en" if row.get("language") == "en" else "tr"},
        )
