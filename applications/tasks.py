"""Thin tasks: ids in, re-fetch, one service call; safe to run twice (notices are sent once)."""
from celery import shared_task


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
