from django.db.models import F, QuerySet

from selection.models import RunStatus, SelectionResult, SelectionRun


def latest_run(*, call) -> SelectionRun | None:
    return SelectionRun.objects.filter(call=call, status=RunStatus.FINISHED).order_by("-created_at", "-id").first()


def latest_run_any_status(*, call) -> SelectionRun | None:
    return SelectionRun.objects.filter(call=call).order_by("-created_at", "-id").first()


def ranking_rows(*, run: SelectionRun, departments=None) -> QuerySet[SelectionResult]:
    """The contract's order: department, then department rank; excluded rows last by student number."""
    rows = SelectionResult.objects.filter(run=run)
    if departments is not None:
        rows = rows.filter(department_code__in=departments)
    return rows.select_related("application__applicant").order_by(
        "department_code", F("department_rank").asc(nulls_last=True), "student_number",
    )


def publication_latest(*, call, stage=None):
    """The newest publication of the call (of one stage if given), with its run, or None."""
    from selection.models import Publication

    rows = Publication.objects.filter(call=call).select_related("run").defer("run__rules_snapshot", "run__inputs_snapshot")
    if stage is not None:
        rows = rows.filter(stage=stage)
    return rows.order_by("-published_at", "-id").first()
