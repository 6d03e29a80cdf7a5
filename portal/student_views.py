"""Student pages: the call page (pre-check, draft, documents, timeline, result) and their actions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications.models import Application, ApplicationStatus, Document, ExamResult
from applications.selectors import exam_session_for_call
from applications.student import selectors
from applications.student.applying import GRADUATE, ApplicationError, application_draft_save, application_prefill, application_transition
from applications.student.documents import document_decide, document_upload
from applications.student.forms import DecisionForm, DraftForm, UploadForm, draft_initial
from letters.selectors import placement_for_student
from mobility.models import CallStatus, Department
from mobility.models.calls import ADJUSTMENT_LABELS
from mobility.services.calls import appeal_window_open
from mobility.uploads import private_file_response
from selection import selectors as selection_selectors
from selection.precheck import eligibility_precheck

REVIEW_PERMISSION = "applications.review_document"


def _call_url(call, anchor: str = "") -> str:
    return reverse("applications:call", args=[call.code]) + anchor


def _draft_form(request, call, application, applicant, data=None):
    prefill = application_prefill(applicant=applicant, call=call) if applicant else {}
    departments = Department.objects.filter(pk__in=call.call_departments.values("department_id"))
    return DraftForm(
        data, call=call, application=application, departments=departments, history=prefill,
        initial=draft_initial(application, prefill),
    )


def call_page(request, code: str, *, form=None, upload_form=None, status=200):
    call = selectors.call_for_students(code=code)
    applicant = selectors.student_applicant(request.user)
    application = None
    if applicant is not None:
        application = (
            Application.objects.filter(call=call, applicant=applicant).select_related("department").first()
        )
    publications = selection_selectors.call_publications(call=call)
    latest = publications[-1] if publications else None
    context = {
        "call": call,
        "departments": call.call_departments.select_related("department"),
        "adjustments": [(label, points) for label, points in _adjustment_rows(call)],
        "applicant": applicant,
        "application": application,
        "publication": latest,
        # The student's placement after the final list: status, promotion, link to the letter page.
        "letters_panel": placement_for_student(user=request.user, call=call),
        "appeal_open": application is not None and appeal_window_open(call=call, at=timezone.now()),
    }
    if applicant is not None:
        exam = ExamResult.objects.filter(session=exam_session_for_call(call=call), applicant=applicant).first()
        editable = application is None or application.status == ApplicationStatus.DRAFT
        if editable and form is None:
            form = _draft_form(request, call, application, applicant)
        values = _precheck_values(application, form)
        context.update(
            exam=exam,
            form=form if editable else None,
            precheck=eligibility_precheck(call=call, exam=exam, **values) if values else None,
            window_open=call.status == CallStatus.ANNOUNCED and call.is_open(timezone.now()),
        )
        if application is not None:
            result = selection_selectors.student_result(application=application, publication=latest)
            context.update(
                documents=selectors.application_documents(application=application),
                upload_form=upload_form or UploadForm(application=application),
                timeline=selection_selectors.application_timeline(application=application, call=call, publications=publications),
                result=result,
                result_lines=selectors.result_lines(result) if result else [],
                months=selectors.erasmus_months_left(application=application) if result else None,
                graduate=application.level in GRADUATE,
            )
    return render(request, "applications/student/call_page.html", context, status=status)


def _adjustment_rows(call):
    return [(ADJUSTMENT_LABELS[code], points) for code, points in call.adjustment_points().items() if points]


def _precheck_values(application, form) -> dict | None:
    if application is not None:
        return {
            "department_code": application.department.code, "level": application.level, "gpa": application.gpa,
            "previous_degree_gpa": application.previous_degree_gpa,
        }
    if form is not None and form.initial.get("department"):
        department = Department.objects.filter(pk=form.initial["department"]).first()
        return {
            "department_code": department.code if department else None, "level": form.initial.get("level"),
            "gpa": form.initial.get("gpa"), "previous_degree_gpa": None,
        }
    return None


@login_required
@require_POST
def application_save(request, code: str):
    """Save the draft; with the submit button, submit it too (both or nothing)."""
    at = timezone.now()
    call = selectors.call_for_students(code=code)
    applicant = selectors.student_applicant(request.user)
    if applicant is None:
        raise Http404
    application = Application.objects.filter(call=call, applicant=applicant).first()
    form = _draft_form(request, call, application, applicant, data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the marked fields. Nothing was saved."))
        return call_page(request, code, form=form, status=400)
    try:
        with transaction.atomic():
            application = application_draft_save(applicant=applicant, call=call, data=form.draft_input(), actor=request.user, at=at)
            if "submit" in request.POST:
                application_transition(application=application, to=ApplicationStatus.SUBMITTED, actor=request.user, at=at)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(_call_url(call, "#application"))
    if "submit" in request.POST:
        messages.success(request, _("Your application is submitted. A receipt is on its way to your e-mail."))
    else:
        messages.success(request, _("Draft saved. It is not evaluated until you submit it."))
    return redirect(_call_url(call, "#application"))


def _move(request, application_id: int, to: str, done: str):
    at = timezone.now()
    application = selectors.student_application(applicant=selectors.student_applicant(request.user), application_id=application_id)
    try:
        application_transition(application=application, to=to, actor=request.user, at=at)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_call_url(application.call, "#application"))


@login_required
@require_POST
def application_submit(request, application_id: int):
    return _move(request, application_id, ApplicationStatus.SUBMITTED, _("Your application is submitted. A receipt is on its way to your e-mail."))


@login_required
@require_POST
def application_reopen(request, application_id: int):
    return _move(request, application_id, ApplicationStatus.DRAFT, _("Your application is a draft again: change it and submit it before the deadline."))


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, application_id: int):
    """A GET, or a POST without `confirm=yes`, only shows what a withdrawal means; the confirmed POST withdraws."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return _move(request, application_id, ApplicationStatus.WITHDRAWN, _("Your application is withdrawn. It will not be evaluated."))
    application = selectors.student_application(applicant=selectors.student_applicant(request.user), application_id=application_id)
    if application.status == ApplicationStatus.WITHDRAWN:
        return redirect(_call_url(application.call, "#application"))
    return render(request, "applications/student/withdraw_confirm.html", {
        "application": application, "call": application.call, "points": abs(application.call.points_late_withdrawal),
    })


