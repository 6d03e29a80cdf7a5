from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility import selectors as call_selectors
from mobility.models import Call
from mobility.office_access import visible_departments
from selection import selectors
from selection.exports import notes, ranking_csv, ranking_pdf, ranking_xlsx
from selection.models import ACTIVE_RUN_STATUSES
from selection.services import (
    SelectionBusy,
    SelectionCancelError,
    SelectionEnqueueError,
    SelectionNeedsConfirmation,
    selection_run_cancel,
    selection_run_enqueue,
)

PAGE_SIZE = 100


def _call(request, code: str) -> Call:
    try:
        return call_selectors.call_for_office(user=request.user, code=code)
    except Call.DoesNotExist:
        raise Http404 from None


def _status_context(request, call, allowed) -> dict:
    """The run box: the latest run, whether to keep polling, and totals the user may see."""
    current = selectors.latest_run_any_status(call=call)
    busy = current is not None and current.status in ACTIVE_RUN_STATUSES
    poll_until = selectors.run_poll_until(current) if busy else None
    return {
        "call": call, "current": current, "busy": busy,
        # Past its limit the sweep ends the run; the page stops asking and offers a reload instead.
        "poll": poll_until is not None and timezone.now() < poll_until,
        "can_run": request.user.has_perm("mobility.run_selection"),
        "department_totals": allowed is not None,
    }


def _attach_totals(runs, allowed) -> None:
    totals = selectors.run_totals(runs=runs, departments=allowed)
    for run in runs:
        run.totals = totals[run.pk]


@permission_required("mobility.access_office", raise_exception=True)
def selection_page(request, code: str):
    call = _call(request, code)
    run = selectors.latest_run(call=call)
    allowed = visible_departments(request, call)
    departments = [
        cd for cd in call.call_departments.select_related("department")
        if allowed is None or cd.department.code in allowed
    ]
    chosen = request.GET.get("department") or (departments[0].department.code if departments else "")
    if allowed is not None and chosen not in allowed:
        raise Http404
    page = None
    if run is not None and chosen:
        page = selectors.ranking_page(run=run, department=chosen, number=request.GET.get("page"), per_page=PAGE_SIZE)
        # Coordinators (allowed is not None) see no score and no bonus: see selection.listing.office_row.
        # A finished run never changes: the template caches the rendered rows, so this runs on a miss only.
        page.rows = lambda: [(r, notes(r, special_category=allowed is None)) for r in selectors.ranking_page_rows(page)]
        page.special_category = allowed is None
    context = _status_context(request, call, allowed)
    runs = selectors.recent_runs(call=call)
    _attach_totals([r for r in (context["current"],) if r is not None] + runs, allowed)
    context.update({
        "run": run, "departments": departments, "chosen": chosen, "page": page, "runs": runs,
        "applications_open": timezone.now() < call.applications_close, "scores_visible": allowed is None,
    })
    return render(request, "selection/selection_page.html", context)


@permission_required("mobility.access_office", raise_exception=True)
def selection_status(request, code: str):
    """The progress box; htmx polls it while a run is queued or running."""
    call = _call(request, code)
    allowed = visible_departments(request, call)
    context = _status_context(request, call, allowed)
    if context["current"] is not None:
        _attach_totals([context["current"]], allowed)
    response = render(request, "selection/_run_status.html", context)
    if request.htmx and not context["busy"] and request.GET.get("was") == "busy":
        response["HX-Refresh"] = "true"  # the run just finished: show its results
    return response


@require_POST
@permission_required("mobility.run_selection", raise_exception=True)
def selection_start(request, code: str):
    call = _call(request, code)
    try:
        selection_run_enqueue(call=call, actor=request.user, early_confirmed=request.POST.get("confirm") == "yes")
    except SelectionNeedsConfirmation as exc:
        # Applications are open: the confirmation page says what a run now misses.
        messages.warning(request, str(exc))
        return redirect("office:run_start", code=call.code)
    except (SelectionBusy, SelectionEnqueueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The selection has been started."))
    return redirect("selection:page", code=call.code)


@require_POST
@permission_required("mobility.run_selection", raise_exception=True)
def selection_cancel(request, code: str, run_id: int):
    call = _call(request, code)
    try:
        selection_run_cancel(call=call, run_id=run_id, actor=request.user)
    except SelectionCancelError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Run #%(pk)s has been cancelled; the selection can be run again.") % {"pk": run_id})
    return redirect("selection:page", code=call.code)


@permission_required("mobility.access_office", raise_exception=True)
def ranking_download(request, code: str, fmt: str):
    call = _call(request, code)
    if visible_departments(request, call) is not None:
        raise Http404  # whole-call lists are for the office
    run = selectors.latest_run(call=call)
    if run is None:
        raise Http404
    name = f"{call.code}-ranking-run{run.pk}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        ranking_csv(run=run, stream=response)
    elif fmt == "xlsx":
        response = HttpResponse(ranking_xlsx(run=run), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "pdf":
        response = HttpResponse(ranking_pdf(run=run), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
