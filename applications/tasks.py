"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from applications.imports import expire_import_jobs, process_import_job
from applications.student.mails import application_receipt_send, document_decision_send

__all__ = ["application_receipt_send", "document_decision_send", "expire_import_jobs", "process_import_job"]