@login_required
@require_POST
def application_document_upload(request, application_id: int):
    at = timezone.now()
    application = selectors.student_application(applicant=selectors.student_applicant(request.user), application_id=application_id)
    form = UploadForm(request.POST, request.FILES, application=application)
    # A refusal is shown next to the upload itself (the page opens there), not in a message at the top.
    if not form.is_valid():
        form.add_error(None, _("Choose the kind of document and a file. Nothing was saved."))
        return call_page(request, application.call.code, upload_form=form, status=400)
    try:
        document_upload(
            application=application, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], actor=request.user, at=at,
        )
    except ApplicationError as error:
        form.add_error("file", str(error))
        return call_page(request, application.call.code, upload_form=form, status=400)
    else:
        messages.success(request, _("Document uploaded. The office will check it; you will get an e-mail."))
    return redirect(_call_url(application.call, "#documents"))


@login_required
def document_download(request, document_id: int):
    """The owner and office reviewers only; for anyone else the document does not exist."""
    document = Document.objects.select_related("application__applicant").filter(pk=document_id).first()
    if document is None:
        raise Http404
    owner = document.application.applicant.user_id == request.user.pk
    if not (owner or request.user.has_perm(REVIEW_PERMISSION)):
        raise Http404
    return private_file_response(document.file, filename=f"{document.kind}-{document.pk}", content_type=document.content_type)


@permission_required(REVIEW_PERMISSION, raise_exception=True)
def office_document_queue(request):
    page = Paginator(selectors.documents_waiting(), 50).get_page(request.GET.get("page"))
    return render(request, "applications/office/document_queue.html", {"page": page, "form": DecisionForm()})


@permission_required(REVIEW_PERMISSION, raise_exception=True)
@require_POST
def office_document_decide(request, document_id: int):
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or reject. Nothing was changed."))
    else:
        try:
            document_decide(
                document=document, to=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                actor=request.user, at=timezone.now(),
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision saved; the student is told by e-mail."))
    return redirect("applications:document_queue")


@login_required
def profile(request):
    applicant = selectors.student_applicant(request.user)
    latest = None
    if applicant is not None:
        latest = (
            Application.objects.filter(applicant=applicant, source="office")
            .select_related("department", "call").order_by("-call__applications_open").first()
        )
    return render(request, "applications/student/profile.html", {"applicant": applicant, "office_record": latest})
