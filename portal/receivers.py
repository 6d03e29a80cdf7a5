"""When a list is published, every applicant of the call gets an e-mail (after the commit)."""
from django.db import transaction

from portal.mails import results_published_send
from selection.publication import publication_handler


@publication_handler
def publication_notify_students(publication) -> None:
    publication_id = publication.pk
    transaction.on_commit(lambda: results_published_send.delay(publication_id))
