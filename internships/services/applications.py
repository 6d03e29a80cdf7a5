"""Applications (contract §4): two stages, calendar and city choices, competence documents."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from internships.eligibility import student_ineligibility
from internships.models import CalendarChoice, CompetenceDocument, DocumentStatus, InternshipApplication, InternshipStudent
from internships.places import district_lists
from internships.rules.cities import CityError, cities_check, cities_parse
from internships.rules.competence import HEADINGS, AcceptedDocument, points_per_heading
from internships.services import InternshipError, problem
from mobility.services.audit import audit_record


def window_problem(programme, at: dt.datetime) -> str | None:
    if at < programme.applications_open or at >= programme.applications_close:
        return problem("applications_closed", programme.code)
    return None


def _application(student: InternshipStudent) -> InternshipApplication:
    application, _ = InternshipApplication.objects.get_or_create(student=student)
    return application


def calendar_codes(application: InternshipApplication) -> list[str]:
    return [c.calendar.code for c in application.calendar_choices.select_related("calendar").order_by("rank")]


def _check_calendars(student, codes: list[str], lines: list[str]):
    programme = student.programme
    known = {c.code: c for c in programme.calendars.all()}
    if not codes:
        lines.append(problem("no_choice", student.student_number))
        return []
    chosen = []
    for code in codes:
        calendar = known.get(code)
        if calendar is None:
            lines.append(problem("unknown_calendar", code))
            continue
        if calendar.working_days != student.department.internship_days:
            lines.append(problem("wrong_length", f"{code}: {calendar.working_days} ≠ {student.department.internship_days}"))
            continue
        chosen.append(calendar)
    if len(set(codes)) != len(codes):
        lines.append(problem("duplicate_calendar", ",".join(codes)))
    allowed = int((programme.max_choices or {}).get(str(student.department.internship_days), 0))
    if len(codes) > allowed:
        lines.append(problem("too_many_choices", f"{len(codes)} > {allowed}"))
    return chosen


def _check_cities(cities, lines: list[str]):
    try:
        pairs = cities_parse(cities) if isinstance(cities, str) else cities
        return cities_check(pairs, district_lists())
    except CityError as exc:
        lines.append(problem(exc.code, exc.detail))
        return None


@transaction.atomic
def application_set_choices(*, student: InternshipStudent, calendars: list[str] | None, cities,
                            complete: bool = False, at: dt.datetime, actor=None) -> InternshipApplication:
    """Record the form: calendars in the student's order and cities; `complete` ends stage 2.

    `calendars=None` keeps the calendars (the cities-only change of a complete application).
    """
    student = InternshipStudent.objects.select_for_update().select_related("programme", "department").get(pk=student.pk)
    programme = student.programme
    closed = window_problem(programme, at)
    if closed:
        raise InternshipError(closed)
    reason = student_ineligibility(student)
    if reason:
        raise InternshipError(problem("not_eligible", f"{student.student_number}: {reason}"))
    application = _application(student)
    current = calendar_codes(application)
    codes = current if calendars is None else list(calendars)
    lines: list[str] = []
    chosen = _check_calendars(student, codes, lines)
    choices = _check_cities(cities, lines)
    if application.completed_at and codes != current:
        lines.append(problem("locked", f"{student.student_number}: {';'.join(current)}"))
    if lines:
        raise InternshipError(lines)
    if codes != current:
        application.calendar_choices.all().delete()
        CalendarChoice.objects.bulk_create(
            [CalendarChoice(application=application, calendar=c, rank=i) for i, c in enumerate(chosen, start=1)]
        )
    application.cities = [{"plate": c.plate, "districts": list(c.districts)} for c in choices]
    application.plates = "," + ",".join(c.plate for c in choices) + ","
    if complete and not application.completed_at:
        application.details_confirmed_at = application.details_confirmed_at or at
        application.completed_at = at
    application.save()
    audit_record(actor=actor, action="internships.application_saved", obj=application,
                 data={"calendars": codes, "cities": application.cities, "complete": bool(application.completed_at),
                       "at": at.isoformat()})
    return application


@transaction.atomic
def application_confirm_details(*, student: InternshipStudent, at: dt.datetime, actor=None) -> InternshipApplication:
    """Stage 1: the student checked the details the university holds and confirmed them."""
    closed = window_problem(student.programme, at)
    if closed:
        raise InternshipError(closed)
    reason = student_ineligibility(student)
    if reason:
        raise InternshipError(problem("not_eligible", reason))
    application = _application(student)
    if not application.details_confirmed_at:
        application.details_confirmed_at = at
        application.save(update_fields=["details_confirmed_at", "updated_at"])
        audit_record(actor=actor, action="internships.details_confirmed", obj=application, data={"at": at.isoformat()})
    return application


@transaction.atomic
def document_add(*, application: InternshipApplication, heading: str, kind: str, title: str, upload,
                 content_type: str, at: dt.datetime, actor=None) -> CompetenceDocument:
    if application.completed_at:
        raise InternshipError(problem("locked", application.student.student_number))
    closed = window_problem(application.student.programme, at)
    if closed:
        raise InternshipError(closed)
    table = application.student.programme.competence_points or {}
    if heading not in HEADINGS or kind not in table.get(heading, {}):
        raise InternshipError(problem("bad_document_kind", f"{heading}/{kind}"))
    document = CompetenceDocument(application=application, heading=heading, kind=kind, title=title[:200],
                                  original_name=getattr(upload, "name", "document")[:200], content_type=content_type)
    document.file.save("document", upload, save=False)
    document.save()
    audit_record(actor=actor, action="internships.document_added", obj=document, data={"heading": heading, "kind": kind})
    return document


@transaction.atomic
def document_decide(*, document: CompetenceDocument, accept: bool, reason: str = "", actor=None,
                    at: dt.datetime | None = None) -> CompetenceDocument:
    """Career staff accept or reject a document; the student's points follow at once."""
    document = CompetenceDocument.objects.select_for_update().get(pk=document.pk)
    if not accept and not reason.strip():
        raise InternshipError(problem("reason_required"))
    document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
    document.reason = "" if accept else reason.strip()[:300]
    document.checked_at = at or timezone.now()
    document.checked_by = actor if getattr(actor, "pk", None) else None
    document.save()
    application_points_refresh(application=document.application)
    audit_record(actor=actor, action=f"internships.document_{document.status}", obj=document, data={"reason": document.reason})
    return document


def application_points_refresh(*, application: InternshipApplication) -> dict[str, Decimal]:
    table = {h: {k: Decimal(v) for k, v in kinds.items()}
             for h, kinds in (application.student.programme.competence_points or {}).items()}
    accepted = [AcceptedDocument(d.heading, d.kind) for d in application.documents.filter(status=DocumentStatus.ACCEPTED)]
    points = points_per_heading(accepted, table)
    application.points_professional = points["professional"]
    application.points_social = points["social"]
    application.points_sports = points["sports"]
    application.points_total = sum(points.values(), Decimal("0"))
    application.save(update_fields=["points_professional", "points_social", "points_sports", "points_total", "updated_at"])
    return points
