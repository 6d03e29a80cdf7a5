"""The outbox: e-mails owed with the action, sent once, retried after a mail-server failure."""
import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mobility.models import OutboxMessage
from mobility.outbox import Mail, mails_render, outbox_send, outbox_store, outbox_write

pytestmark = pytest.mark.django_db


def owe(key="k1", recipient="ayse@ogr.example.edu.tr", language="tr"):
    return outbox_write(Mail(key=key, recipient=recipient, language=language, template="appeals/email/appeal",
                             context={"appeal": {"status": "filed"}, "call": {"code": "C-1", "title": "T"},
                                      "applicant": {"first_name": "Ayşe"}, "call_link": "https://x/calls/C-1/appeal/"}))


def test_a_mail_is_rendered_when_owed_in_the_recipients_language_and_sent_once():
    assert owe() == 1 and owe() == 0  # once per key
    message = OutboxMessage.objects.get()
    assert message.subject == "C-1: itirazınız alındı" and "Ayşe" in message.body and "https://x/calls/C-1/appeal/" in message.body
    assert outbox_send() == 1 and outbox_send() == 0
    assert [m.to for m in mail.outbox] == [["ayse@ogr.example.edu.tr"]]
    assert OutboxMessage.objects.get().sent_at is not None


def test_an_action_rolled_back_owes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        owe()
        raise RuntimeError
    assert not OutboxMessage.objects.exists()


def test_a_key_owed_meanwhile_by_another_action_keeps_the_first_mail_and_the_others_are_written():
    # What outbox_store meets when a concurrent action owed one of the keys after outbox_keys_known.
    owe(key="k1", recipient="first@ogr.example.edu.tr")
    mails = [Mail(key=key, recipient="second@ogr.example.edu.tr", language="en", template="appeals/email/appeal",
                  context={"appeal": {"status": "filed"}, "call": {"code": "C-1", "title": "T"},
                           "applicant": {"first_name": "Ayşe"}, "call_link": "https://x/"}) for key in ("k1", "k2")]
    with transaction.atomic():
        assert outbox_store(mails_render(mails)) == 1
    assert dict(OutboxMessage.objects.values_list("key", "recipient")) == {
        "k1": "first@ogr.example.edu.tr", "k2": "second@ogr.example.edu.tr"}


def test_no_address_no_mail():
    assert owe(recipient="") == 0 and not OutboxMessage.objects.exists()


class Down(Exception):
    pass


def test_a_mail_server_failure_keeps_the_mail_and_it_is_sent_on_a_later_run(settings, monkeypatch):
    owe("a")
    owe("b")
    settings.EMAIL_BACKEND = "tests.mobility.test_outbox.FailingBackend"
    assert outbox_send() == 0
    first = OutboxMessage.objects.get(key="a")
    assert first.sent_at is None and first.attempts == 1 and "Down" in first.last_error
    assert first.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_send() == 0  # not due yet
    assert outbox_send(now=timezone.now() + dt.timedelta(minutes=2)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ayse@ogr.example.edu.tr"] * 2


def test_the_periodic_job_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["outbox-send"] == {"task": "mobility.tasks.outbox_send", "schedule": 60.0}


def test_the_kick_after_commit_sends_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            owe("a")
            owe("b")
    assert len(callbacks) == 1  # one kick per transaction, however many mails
    assert len(mail.outbox) == 2


from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise Down("the mail server is down")
