"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from internships.notifications import send_notice, send_pending_notices
from internships.services.offers import expire_offers

__all__ = ["expire_offers", "send_notice", "send_pending_notices"]
