"""Thin tasks: ids in, re-fetch, one service call; safe to run twice (notices are sent once)."""
from celery import shared_task
from django.utils import timezone

from applications.imports import import_job_process, import_jobs_expire


@shared_task(name="applications.tasks.application_receipt_send")
def application_receipt_send(application_id: int, key: str) -> bool:
    from applications.student.mails import receipt_send

    return receipt_send(application_id=application_id, key=key)


@shared_task(name="applications.tasks.document_decision_send")
def document_decision_send(document_id: int) -> bool:
    from applications.student.mails import document_decision_mail_send

    return document_decision_mail_send(document_id=document_id)


@shared_task(name="applications.tasks.results_published_send")
def results_published_send(publication_id: int) -> int:
    from applications.student.mails import results_published_mail_send

    return results_published_mail_send(publication_id=publication_id)


@shared_task(name="applications.tasks.process_import_job")
def process_import_job(job_id: int) -> str | None:
    job = import_job_process(job_id=job_id)
    return job.status if job else None


@shared_task(name="applications.tasks.expire_import_jobs")
def expire_import_jobs() -> int:
    return len(import_jobs_expire(at=timezone.now()))
