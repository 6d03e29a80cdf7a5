"""A student's appeal page and the office's answers."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.forms import AnswerForm, AppealForm
from appeals.models import Appeal, AppealStatus
from appeals.selectors import appeals_for_call, appeals_of_application
from appeals.services import AppealError, appeal_file, appeal_transition, appeal_window_open
from applications.models import Application
from mobility.models import Call
from mobility.office_access import office_call
from mobility.services.calls import PUBLISHED
from mobility.uploads import private_file_response
from selection.models import Publication, SelectionResult
from selection.public import public_notes


@login_required
def student_appeal(request, code: str):
    """The student's own result in each published list, their appeals and answers, and the form."""
    call = get_object_or_404(Call.objects.filter(status__in=PUBLISHED), code=code)
    applicant = getattr(request.user, "applicant", None)
    application = None if applicant is None else (
        Application.objects.filter(call=call, applicant=applicant).select_related("department").first()
    )
    if application is None:
        raise Http404
    now = timezone.now()
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_file(
                application=application, text=form.cleaned_data["text"], document=form.cleaned_data["document"],
                at=now, actor=request.user,
            )
        except AppealError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your appeal has been filed. The office will answer it here."))
            return redirect("appeals:student", code=call.code)
    publications = list(Publication.objects.filter(call=call).order_by("published_at", "id"))
    results = {
        r.run_id: r for r in SelectionResult.objects.filter(application=application, run_id__in=[p.run_id for p in publications])
    }
    steps = [(p, results.get(p.run_id), public_notes(results[p.run_id]) if p.run_id in results else []) for p in publications]
    appeals = list(appeals_of_application(application=application))
    return render(request, "appeals/student.html", {
        "call": call, "application": application, "steps": steps, "appeals": appeals, "form": form,
        "window_open": appeal_window_open(call=call, at=now),
        "waiting": any(a.status == AppealStatus.FILED for a in appeals),
    })


@login_required
def student_appeal_document(request, code: str, pk: int):
    """The attachment of one's own appeal; anyone else's is not found."""
    appeal = get_object_or_404(Appeal, call__code=code, pk=pk, application__applicant__user=request.user)
    return private_file_response(appeal.document, filename=f"appeal-{appeal.pk}")


@permission_required("mobility.change_call", raise_exception=True)
def office_appeal_document(request, code: str, pk: int):
    call = office_call(request, code)
    appeal = get_object_or_404(Appeal, call=call, pk=pk)
    return private_file_response(appeal.document, filename=f"appeal-{appeal.pk}")


@permission_required("mobility.change_call", raise_exception=True)
def office_appeals(request, code: str):
    call = office_call(request, code)
    appeals = list(appeals_for_call(call=call))
    forms = {a.pk: AnswerForm(prefix=f"a{a.pk}") for a in appeals if a.status == AppealStatus.FILED}
    return render(request, "appeals/office.html", {"call": call, "rows": [(a, forms.get(a.pk)) for a in appeals]})


@permission_required("mobility.change_call", raise_exception=True)
def office_answer(request, code: str, pk: int):
    call = office_call(request, code)
    appeal = get_object_or_404(Appeal, call=call, pk=pk)
    form = AnswerForm(request.POST, prefix=f"a{appeal.pk}")
    if request.method != "POST" or not form.is_valid():
        messages.error(request, _("Choose a decision and write the answer."))
        return redirect("office:appeals", code=call.code)
    try:
        appeal_transition(
            appeal=appeal, to=AppealStatus(form.cleaned_data["decision"]), answer=form.cleaned_data["answer"],
            at=timezone.now(), actor=request.user,
        )
    except AppealError as exc:
        messages.error(request, str(exc))
    else:
        if form.cleaned_data["decision"] == AppealStatus.ACCEPTED:
            messages.success(request, _(
                "Appeal accepted. Correct the application's data, run the selection again and publish the preliminary list again."
            ))
        else:
            messages.success(request, _("Appeal answered."))
    return redirect("office:appeals", code=call.code)
