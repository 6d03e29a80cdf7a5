"""The worker's index of this app's tasks: each is declared beside the service it runs."""
from mobility.outbox import outbox_send_task
from mobility.services.deadlines import sweep

__all__ = ["outbox_send_task", "sweep"]
