"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from letters.notifications import notify
from letters.services.deadlines import sweep
from letters.services.promotion import promote

__all__ = ["notify", "promote", "sweep"]
