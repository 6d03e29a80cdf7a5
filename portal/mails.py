"""The "results published" e-mail to every applicant of a call (reads applications and selection)."""
from celery import shared_task

from applications.models import Application, ApplicationStatus
from applications.student.notices import notice_send
from selection.models import Publication


def results_published_mail_send(*, publication_id: int) -> int:
    """Tell every applicant of the call (submitted applications) that a list is out; returns mails sent."""
    publication = Publication.objects.select_related("call").filter(pk=publication_id).first()
    if publication is None:
        return 0
    sent = 0
    applications = (
        Application.objects.filter(call=publication.call, status=ApplicationStatus.SUBMITTED)
        .select_related("call", "applicant__user")
        .order_by("pk")
    )
    for application in applications.iterator(chunk_size=500):
        sent += notice_send(
            application=application, key=f"result:{publication.pk}", template="results_published",
            context={"publication": publication},
        )
    return sent


@shared_task(name="applications.tasks.results_published_send")
def results_published_send(publication_id: int) -> int:
    return results_published_mail_send(publication_id=publication_id)
