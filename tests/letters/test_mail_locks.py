"""Sending e-mail takes no lock of a call or a placement, and two senders never send one mail twice (PostgreSQL)."""
import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from letters.models import Placement
from letters.notifications import placement_notify
from mobility.models import Call, OutboxMessage
from mobility.outbox import outbox_send
from tests.concurrency import run_concurrently
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.usefixtures("concurrent_db")


@pytest.fixture
def owed(tmp_path):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + dt.timedelta(days=10))
    timeline.publish(at=(now - dt.timedelta(days=1)).isoformat())
    OutboxMessage.objects.update(sent_at=now)  # the "results published" mails: not this test's business
    placement = Placement.objects.select_related("call", "application__applicant__user").get(student_number="2002")
    with transaction.atomic():
        placement_notify(placement=placement, kind="promoted")
    # The kick after that commit sent it already (eager tasks in tests): owe it again, as if the broker was down.
    OutboxMessage.objects.filter(key__endswith=":promoted").update(sent_at=None)
    mail.outbox.clear()
    return placement


def test_the_sender_waits_for_no_lock_of_the_call_or_the_placement(owed):
    locked, release = threading.Event(), threading.Event()

    def action_holding_the_locks():
        try:
            with transaction.atomic():
                Call.objects.select_for_update().get(pk=owed.call_id)
                Placement.objects.select_for_update().get(pk=owed.pk)
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=action_holding_the_locks)
    holder.start()
    try:
        assert locked.wait(20)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a sender that waited for those locks would fail here
        try:
            assert outbox_send() == 1
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join(30)
    assert [m.to[0] for m in mail.outbox] == ["2002@ogr.example.edu.tr"]


def test_two_senders_at_once_send_each_mail_once(owed):
    for i in range(30):
        OutboxMessage.objects.create(key=f"bulk:{i}", recipient=f"s{i}@ogr.example.edu.tr", language="tr", subject="s", body="b")
    outcomes = run_concurrently(outbox_send, outbox_send, outbox_send)
    assert [o.error for o in outcomes if not o.ok] == []
    assert sum(o.value for o in outcomes) == 31
    assert sorted(m.to[0] for m in mail.outbox) == sorted([f"s{i}@ogr.example.edu.tr" for i in range(30)] + ["2002@ogr.example.edu.tr"])
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
