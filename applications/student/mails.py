"""The applications' student e-mails: receipt of a submission, a document decision, results published."""
from applications.models import Application, ApplicationStatus, Document
from applications.student.notices import student_mail, student_mail_owe
from mobility.outbox import outbox_write

TEMPLATES = "applications/email/"


def receipt_owe(*, application: Application, key: str) -> bool:
    return student_mail_owe(application=application, key=f"receipt:{key}", template=f"{TEMPLATES}receipt")


def document_decision_owe(*, document: Document) -> bool:
    return student_mail_owe(
        application=document.application, key=f"document:{document.pk}:{document.status}",
        template=f"{TEMPLATES}document_decision", context={"document": document},
    )


def results_published_owe(*, publication) -> int:
    """Every applicant of the call (submitted applications) is told that a list is out; returns mails owed."""
    applications = (
        Application.objects.filter(call=publication.call, status=ApplicationStatus.SUBMITTED)
        .select_related("call", "applicant__user").order_by("pk")
    )
    return outbox_write(*(
        student_mail(application=application, key=f"result:{publication.pk}", template=f"{TEMPLATES}results_published",
                     context={"publication": publication})
        for application in applications.iterator(chunk_size=1000)
    ))
