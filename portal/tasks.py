"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from portal.mails import results_published_send

__all__ = ["results_published_send"]
