"""Pages: thin views that parse, call a service or selector, and render. Students (phone first),
host units (anonymised candidate pool, offers) and career staff (checks, insurance, exports)."""
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internships import exports, selectors
from internships.eligibility import student_ineligibility
from internships.explain import reason_text
from internships.models import CompetenceDocument, Heading, HostUnit, InternshipApplication, InternshipProgramme, Offer, OfferStatus
from internships.places import provinces
from internships.rules.cities import ALL
from internships.services import InternshipError
from internships.services.applications import (
    application_confirm_details,
    application_set_choices,
    calendar_codes,
    document_add,
    document_decide,
)
from internships.services.offers import (
    forms_check,
    forms_upload,
    insurance_record,
    internship_cancel,
    internship_start,
    offer_answer,
    offer_make,
)
from internships.services.programme import programme_span
from internships.uploads import upload_check


def _refused(request, error: InternshipError) -> None:
    for line in error.lines:
        code, _sep, detail = line.partition(":")
        messages.error(request, reason_text(code.strip(), detail.strip()))


def _student(request, code):
    student = selectors.students_of_user(request.user).filter(programme__code=code).first()
    if student is None:
        raise Http404
    return student


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _staff(request):
    if not selectors.is_career_staff(request.user):
        raise PermissionDenied


# Students ---------------------------------------------------------------------------------------

@login_required
def student_home(request):
    students = list(selectors.students_of_user(request.user))
    if len(students) == 1:
        return redirect("internships:status", students[0].programme.code)
    return render(request, "internships/student_home.html", {"students": students})


@login_required
def student_status(request, code):
    student = _student(request, code)
    application = InternshipApplication.objects.filter(student=student).first()
    offers = list(student.offers.select_related("position__host_unit", "calendar").order_by("made_at", "pk"))
    now = timezone.now()
    return render(request, "internships/student_status.html", {
        "student": student, "programme": student.programme, "application": application,
        "reason": student_ineligibility(student), "reason_text": reason_text(student_ineligibility(student) or ""),
        "calendars": calendar_codes(application) if application else [],
        "documents": list(application.documents.all()) if application else [],
        "offers": [{"offer": o, "holds": o.position.holder_id == o.pk, "open": o.status == OfferStatus.OPEN and now < o.answer_by}
                   for o in offers],
        "now": now, "window_open": student.programme.applications_open <= now < student.programme.applications_close,
    })


@login_required
def student_details(request, code):
    """Stage 1: the details the university holds; the student confirms them."""
    student = _student(request, code)
    if request.method == "POST":
        try:
            application_confirm_details(student=student, at=timezone.now(), actor=request.user)
        except InternshipError as exc:
            _refused(request, exc)
            return redirect("internships:status", code)
        return redirect("internships:form", code)
    return render(request, "internships/student_details.html", {"student": student, "programme": student.programme,
                                                                 "reason_text": reason_text(student_ineligibility(student) or "")})


def _cities_from_post(post) -> list[tuple[str, list[str]]]:
    out = []
    for i in range(1, 6):
        plate = (post.get(f"city{i}") or "").strip()
        if not plate:
            continue
        districts = [ALL] if post.get(f"all{i}") else [d for d in post.getlist(f"districts{i}") if d]
        out.append((plate, districts))
    return out


