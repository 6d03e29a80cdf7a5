from celery import shared_task
from django.utils import timezone

from selection.services import selection_run_execute, selection_runs_expire


@shared_task(name="selection.tasks.execute_selection_run")
def execute_selection_run(run_id: int) -> str:
    return selection_run_execute(run_id=run_id).status


@shared_task(name="selection.tasks.expire_stuck_runs")
def expire_stuck_runs() -> int:
    return len(selection_runs_expire(at=timezone.now()))


from selection.pdf_jobs import render_list_pdf  # noqa: E402,F401  (registers the task with the worker)
