"""Office pages of runs and publication: open a run, compare two, what-if a budget, start, publish, download."""
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.models import CallStatus
from mobility.office_access import is_office_staff, office_call, visible_departments
from mobility.services.calls import FINAL, TRANSITION_EFFECTS, CallTransitionError
from selection import selectors
from selection.compare import WhatIfError, runs_compare, what_if_budget
from selection.exports import notes as office_notes
from selection.listing import list_csv, list_pdf, list_xlsx
from selection.models import PublicationStage, RunStatus, SelectionRun
from selection.pdf_jobs import PDF_INLINE_ROWS, pdf_job_file, pdf_job_start, pdf_job_state, pdf_rows
from selection.publication import PublicationError, PublicationNeedsConfirmation, publication_risks, run_publish
from selection.services import SelectionBusy, SelectionEnqueueError, SelectionNeedsConfirmation, selection_run_enqueue
from selection.staleness import run_staleness

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _departments(request, call):
    allowed = visible_departments(request, call)
    codes = [cd.department.code for cd in call.call_departments.select_related("department")]
    return [c for c in codes if allowed is None or c in allowed], allowed


@permission_required("mobility.access_office", raise_exception=True)
def run_detail(request, code: str, pk: int):
    """One run: its figures, whether it is stale, and its ranking one department at a time."""
    call = office_call(request, code)
    run = get_object_or_404(SelectionRun.objects.defer("inputs_snapshot").select_related("started_by"), call=call, pk=pk)
    codes, allowed = _departments(request, call)
    chosen = request.GET.get("department") or (codes[0] if codes else "")
    if chosen not in codes:
        raise Http404
    page = Paginator(selectors.ranking_rows(run=run, departments=[chosen]), PAGE_SIZE).get_page(request.GET.get("page"))
    # A coordinator sees no score and no bonus: see selection.listing.office_row (KVKK art. 6).
    sensitive = is_office_staff(request.user)
    page.rows = [(r, office_notes(r, special_category=sensitive)) for r in page.object_list]
    latest = selectors.latest_run(call=call)
    previous = (
        SelectionRun.objects.filter(call=call, status=RunStatus.FINISHED, created_at__lt=run.created_at)
        .order_by("-created_at", "-id").values_list("pk", flat=True).first()
    )
    return render(request, "office/run_detail.html", {
        "call": call, "run": run, "codes": codes, "chosen": chosen, "page": page, "previous": previous,
        "scores_visible": sensitive,
        "is_latest": latest is not None and latest.pk == run.pk,
        "staleness": run_staleness(call=call, run=run) if latest is not None and latest.pk == run.pk else None,
    })


@permission_required("mobility.access_office", raise_exception=True)
def runs_list(request, code: str):
    call = office_call(request, code)
    runs = call.selection_runs.defer("inputs_snapshot", "rules_snapshot").select_related("started_by")
    return render(request, "office/runs.html", {"call": call, "runs": runs})


@permission_required("mobility.change_call", raise_exception=True)
def runs_compare_page(request, code: str):
    call = office_call(request, code)
    finished = SelectionRun.objects.filter(call=call, status=RunStatus.FINISHED).order_by("-created_at", "-id")
    try:
        newer = finished.get(pk=request.GET["b"]) if request.GET.get("b") else finished[0]
        older = finished.get(pk=request.GET["a"]) if request.GET.get("a") else finished.filter(created_at__lt=newer.created_at)[0]
    except (SelectionRun.DoesNotExist, IndexError, ValueError):
        messages.error(request, _("Two finished runs are needed for a comparison."))
        return redirect("office:runs", code=call.code)
    return render(request, "office/compare.html", {"call": call, **runs_compare(older=older, newer=newer)})


@permission_required("mobility.change_call", raise_exception=True)
def what_if_page(request, code: str):
    call = office_call(request, code)
    result, error = None, None
    if request.GET.get("budget"):
        try:
            result = what_if_budget(call=call, budget=request.GET["budget"], last_run=selectors.latest_run(call=call))
        except WhatIfError as exc:
            error = str(exc)
    return render(request, "office/what_if.html", {"call": call, "result": result, "error": error, "budget": request.GET.get("budget", "")})


@permission_required("mobility.run_selection", raise_exception=True)
def run_start_page(request, code: str):
    """Starts a run; while applications are still open it asks first and the run is marked as early."""
    call = office_call(request, code)
    early = timezone.now() < call.applications_close
    if request.method == "POST":
        try:
            run = selection_run_enqueue(call=call, actor=request.user, early_confirmed=request.POST.get("confirm") == "yes")
        except SelectionNeedsConfirmation:
            early = True  # applications were open after all: ask
        except (SelectionBusy, SelectionEnqueueError) as exc:
            messages.error(request, str(exc))
            return redirect("office:workspace", code=call.code)
        else:
            messages.success(request, _("The selection has been started."))
            return redirect("office:run", code=call.code, pk=run.pk)
    return render(request, "office/confirm.html", {
        "call": call, "title": _("Run the selection?"),
        "effect": _(
            "Applications are still open until %(close)s. A run now may miss applications that come later; "
            "it will be marked “before the close”."
        ) % {"close": timezone.localtime(call.applications_close).strftime("%d.%m.%Y %H:%M")} if early else
        _("A new run ranks every submitted application with the call's current rules; earlier runs are kept."),
        "button": _("Run the selection"), "confirm_field": early,
    })


