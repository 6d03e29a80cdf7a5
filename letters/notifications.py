"""E-mails to students, sent after the transaction commits (never inside the call lock)."""
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from letters.models import Notice

log = logging.getLogger(__name__)


def safely(func, *args):
    """A side effect after commit must not turn a saved action into an error."""
    try:
        func(*args)
    except Exception:  # noqa: BLE001 — the action is committed; the sweep and the page still show it
        log.exception("side effect after commit failed")


def placement_notify(*, placement, kind: str, key: str | None = None) -> None:
    """Owe the student an e-mail (`promoted`, `letter_approved`, `letter_rejected`, `reminder`, ...).

    The Notice row is written with the action, so the e-mail exists exactly when the change does;
    the task sends it once however often it is delivered. `key` makes a repeated kind distinct.
    """
    notice, created = Notice.objects.get_or_create(placement=placement, key=key or kind, defaults={"kind": kind})
    if created:
        transaction.on_commit(lambda: safely(notify.delay, notice.pk))


def notice_send(*, notice_id: int) -> bool:
    """Send a notice unless it was sent already; True when sent now."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update().select_related("placement__call", "placement__application__applicant")
            .filter(pk=notice_id, sent_at__isnull=True).first()
        )
        if notice is None:
            return False
        placement_mail(placement=notice.placement, kind=notice.kind)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def placement_mail(*, placement, kind: str) -> None:
    applicant = placement.application.applicant
    if not applicant.email:
        return
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"placement": placement, "call": placement.call, "applicant": applicant,
                   "letter": getattr(placement, "letter", None), "kind": kind}
        subject = render_to_string("letters/mail/subject.txt", context).strip()
        body = render_to_string("letters/mail/body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [applicant.email])


@shared_task(name="letters.tasks.notify")
def notify(notice_id: int) -> bool:
    return notice_send(notice_id=notice_id)
