"""E-mails owed to students and host units: a Notice row is written with the change and sent once
after commit, in the recipient's language, with a link to the page that shows it."""
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from internships.mail import internship_mail
from internships.models import Notice

log = logging.getLogger(__name__)


def notice_owe(*, offer, recipient: str, kind: str, key: str | None = None) -> None:
    notices_owe([(offer, recipient, kind)])


def notices_owe(items) -> None:
    """Owe e-mails for (offer, recipient, kind) triples in one insert; a repeated one is owed once.

    After commit one task sends whatever is pending, so a job that changes thousands of offers
    queues one message, not thousands, and never sends inside the programme lock.
    """
    rows = [Notice(offer=offer, recipient=recipient, kind=kind,
                   key=f"{kind}:{offer.status}:{offer.answer_by.isoformat()}") for offer, recipient, kind in items]
    if not rows:
        return
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    transaction.on_commit(_queue_pending)


def _queue_pending() -> None:
    try:
        send_pending_notices.delay()
    except Exception:  # noqa: BLE001 - the change is committed; the periodic job sends what is left
        log.exception("could not queue the internship notices")


def notice_send(*, notice_id: int) -> bool:
    with transaction.atomic():
        notice = (Notice.objects.select_for_update(of=("self",), skip_locked=True)
                  .select_related("offer__student__user", "offer__position__host_unit", "offer__position__programme",
                                  "offer__calendar")
                  .filter(pk=notice_id, sent_at__isnull=True).first())
        if notice is None:
            return False
        offer = notice.offer
        context = {"offer": offer, "kind": notice.kind, "programme": offer.position.programme}
        if notice.recipient == "student":
            user = offer.student.user
            language = getattr(user, "language", None) or "tr"
            # The account's address once the student has one: the imported address may be stale.
            to = (user.email if user is not None and user.email else "") or offer.student.email
            internship_mail(to=to, language=language, template="student", context=context,
                            path=f"/internships/{offer.position.programme.code}/", key=f"notice:{notice.pk}")
        else:
            unit = offer.position.host_unit
            if unit is not None and unit.email:
                internship_mail(to=unit.email, language=unit.language, template="host", context=context,
                                path=f"/office/internships/{offer.position.programme.code}/host/{unit.code}/",
                                key=f"notice:{notice.pk}")
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def notices_pending() -> list[int]:
    return list(Notice.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)[:500])



@shared_task(name="internships.tasks.send_notice")
def send_notice(notice_id: int) -> bool:
    return notice_send(notice_id=notice_id)


@shared_task(name="internships.tasks.send_pending_notices")
def send_pending_notices() -> int:
    """Owe every pending notice to the outbox; two runs at once skip each other's rows."""
    sent = 0
    while True:
        pending = notices_pending()
        done = sum(notice_send(notice_id=notice_id) for notice_id in pending)
        sent += done
        if not pending or not done:
            return sent
