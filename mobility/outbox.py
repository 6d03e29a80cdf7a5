"""The one way the portal e-mails people: an outbox table, written with the action, sent later.

`outbox_write` is called inside the transaction of the action that owes the e-mail, so the mail
exists exactly when the change does (a rolled-back action owes nothing). Subject and body are
rendered then, in the recipient's language and Turkish time, with links from SITE_URL (never a
request's host). `outbox_send` sends what is unsent: kicked by a task when the action commits, and
run every minute by Celery beat, so an e-mail owed while the broker or the mail server is down
goes out once they are back. It claims rows with SELECT … FOR UPDATE SKIP LOCKED, one short
transaction per message, and takes no other lock (see docs/architecture.md, "Locking"): two
senders at once never send one message twice, and a sender never waits for a call's actions.
"""
import datetime as dt
import functools
import logging
from dataclasses import dataclass
from email.utils import formataddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.template.backends.django import DjangoTemplates, Template
from django.utils import timezone, translation
from django.utils.translation import gettext

from mobility.db import bulk_insert_rows
from mobility.models import OutboxMessage

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt; then the last one, until it is sent.
RETRY_DELAYS = (60, 300, 900, 3600)
SEND_BATCH = 200


@dataclass(frozen=True)
class Mail:
    """One e-mail to render: templates `<template>_subject.txt` and `<template>_body.txt`."""

    key: str
    recipient: str
    language: str
    template: str
    context: dict


def site_link(path: str) -> str:
    """An absolute link for an e-mail: SITE_URL, never the host a request came in on."""
    return f"{settings.SITE_URL}{path}"


def sender(language: str = "") -> str:
    """The From address, its name in the message's language (as its signature)."""
    with translation.override(mail_language(language)):
        return formataddr((portal_name(), settings.DEFAULT_FROM_EMAIL))


@functools.cache
def _engine() -> DjangoTemplates:
    """The project's templates without HTML escaping: a plain-text e-mail shows “O'Brien & Co”, not entities."""
    options = settings.TEMPLATES[0]
    return DjangoTemplates({
        "NAME": "mail", "DIRS": options.get("DIRS", []), "APP_DIRS": options.get("APP_DIRS", False),
        "OPTIONS": {"autoescape": False, "context_processors": []},
    })


def mail_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def portal_name() -> str:
    """The signature of the e-mails in the active language. The default name is a phrase and is
    translated; a PORTAL_NAME an institution sets is its own name and is signed as it is."""
    if settings.PORTAL_NAME == settings.PORTAL_NAME_DEFAULT:
        return gettext("Mobility portal")
    return settings.PORTAL_NAME


def mail_render(mail: Mail) -> OutboxMessage:
    """One e-mail's row: subject and body in the recipient's language and Turkish time (the plain
    path; `mails_render` must give the same rows, see tests/mobility/test_mails_render.py)."""
    language = mail_language(mail.language)
    engine = _engine()
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        context = {"portal_name": portal_name(), **mail.context}
        subject = " ".join(engine.get_template(f"{mail.template}_subject.txt").render(context).split())
        body = engine.get_template(f"{mail.template}_body.txt").render(context)
    return OutboxMessage(key=mail.key[:200], recipient=mail.recipient, language=language, subject=subject[:300], body=body)


def mails_render(mails: list[Mail]) -> list[OutboxMessage]:
    """`mail_render` of each mail, in order, for thousands at once (a deadline, a promotion).

    The same rows as one by one; the language and time zone are switched once per language, not
    per mail, and each template is looked up once per batch.
    """
    rows: list[OutboxMessage | None] = [None] * len(mails)
    by_language: dict[str, list[int]] = {}
    for index, mail in enumerate(mails):
        by_language.setdefault(mail_language(mail.language), []).append(index)
    templates: dict[str, Template] = {}
    for language, indexes in by_language.items():
        with translation.override(language), timezone.override(settings.TIME_ZONE):
            signature = portal_name()
            for index in indexes:
                mail = mails[index]
                context = {"portal_name": signature, **mail.context}
                subject = " ".join(_template(templates, f"{mail.template}_subject.txt").render(context).split())
                body = _template(templates, f"{mail.template}_body.txt").render(context)
                rows[index] = OutboxMessage(
                    key=mail.key[:200], recipient=mail.recipient, language=language, subject=subject[:300], body=body,
                )
    return rows


