from celery import shared_task

from applications.imports import import_job_process


@shared_task(name="applications.tasks.process_import_job")
def process_import_job(job_id: int) -> str | None:
    job = import_job_process(job_id=job_id)
    return job.status if job else None
