"""The student's e-mails about their application: receipt of a submission, a document decision.

Each task is declared beside the service it runs; services queue it with transaction.on_commit.
"""
from celery import shared_task

from applications.models import Application, ApplicationStatus, Document
from applications.student.notices import notice_send


def receipt_send(*, application_id: int, key: str) -> bool:
    application = Application.objects.select_related("call", "applicant__user", "department").filter(pk=application_id).first()
    if application is None or application.status != ApplicationStatus.SUBMITTED:
        return False
    return notice_send(application=application, key=f"receipt:{key}", template="receipt", context={})


def document_decision_mail_send(*, document_id: int) -> bool:
    document = Document.objects.select_related("application__call", "application__applicant__user").filter(pk=document_id).first()
    if document is None:
        return False
    return notice_send(
        application=document.application, key=f"document:{document.pk}:{document.status}", template="document_decision",
        context={"document": document},
    )


@shared_task(name="applications.tasks.application_receipt_send")
def application_receipt_send(application_id: int, key: str) -> bool:
    return receipt_send(application_id=application_id, key=key)


@shared_task(name="applications.tasks.document_decision_send")
def document_decision_send(document_id: int) -> bool:
    return document_decision_mail_send(document_id=document_id)