def _template(templates: dict[str, Template], name: str) -> Template:
    if name not in templates:
        templates[name] = _engine().get_template(name)
    return templates[name]


def outbox_write(*mails: Mail) -> int:
    """Owe these e-mails (once per key); call inside the action's transaction. Returns how many are new.

    A mail without a recipient is not owed: there is nobody to send it to.
    """
    mails = [m for m in mails if m.recipient]
    if not mails:
        return 0
    known = outbox_keys_known([m.key for m in mails])
    return outbox_store(mails_render([m for m in mails if m.key[:200] not in known]))


def outbox_keys_known(keys: list[str]) -> set[str]:
    """Which of these keys are owed already (one query per thousand keys)."""
    keys = [k[:200] for k in keys]
    known: set[str] = set()
    for start in range(0, len(keys), 1000):
        known.update(OutboxMessage.objects.filter(key__in=keys[start:start + 1000]).values_list("key", flat=True))
    return known


def outbox_store(rows: list[OutboxMessage]) -> int:
    """Owe rendered messages (new keys only; see outbox_keys_known), in the caller's transaction."""
    rows = [r for r in rows if r.recipient]
    if not rows:
        return 0
    try:
        with transaction.atomic():
            bulk_insert_rows(rows)
        written = len(rows)
    except IntegrityError:
        # A concurrent action owed one of them first: the first one stands, one e-mail per key.
        before = OutboxMessage.objects.count()
        OutboxMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        written = OutboxMessage.objects.count() - before
    _kick_on_commit()
    return written


def _kick() -> None:
    outbox_send_task.delay()


def _kick_on_commit() -> None:
    """Ask a worker to send right after the commit (once per transaction); beat catches what this misses.

    `robust`: the action is committed; a broker that is down must not turn it into an error.
    """
    if connection.in_atomic_block:
        active = set(connection.savepoint_ids)
        # One already registered in this savepoint or an enclosing one runs at the same commit.
        if any(func is _kick and sids <= active for sids, func, *_robust in connection.run_on_commit):
            return
    transaction.on_commit(_kick, robust=True)


def _retry_at(attempts: int, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1])


def outbox_send(*, limit: int = SEND_BATCH, now: dt.datetime | None = None) -> int:
    """Send up to `limit` due messages; returns how many were sent. Safe to run any number of times at once."""
    sent = failures = 0
    mail_connection = None
    try:
        # Three failures in a row: the mail server is down; the next run tries again.
        for _ in range(limit):
            if failures >= 3:
                break
            with transaction.atomic():
                message = (
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True, next_attempt_at__lte=now or timezone.now())
                    .order_by("next_attempt_at", "pk").first()
                )
                if message is None:
                    break
                try:
                    if mail_connection is None:
                        mail_connection = get_connection()
                        mail_connection.open()
                    EmailMessage(
                        message.subject, message.body, sender(message.language), [message.recipient], connection=mail_connection,
                    ).send()
                except Exception as exc:  # noqa: BLE001 — any failure of the mail server: try again later
                    log.warning("e-mail %s not sent (attempt %s): %s", message.key, message.attempts + 1, exc)
                    message.attempts += 1
                    message.next_attempt_at = _retry_at(message.attempts, timezone.now())
                    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                    _close(mail_connection)
                    mail_connection = None
                    failures += 1
                    continue
                message.sent_at = timezone.now()
                message.save(update_fields=["sent_at"])
                sent += 1
                failures = 0
    finally:
        _close(mail_connection)
    return sent


def _close(mail_connection) -> None:
    if mail_connection is None:
        return
    try:
        mail_connection.close()
    except Exception:  # noqa: BLE001 — a broken connection is dropped either way
        log.debug("closing the mail connection failed", exc_info=True)


@shared_task(name="mobility.tasks.outbox_send")
def outbox_send_task() -> int:
    """Send the e-mails that are owed (kicked after each action's commit, and every minute by beat)."""
    total = 0
    for _ in range(50):  # a published list owes one e-mail per applicant: keep going while a batch is full
        sent = outbox_send()
        total += sent
        if sent < SEND_BATCH:
            break
    return total
