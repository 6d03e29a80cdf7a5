"""Thin tasks: take ids, re-fetch, call a service; safe to run twice."""
from celery import shared_task
from django.utils import timezone

from mobility.instants import instant_parse


@shared_task(name="letters.tasks.promote")
def promote(call_id: int, at: str) -> int:
    from letters.services.promotion import promotion_run

    return len(promotion_run(call=call_id, at=instant_parse(at)))


@shared_task(name="letters.tasks.notify")
def notify(notice_id: int) -> bool:
    from letters.notifications import notice_send

    return notice_send(notice_id=notice_id)


@shared_task(name="letters.tasks.sweep")
def sweep() -> int:
    """Deadline jobs and a promotion pass over every call with placements (catches lost tasks)."""
    from letters.services.deadlines import placements_sweep

    return placements_sweep(at=timezone.now())
