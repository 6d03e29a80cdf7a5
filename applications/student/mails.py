"""The three student e-mails: receipt of a submission, a document decision, results published."""
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationStatus, Document
from applications.student.notices import notice_send, site_link
from mobility.services.calls import appeal_window_open


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


def results_published_mail_send(*, publication_id: int) -> int:
    """Tell every applicant of the call (submitted applications) that a list is out; returns mails sent."""
    from selection.models import Publication

    publication = Publication.objects.select_related("call").filter(pk=publication_id).first()
    if publication is None:
        return 0
    sent = 0
    call = publication.call
    # The mail goes out right after publishing: the window is open if the deadline lies ahead.
    appeal_link = site_link(reverse("appeals:student", args=[call.code])) if (
        publication.stage == "preliminary" and call.appeal_deadline and appeal_window_open(call=call, at=timezone.now())
    ) else ""
    applications = (
        Application.objects.filter(call=publication.call, status=ApplicationStatus.SUBMITTED)
        .select_related("call", "applicant__user")
        .order_by("pk")
    )
    for application in applications.iterator(chunk_size=500):
        sent += notice_send(
            application=application, key=f"result:{publication.pk}", template="results_published",
            context={"publication": publication, "appeal_link": appeal_link},
        )
    return sent
