from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility import selectors as call_selectors
from mobility.models import Call
from selection import selectors
from selection.exports import notes, ranking_csv, ranking_pdf, ranking_xlsx
from selection.models import ACTIVE_RUN_STATUSES
from selection.services import SelectionBusy, selection_run_enqueue

PAGE_SIZE = 100


def _call(request, code: str) -> Call:
    try:
        return call_selectors.call_for_office(user=request.user, code=code)
    except Call.DoesNotExist:
        raise Http404


def _visible_departments(request, call) -> list[str] | None:
    """None for staff (everything); the coordinator's own department codes otherwise."""
    if call_selectors.departments_seen_by(user=request.user) is None:
        return None
    return [cd.department.code for cd in call_selectors.departments_visible_to(user=request.user, call=call)]


@permission_required("mobility.access_office", raise_exception=True)
def selection_page(request, code: str):
    call = _call(request, code)
    run = selectors.latest_run(call=call)
    current = selectors.latest_run_any_status(call=call)
    allowed = _visible_departments(request, call)
    departments = [
        cd for cd in call.call_departments.select_related("department")
        if allowed is None or cd.department.code in allowed
    ]
    chosen = request.GET.get("department") or (departments[0].department.code if departments else "")
    if allowed is not None and chosen not in allowed:
        raise Http404
    page = None
    if run is not None and chosen:
        rows = selectors.ranking_rows(run=run, departments=[chosen])
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        # Coordinators (allowed is not None) never see disability, martyr/veteran or 2828 bonuses.
        page.rows = [(r, notes(r, special_category=allowed is None)) for r in page.object_list]
    return render(
        request,
        "selection/selection_page.html",
        {
            "call": call, "run": run, "current": current, "departments": departments, "chosen": chosen,
            "page": page, "busy": current is not None and current.status in ACTIVE_RUN_STATUSES,
            "can_run": request.user.has_perm("mobility.run_selection"),
            "runs": call.selection_runs.select_related("started_by")[:10],
        },
    )


@permission_required("mobility.access_office", raise_exception=True)
def selection_status(request, code: str):
    """The progress box; htmx polls it while a run is queued or running."""
    call = _call(request, code)
    current = selectors.latest_run_any_status(call=call)
    busy = current is not None and current.status in ACTIVE_RUN_STATUSES
    response = render(request, "selection/_run_status.html", {"call": call, "current": current, "busy": busy})
    if request.htmx and not busy and request.GET.get("was") == "busy":
        response["HX-Refresh"] = "true"  # the run just finished: show its results
    return response


@require_POST
@permission_required("mobility.run_selection", raise_exception=True)
def selection_start(request, code: str):
    call = _call(request, code)
    try:
        selection_run_enqueue(call=call, actor=request.user)
    except SelectionBusy as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The selection has been started."))
    return redirect("selection:page", code=call.code)


@permission_required("mobility.access_office", raise_exception=True)
def ranking_download(request, code: str, fmt: str):
    call = _call(request, code)
    if _visible_departments(request, call) is not None:
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
