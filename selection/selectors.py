import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationStatus
from selection.models import ACTIVE_RUN_STATUSES, Outcome, Publication, PublicationStage, RunStatus, SelectionResult, SelectionRun

RANKING_ORDER = ("department_code", F("department_rank").asc(nulls_last=True), "student_number")
# The snapshots hold every input of a run (megabytes at 50,000 applications); pages never show them.
SNAPSHOTS = ("rules_snapshot", "inputs_snapshot")
# How long the page keeps asking after a run's time limit: the sweep runs every minute.
POLL_GRACE = dt.timedelta(seconds=120)
# How long what is derived from a finished run's results (which never change) stays in the cache.
RESULT_CACHE_SECONDS = 3600


def runs_without_snapshots() -> QuerySet[SelectionRun]:
    return SelectionRun.objects.defer(*SNAPSHOTS)


def latest_run(*, call) -> SelectionRun | None:
    return runs_without_snapshots().filter(call=call, status=RunStatus.FINISHED).order_by("-created_at", "-id").first()


def latest_run_any_status(*, call) -> SelectionRun | None:
    return runs_without_snapshots().filter(call=call).order_by("-created_at", "-id").first()


def recent_runs(*, call, limit: int = 10) -> list[SelectionRun]:
    return list(runs_without_snapshots().filter(call=call).select_related("started_by").order_by("-created_at", "-id")[:limit])


def run_poll_until(run: SelectionRun) -> dt.datetime | None:
    """Until when a page should wait for an active run; None when the run has ended."""
    if run.status not in ACTIVE_RUN_STATUSES:
        return None
    since = run.started_at if run.status == RunStatus.RUNNING and run.started_at else run.created_at
    return since + dt.timedelta(seconds=settings.SELECTION_RUN_TIMEOUT) + POLL_GRACE


def run_totals(*, runs, departments: list[str] | None) -> dict[int, dict[str, int]]:
    """Primaries, reserves and excluded per run: the run's own counts for the whole call, or
    counted over the given departments only (what a coordinator may see)."""
    if departments is None:
        return {r.pk: {"primaries": r.primaries, "reserves": r.reserves, "excluded": r.excluded} for r in runs}
    totals = {r.pk: {"primaries": 0, "reserves": 0, "excluded": 0} for r in runs}
    names = {Outcome.PRIMARY: "primaries", Outcome.RESERVE: "reserves", Outcome.EXCLUDED: "excluded"}
    counts = (
        SelectionResult.objects.filter(run__in=list(totals), department_code__in=departments)
        .values("run_id", "outcome").annotate(n=Count("pk")).order_by()
    )
    for row in counts:
        totals[row["run_id"]][names[row["outcome"]]] = row["n"]
    return totals


def ranking_page(*, run: SelectionRun, department: str, number, per_page: int) -> Page:
    """One page of a department's ranking; its rows are read by `ranking_page_rows`, when shown.

    A finished run's results never change, so the department's count is kept in the cache per
    run: counting thousands of rows on every page view was the page's largest query.
    """
    rows = SelectionResult.objects.filter(run=run, department_code=department).order_by(*RANKING_ORDER)
    paginator = Paginator(rows, per_page)
    if run.status == RunStatus.FINISHED:
        key = f"ranking-count:{run.pk}:{run.finished_at and run.finished_at.timestamp()}:{department}"
        paginator.count = cache.get_or_set(key, rows.count, RESULT_CACHE_SECONDS)
    return paginator.get_page(number)


def ranking_page_rows(page: Page) -> list[SelectionResult]:
    """The page's rows with the students' names.

    The names are fetched for the page's rows only, after the page is cut: joined into the
    ranked query, PostgreSQL joins every row of the department before sorting whenever its
    statistics do not know the run yet (right after a run), 130 ms instead of 5 at 50,000.
    """
    rows = list(page.object_list)
    names = Application.objects.select_related("applicant").only("applicant__first_name", "applicant__last_name")
    prefetch_related_objects(rows, Prefetch("application", queryset=names))
    return rows


def ranking_rows(*, run: SelectionRun, departments=None) -> QuerySet[SelectionResult]:
    """The contract's order: department, then department rank; excluded rows last by student number."""
    rows = SelectionResult.objects.filter(run=run)
    if departments is not None:
        rows = rows.filter(department_code__in=departments)
    return rows.select_related("application__applicant").order_by(*RANKING_ORDER)


def publication_latest(*, call, stage=None):
    """The newest publication of the call (of one stage if given), with its run, or None."""
    rows = Publication.objects.filter(call=call).select_related("run").defer("run__rules_snapshot", "run__inputs_snapshot")
    if stage is not None:
        rows = rows.filter(stage=stage)
    return rows.order_by("-published_at", "-id").first()


def call_publications(*, call) -> list:
    """Every publication of the call, oldest first (the student's timeline, appeals, the audit trail)."""
    return list(Publication.objects.filter(call=call).order_by("published_at", "pk").only("pk", "stage", "published_at", "run_id"))


def student_result(*, application, publication) -> SelectionResult | None:
    """The application's line in a published list, or None."""
    if publication is None:
        return None
    return SelectionResult.objects.filter(run_id=publication.run_id, application=application).first()


@dataclass(frozen=True)
class TimelineStep:
    label: str
    at: dt.datetime | None
    done: bool


def application_timeline(*, application: Application, call, publications: list) -> list[TimelineStep]:
    """The student's steps, from draft to the letter deadline, with the call's publications."""
    preliminary = next((p for p in publications if p.stage == PublicationStage.PRELIMINARY), None)
    final = next((p for p in reversed(publications) if p.stage == PublicationStage.FINAL), None)
    submitted = application.status == ApplicationStatus.SUBMITTED
    steps = [TimelineStep(str(_("Draft")), None, True)]
    if application.status == ApplicationStatus.WITHDRAWN:
        steps.append(TimelineStep(str(_("Withdrawn")), application.updated_at, True))
    else:
        steps.append(TimelineStep(str(_("Submitted")), application.submitted_at if submitted else None, submitted))
    steps += [
        TimelineStep(str(_("Applications close")), call.applications_close, timezone.now() >= call.applications_close),
        TimelineStep(str(_("Evaluated")), None, bool(publications) and submitted),
        TimelineStep(str(_("Preliminary result")), preliminary.published_at if preliminary else None, preliminary is not None),
        TimelineStep(str(_("Final result")), final.published_at if final else None, final is not None),
    ]
    if call.letter_deadline:
        steps.append(TimelineStep(str(_("Acceptance letter deadline")), call.letter_deadline, timezone.now() >= call.letter_deadline))
    return steps
