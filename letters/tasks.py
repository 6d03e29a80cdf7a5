"""Thin tasks: take ids, re-fetch, call a service; safe to run twice.

Promotion runs inside each action's transaction (letters.services.promotion.promotion_after);
e-mails go through the outbox (mobility.outbox). What is left here is the periodic sweep.
"""
from celery import shared_task
from django.utils import timezone


@shared_task(name="letters.tasks.sweep")
def sweep() -> int:
    """Deadline jobs and a promotion pass over every call with placements (catches lost tasks)."""
    from letters.services.deadlines import placements_sweep

    return placements_sweep(at=timezone.now())
