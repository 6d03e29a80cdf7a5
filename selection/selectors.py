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
