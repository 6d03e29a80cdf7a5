"""When a list is published, every applicant of the call is owed an e-mail (in the publishing transaction)."""
from applications.student.mails import results_published_owe
from selection.publication import publication_handler


@publication_handler
def publication_notify_students(publication) -> None:
    results_published_owe(publication=publication)
