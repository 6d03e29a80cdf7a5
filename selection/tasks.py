from celery import shared_task

from selection.services import selection_run_execute


@shared_task(name="selection.tasks.execute_selection_run")
def execute_selection_run(run_id: int) -> str:
    return selection_run_execute(run_id=run_id).status


from selection.pdf_jobs import render_list_pdf  # noqa: E402,F401  (registers the task with the worker)
