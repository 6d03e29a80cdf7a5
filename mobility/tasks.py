from celery import shared_task

from mobility.services.deadlines import deadlines_sweep


@shared_task(name="mobility.tasks.sweep")
def sweep() -> int:
    return len(deadlines_sweep())


@shared_task(name="mobility.tasks.outbox_send")
def outbox_send_task() -> int:
    """Send the e-mails that are owed (kicked after each action's commit, and every minute by beat)."""
    from mobility.outbox import SEND_BATCH, outbox_send

    total = 0
    for _ in range(50):  # a published list owes one e-mail per applicant: keep going while a batch is full
        sent = outbox_send()
        total += sent
        if sent < SEND_BATCH:
            break
    return total