@permission_required("mobility.run_selection", raise_exception=True)
def publish_page(request, code: str, stage: str):
    call = office_call(request, code)
    if stage not in PublicationStage.values:
        raise Http404
    if request.method == "POST":
        try:
            publication = run_publish(
                call=call, stage=stage, at=timezone.now(), actor=request.user, confirmed=request.POST.get("confirm") == "yes",
            )
        except PublicationNeedsConfirmation:
            messages.error(request, _("Nothing was published: read what publishing now means and tick the box to go ahead."))
            return redirect("office:publish", code=call.code, stage=stage)
        except (PublicationError, CallTransitionError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Run #%(run)s is published as the %(stage)s list.") % {
                "run": publication.run_id, "stage": publication.get_stage_display().lower(),
            })
        return redirect("office:workspace", code=call.code)
    target = CallStatus.FINAL_PUBLISHED if stage == PublicationStage.FINAL else CallStatus.PRELIMINARY_PUBLISHED
    latest = selectors.latest_run(call=call)
    staleness = run_staleness(call=call, run=latest) if latest else None
    effect = str(TRANSITION_EFFECTS[target])
    if staleness and staleness.stale:
        effect += " " + _("Warning: the latest run is out of date (%(why)s); run the selection again first.") % {
            "why": ", ".join(staleness.reasons)
        }
    risks = publication_risks(call=call, stage=stage, at=timezone.now())
    if latest is None:
        effect = _("There is no finished run to publish yet.")
    return render(request, "office/confirm.html", {
        "risks": risks, "confirm_field": bool(risks) and latest is not None,
        "confirm_label": _("I have read the above; publish anyway."),
        "call": call, "title": _("Publish run #%(run)s as the %(stage)s list?") % {
            "run": latest.pk if latest else "—", "stage": PublicationStage(stage).label.lower(),
        },
        "effect": effect, "button": _("Publish"), "disabled": latest is None or call.status in FINAL,
    })


@permission_required("mobility.access_office", raise_exception=True)
def list_download(request, code: str, kind: str, fmt: str):
    """`kind`: "public" (the published list as students see it) or "office" (names, internal use).

    Coordinators get their own departments only, and never the kinds of bonuses.
    """
    call = office_call(request, code)
    codes, allowed = _departments(request, call)
    wanted = request.GET.get("department")
    if wanted:
        if wanted not in codes:
            raise Http404
        departments = [wanted]
    else:
        departments = allowed  # None = all, for the office
    publication = selectors.publication_latest(call=call)
    if kind == "public":
        if publication is None:
            raise Http404
        run = publication.run
    elif kind == "office":
        run = selectors.latest_run(call=call)
        if run is None:
            raise Http404
    else:
        raise Http404
    sensitive = allowed is None
    suffix = f"-{wanted}" if wanted else ("" if allowed is None else "-" + "-".join(allowed))
    name = f"{call.code}-{kind}{suffix}-run{run.pk}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # spreadsheets open UTF-8 Turkish text correctly with a BOM
        list_csv(run=run, departments=departments, office=kind == "office", sensitive=sensitive, stream=response)
    elif fmt == "xlsx":
        response = HttpResponse(list_xlsx(run=run, departments=departments, office=kind == "office", sensitive=sensitive), content_type=XLSX)
    elif fmt == "pdf" and kind == "public":
        if pdf_rows(publication=publication, departments=departments) > PDF_INLINE_ROWS:
            key = pdf_job_start(publication=publication, departments=departments)
            return redirect("office:pdf_job", code=call.code, key=key)
        response = HttpResponse(list_pdf(publication=publication, departments=departments), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def pdf_job_page(request, code: str, key: str, *, public: bool = False):
    """The progress of a long PDF; htmx polls it, and it offers the file when ready."""
    state = pdf_job_state(call_code=code, key=key)
    if state is None:
        raise Http404
    if request.GET.get("file") and state["status"] == "done":
        handle = pdf_job_file(call_code=code, key=key)
        if handle is None:
            raise Http404
        response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=f"{code}-{key}.pdf")
        return response
    return render(request, "publication/pdf_job.html", {"code": code, "key": key, "state": state, "public": public})


@permission_required("mobility.access_office", raise_exception=True)
def office_pdf_job(request, code: str, key: str):
    call = office_call(request, code)
    if visible_departments(request, call) is not None and key.endswith("-all"):
        raise Http404
    return pdf_job_page(request, call.code, key)
