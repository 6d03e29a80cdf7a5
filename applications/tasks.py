"""The worker's index of this app's tasks: each is declared beside the service it runs.

Student e-mails go through the outbox (mobility.outbox), so none is declared here.
"""
from applications.imports import expire_import_jobs, process_import_job

__all__ = ["expire_import_jobs", "process_import_job"]
