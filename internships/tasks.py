"""Thin tasks: take ids, re-fetch, call a service; safe to run twice."""
from celery import shared_task
from django.utils import timezone


@shared_task(name="internships.tasks.expire_offers")
def expire_offers() -> int:
    """Beat job: offers past their deadline expire and positions pass on; then owed e-mails go out."""
    from internships.models import InternshipProgramme
    from internships.notifications import notice_send, notices_pending
    from internships.services.offers import offers_expire

    at = timezone.now()
    count = 0
    for programme in InternshipProgramme.objects.order_by("pk"):
        count += len(offers_expire(programme=programme, at=at))
    for notice_id in notices_pending():  # catches e-mails whose task was lost
        notice_send(notice_id=notice_id)
    return count


@shared_task(name="internships.tasks.send_notice")
def send_notice(notice_id: int) -> bool:
    from internships.notifications import notice_send

    return notice_send(notice_id=notice_id)


@shared_task(name="internships.tasks.send_pending_notices")
def send_pending_notices() -> int:
    """Send every owed e-mail not yet sent; two runs at once skip each other's rows."""
    from internships.notifications import notice_send, notices_pending

    sent = 0
    while True:
        pending = notices_pending()
        done = sum(notice_send(notice_id=notice_id) for notice_id in pending)
        sent += done
        if not pending or not done:
            return sent
