"""Thin tasks: ids in, re-fetch, one service call; safe to run twice. (Student e-mails go through mobility.outbox.)"""
from celery import shared_task
from django.utils import timezone

from applications.imports import import_job_process, import_jobs_expire


@shared_task(name="applications.tasks.process_import_job")
def process_import_job(job_id: int) -> str | None:
    job = import_job_process(job_id=job_id)
    return job.status if job else None


@shared_task(name="applications.tasks.expire_import_jobs")
def expire_import_jobs() -> int:
    return len(import_jobs_expire(at=timezone.now()))
