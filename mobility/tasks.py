from celery import shared_task

from mobility.services.deadlines import deadlines_sweep


@shared_task(name="mobility.tasks.sweep")
def sweep() -> int:
    return len(deadlines_sweep())