@login_required
def student_form(request, code):
    """Stage 2: calendars in priority order, cities with districts, competence documents."""
    student = _student(request, code)
    programme = student.programme
    application = InternshipApplication.objects.filter(student=student).first()
    if application is None or not application.details_confirmed_at:
        return redirect("internships:details", code)
    if request.method == "POST":
        ranked = [c for c in (request.POST.get(f"choice{i}", "").strip() for i in range(1, 4)) if c]
        try:
            application_set_choices(
                student=student, calendars=None if application.completed_at else ranked,
                cities=_cities_from_post(request.POST), complete=request.POST.get("action") == "complete",
                at=timezone.now(), actor=request.user,
            )
        except InternshipError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Your application is complete.") if request.POST.get("action") == "complete"
                             else _("Saved."))
            return redirect("internships:status" if request.POST.get("action") == "complete" else "internships:form", code)
    fitting = list(programme.calendars.filter(working_days=student.department.internship_days).order_by("position"))
    allowed = int((programme.max_choices or {}).get(str(student.department.internship_days), 0))
    chosen = calendar_codes(application)
    cities = application.cities + [{"plate": "", "districts": []}] * (5 - len(application.cities))
    table = programme.competence_points or {}
    return render(request, "internships/student_form.html", {
        "student": student, "programme": programme, "application": application,
        "calendars": fitting, "slots": [(i, chosen[i - 1] if i <= len(chosen) else "") for i in range(1, allowed + 1)],
        "cities": list(enumerate(cities, start=1)), "provinces": provinces(),
        "districts_json": {plate: list(d) for plate, (_, d) in provinces().items()},
        "headings": [(h.value, h.label, sorted(table.get(h.value, {}).items())) for h in Heading],
        "documents": list(application.documents.all()),
    })


@login_required
@require_POST
def student_document_add(request, code):
    student = _student(request, code)
    application = get_object_or_404(InternshipApplication, student=student)
    upload = request.FILES.get("file")
    try:
        content_type = upload_check(upload)
        document_add(application=application, heading=request.POST.get("heading", ""), kind=request.POST.get("kind", ""),
                     title=request.POST.get("title", "").strip() or upload.name, upload=upload,
                     content_type=content_type, at=timezone.now(), actor=request.user)
    except InternshipError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Document added; career staff will check it."))
    return redirect("internships:form", code)


@login_required
@require_POST
def student_answer(request, code):
    student = _student(request, code)
    offer = get_object_or_404(Offer, pk=_int(request.POST.get("offer")), student=student)
    try:
        offer_answer(programme=student.programme, offer_id=offer.pk, accept=request.POST.get("answer") == "accept",
                     at=timezone.now(), actor=request.user)
    except InternshipError as exc:
        _refused(request, exc)
    return redirect("internships:status", code)


@login_required
@require_POST
def student_forms(request, code):
    student = _student(request, code)
    offer = get_object_or_404(Offer, pk=_int(request.POST.get("offer")), student=student)
    try:
        upload_check(request.FILES.get("file"))
        forms_upload(offer=offer, upload=request.FILES["file"], at=timezone.now(), actor=request.user)
    except InternshipError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Signed forms handed in; your department's career advisor will check them."))
    return redirect("internships:status", code)


@login_required
def document_file(request, document_id):
    document = get_object_or_404(CompetenceDocument.objects.select_related("application__student"), pk=document_id)
    owner = selectors.students_of_user(request.user).filter(pk=document.application.student_id).exists()
    if not owner and not selectors.is_career_staff(request.user):
        raise PermissionDenied
    return FileResponse(document.file.open("rb"), content_type=document.content_type, filename=document.original_name)


@login_required
def forms_file(request, offer_id):
    _staff(request)
    offer = get_object_or_404(Offer, pk=offer_id)
    if not offer.forms_file:
        raise Http404
    return FileResponse(offer.forms_file.open("rb"), filename=f"forms-{offer.pk}")


# Host units -----------------------------------------------------------------------------------------

def _pool_filters(get) -> dict:
    filters = {key: (get.get(key) or "").strip() for key in ("department", "calendar", "city", "sort")}
    try:
        filters["year"] = int(get.get("year")) if get.get("year") else None
    except ValueError:
        filters["year"] = None
    try:
        filters["min_points"] = Decimal(get["min_points"]) if get.get("min_points") else None
    except InvalidOperation:
        filters["min_points"] = None
    return filters


