"""Reads for the pages: the student's rows, the anonymised candidate pool, the office's lists."""
import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q

from internships.models import (
    CalendarChoice,
    CompetenceDocument,
    DocumentStatus,
    HostUnit,
    InternshipApplication,
    InternshipStudent,
    Offer,
    OfferStatus,
    StudentNote,
)
from mobility.services.roles import user_role

POOL_PAGE = 25
POOL_SORTS = {
    "points": ("-points_total", "handle"),
    "professional": ("-points_professional", "-points_total", "handle"),
    "social": ("-points_social", "-points_total", "handle"),
    "sports": ("-points_sports", "-points_total", "handle"),
    "department": ("student__department__department__code", "-points_total", "handle"),
}


def is_career_staff(user) -> bool:
    return user.is_authenticated and user_role(user) in ("office_staff", "admin")


def students_of_user(user):
    """The programme rows that belong to a signed-in user: linked, or the same e-mail or student number."""
    if not user.is_authenticated:
        return InternshipStudent.objects.none()
    match = Q(user=user) | Q(email__iexact=user.email)
    if user.student_number:
        match |= Q(student_number=user.student_number, email__iexact=user.email)
    return (InternshipStudent.objects.filter(match).select_related("programme", "department__department")
            .order_by("-programme__applications_open"))


def host_units_of_user(user, programme):
    if is_career_staff(user):
        return HostUnit.objects.filter(programme=programme).order_by("code")
    return HostUnit.objects.filter(programme=programme, members=user).order_by("code")


def eligible_q(programme) -> Q:
    """Eligibility (contract §3) as a query, so the pool filters in the database."""
    years = Q(pk__in=[])
    for level, values in (programme.years or {}).items():
        years |= Q(student__level=level, student__year__in=list(values))
    exempt = Q(pk__in=[])
    for e in programme.gpa_exempt or []:
        exempt |= Q(student__level=e["level"], student__year=e["year"])
    return Q(student__department__excluded=False) & years & (exempt | Q(student__gpa__gte=programme.min_gpa))


def pool_page(*, programme, filters: dict, page: int = 1):
    """Complete, eligible applications, anonymised: no name, number or e-mail."""
    query = (InternshipApplication.objects
             .filter(student__programme=programme, completed_at__isnull=False)
             .filter(eligible_q(programme))
             .exclude(student__offers__status=OfferStatus.STARTED))
    if filters.get("department"):
        query = query.filter(student__department__department__code=filters["department"])
    if filters.get("year"):
        query = query.filter(student__year=filters["year"])
    if filters.get("calendar"):
        query = query.filter(calendar_choices__calendar__code=filters["calendar"])
    if filters.get("city"):
        query = query.filter(plates__contains=f",{filters['city']},")
    if filters.get("min_points") is not None:
        query = query.filter(points_total__gte=filters["min_points"])
    query = (query.annotate(noted=Exists(StudentNote.objects.filter(student_id=OuterRef("student_id"))))
             .select_related("student__department__department")
             .prefetch_related(Prefetch("calendar_choices", queryset=CalendarChoice.objects.select_related("calendar")))
             .order_by(*POOL_SORTS.get(filters.get("sort") or "points", POOL_SORTS["points"])))
    return Paginator(query, POOL_PAGE).get_page(page)


OFFERS_SHOWN = 200


def positions_of_units(units):
    """The unit's most recent offers (a unit with thousands sees the latest; the CSV export has all)."""
    recent = (Offer.objects.filter(position__host_unit__in=list(units))
              .select_related("position", "student__application", "calendar").order_by("-made_at", "-pk")[:OFFERS_SHOWN])
    return sorted(recent, key=lambda o: (o.position.code, o.seq))


def documents_waiting(programme):
    return (CompetenceDocument.objects.filter(application__student__programme=programme, status=DocumentStatus.WAITING)
            .select_related("application__student").order_by("uploaded_at", "pk"))


def offers_due(programme, *, today: dt.date):
    """Accepted offers that hold their position and are not started: what the office still owes."""
    rows = []
    for offer in (Offer.objects.filter(position__programme=programme, status=OfferStatus.ACCEPTED)
                  .select_related("position__host_unit", "student__department__department", "calendar")
                  .order_by("calendar__start", "student__student_number")):
        if offer.position.holder_id != offer.pk:
            continue
        start = offer.calendar.start
        rows.append({
            "offer": offer,
            "forms_due": start - dt.timedelta(days=programme.forms_due_days),
            "insurance_due": start - dt.timedelta(days=programme.insurance_due_days),
            "late": (not offer.insured_at and today >= start - dt.timedelta(days=programme.insurance_due_days))
                    or (not offer.forms_checked_at and today >= start - dt.timedelta(days=programme.forms_due_days)),
        })
    return rows
