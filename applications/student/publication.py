"""When a list is published, every applicant of the call is owed an e-mail (in the publishing transaction)."""
from selection.publication import publication_handler


@publication_handler
def publication_notify_students(publication) -> None:
    from applications.student.mails import results_published_owe

    results_published_owe(publication=publication)