@login_required
def host_pool(request, code, unit):
    programme = get_object_or_404(InternshipProgramme, code=code)
    units = selectors.host_units_of_user(request.user, programme)
    host = units.filter(code=unit).first()
    if host is None:
        raise PermissionDenied
    if request.method == "POST":
        application = get_object_or_404(InternshipApplication, handle=request.POST.get("handle", ""),
                                        student__programme=programme)
        answer_by = None
        if request.POST.get("answer_by"):
            try:
                answer_by = dt.datetime.fromisoformat(request.POST["answer_by"]).replace(
                    tzinfo=exports.ISTANBUL)
            except ValueError:
                messages.error(request, _("Enter the answer deadline as a date and time."))
                return redirect(request.get_full_path())
        try:
            offer_make(programme=programme, position_code=request.POST.get("position", "").strip(),
                       student_number=application.student.student_number, kind=request.POST.get("kind", ""),
                       calendar_code=request.POST.get("calendar", ""), at=timezone.now(), answer_by=answer_by,
                       host_unit=host, actor=request.user)
        except InternshipError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Offer made; the student was e-mailed."))
        return redirect(request.get_full_path())
    filters = _pool_filters(request.GET)
    page = selectors.pool_page(programme=programme, filters=filters, page=request.GET.get("page") or 1)
    offers = list(selectors.positions_of_units([host]))
    return render(request, "internships/host_pool.html", {
        "programme": programme, "host": host, "units": units, "page": page, "filters": filters,
        "departments": programme.departments.select_related("department").filter(excluded=False),
        "calendars": programme.calendars.order_by("position"), "provinces": provinces(),
        "offers": offers, "sorts": list(selectors.POOL_SORTS),
    })


# Career staff -----------------------------------------------------------------------------------------

@login_required
def office(request, code):
    _staff(request)
    programme = get_object_or_404(InternshipProgramme, code=code)
    if request.method == "POST":
        return _office_action(request, programme)
    today = timezone.localdate()
    return render(request, "internships/office.html", {
        "programme": programme, "documents": selectors.documents_waiting(programme)[:50],
        "due": selectors.offers_due(programme, today=today), "today": today,
        "units": HostUnit.objects.filter(programme=programme).order_by("code"),
        "statistics": exports.statistics_rows(programme=programme),
        "calendars": [(c, programme_span(programme, start=c.start, working_days=c.working_days, week=c.week,
                                         language=get_language() or "tr"))
                      for c in programme.calendars.order_by("position")],
    })


def _office_action(request, programme):
    action, now = request.POST.get("action", ""), timezone.now()
    try:
        if action in ("accept", "reject"):
            document = get_object_or_404(CompetenceDocument, pk=_int(request.POST.get("document")),
                                         application__student__programme=programme)
            document_decide(document=document, accept=action == "accept", reason=request.POST.get("reason", ""),
                            actor=request.user, at=now)
        else:
            offer = get_object_or_404(Offer, pk=_int(request.POST.get("offer")), position__programme=programme)
            if action == "forms":
                forms_check(offer=offer, at=now, actor=request.user)
            elif action == "insurance":
                insurance_record(programme=programme, offer_id=offer.pk, at=now, actor=request.user)
            elif action == "start":
                internship_start(programme=programme, offer_id=offer.pk, at=now, actor=request.user)
            elif action == "cancel":
                internship_cancel(programme=programme, offer_id=offer.pk, excused=bool(request.POST.get("excuse")),
                                  at=now, actor=request.user)
            else:
                raise Http404
    except InternshipError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("internships:office", programme.code)


@login_required
def office_export(request, code, kind):
    _staff(request)
    programme = get_object_or_404(InternshipProgramme, code=code)
    stream = io.StringIO()
    if kind == "offers":
        exports.offers_csv(programme=programme, stream=stream)
    elif kind == "students":
        exports.students_csv(programme=programme, stream=stream)
    elif kind == "statistics":
        exports.statistics_csv(programme=programme, stream=stream)
    elif kind == "insurance":
        try:
            week = dt.date.fromisoformat(request.GET.get("week", ""))
        except ValueError:
            week = timezone.localdate()
        exports.insurance_csv(programme=programme, week_of=week, stream=stream)
        kind = f"insurance-{week.isoformat()}"
    else:
        raise Http404
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.code}-{kind}.csv"'
    return response
