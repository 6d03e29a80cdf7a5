"""The worker's index of this app's tasks: each is declared beside the service it runs.

Promotion runs inside each action's transaction and e-mails go through the outbox (mobility.outbox),
so the only task left here is the sweep's old name.
"""
from letters.services.deadlines import sweep

__all__ = ["sweep"]
