"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from mobility.services.deadlines import sweep

__all__ = ["sweep"]
