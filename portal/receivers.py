"""When a list is published, every applicant of the call is owed an e-mail (in the publishing transaction)."""
from django.urls import reverse
from django.utils import timezone

from applications.student.mails import results_published_owe
from mobility.outbox import site_link
from selection.models import PublicationStage
from selection.publication import publication_handler


@publication_handler
def publication_notify_students(publication) -> None:
    call = publication.call
    # A preliminary list opens the appeal window (the call's status changes in this same transaction):
    # it is open if the deadline lies ahead.
    deadline = call.appeal_deadline
    open_for_appeals = publication.stage == PublicationStage.PRELIMINARY and deadline is not None and timezone.now() < deadline
    appeal_link = site_link(reverse("appeals:student", args=[call.code])) if open_for_appeals else ""
    results_published_owe(publication=publication, appeal_link=appeal_link)
