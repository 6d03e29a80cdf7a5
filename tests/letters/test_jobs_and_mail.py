"""The sweep, the tasks and the e-mails: each safe to run twice."""
import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Applicant
from letters.services.deadlines import deadlines_run
from letters.services.promotion import promotion_run
from letters.services.withdrawals import placement_withdraw
from letters.tasks import sweep
from mobility.models import Call, DeadlineEvent, OutboxMessage
from mobility.outbox import outbox_send
from mobility.services.callfile import call_file_dump
from mobility.services.deadlines import deadlines_sweep
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline, letter

pytestmark = pytest.mark.django_db
TR = dt.timezone(dt.timedelta(hours=3))
DEADLINE = dt.datetime(2023, 3, 15, 16, 0, tzinfo=TR)


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path)
    timeline.publish()
    outbox_send()  # the "results published" e-mails
    mail.outbox.clear()
    return timeline


def test_the_existing_sweep_runs_the_letter_deadline_once(t):
    t.letters([letter("1001")], at="2023-03-01T10:00:00+03:00")
    handled = deadlines_sweep(now=DEADLINE + dt.timedelta(minutes=1))
    assert (CODE, "letter_deadline") in handled
    statuses = t.statuses()
    assert statuses["1001"] == "primary" and statuses["1002"] == "lost_place"
    first = t.run("export_placements", CODE)
    assert deadlines_sweep(now=DEADLINE + dt.timedelta(minutes=2)) == []
    assert sweep.delay().get() == 0  # the catch-up pass finds nothing left to do
    assert t.run("export_placements", CODE) == first
    assert DeadlineEvent.objects.filter(kind="letter_deadline").count() == 1


def test_the_promotion_pass_run_twice_changes_nothing_the_second_time(t):
    call = Call.objects.get(code=CODE)
    _placement, promoted = placement_withdraw(call=call, student_number="2001", at=dt.datetime(2023, 2, 1, tzinfo=TR))
    assert [p.student_number for p in promoted] == ["2002"]
    first = t.run("export_placements", CODE)
    assert promotion_run(call=call.pk, at=dt.datetime(2023, 2, 1, 0, 1, tzinfo=TR)) == []
    assert t.run("export_placements", CODE) == first
    assert t.export()["2002"]["promotion_seq"] == "1"


def test_a_web_withdrawal_promotes_inside_its_own_transaction(t, client):
    """Nothing waits for the commit but the e-mails: the promotion is in the action's transaction."""
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number="2001").update(user=user)
    Call.objects.filter(code=CODE).update(letter_deadline=timezone.now() + dt.timedelta(days=10))
    client.force_login(user)
    response = client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})  # on_commit callbacks never run here
    assert response.status_code == 302
    assert t.statuses()["2002"] == "primary"
    assert OutboxMessage.objects.filter(key__endswith=":promoted", sent_at__isnull=True).count() == 1


def mails_to(number: str) -> list:
    return [m for m in mail.outbox if m.to[0].startswith(f"{number}@")]


def test_promotion_e_mails_the_student_once_with_the_letter_deadline_and_the_link(t, settings):
    settings.SITE_URL = "https://mobility.example.edu.tr"
    t.run("withdraw", CODE, "2001", at="2023-02-01T10:00:00+03:00")
    assert outbox_send() >= 1
    (promoted,) = mails_to("2002")
    assert promoted.subject == f"{CODE}: artık asil öğrencisiniz"  # no account: Turkish, to the imported address
    assert "15 Mart 2023 16:00" in promoted.body  # the letter deadline, in Turkish time
    assert f"https://mobility.example.edu.tr/calls/{CODE}/letter/" in promoted.body
    assert outbox_send() == 0
    assert len(mails_to("2002")) == 1


def test_letter_decisions_are_e_mailed_with_the_reason(t):
    t.letters([letter("1001")], at="2023-02-01T10:00:00+03:00")
    t.run("decide_letter", CODE, "1001", "rejected", "--reason", "The stamp is missing", at="2023-02-02T10:00:00+03:00")
    outbox_send()
    (message,) = mail.outbox
    assert "reddedildi" in message.subject and "The stamp is missing" in message.body
    assert "15 Mart 2023 16:00" in message.body  # until when a corrected letter is accepted


def test_lost_place_and_ended_reserve_status_are_e_mailed_with_the_reason(t):
    t.letters([letter("1001")], at="2023-03-01T10:00:00+03:00")
    deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE + dt.timedelta(minutes=1))
    outbox_send()
    (lost,) = mails_to("1002")
    assert "yerinizi kaybettiniz" in lost.subject
    assert "15 Mart 2023 16:00" in lost.body and "kabul mektubu" in lost.body.lower()
    (ended,) = mails_to("2003")
    assert "yedek" in ended.subject.lower()
    assert "15 Mart 2023 16:00" in ended.body
    assert mails_to("1001") == []


def test_a_student_with_an_account_gets_the_mail_at_the_account_address_in_their_language(t):
    user = UserFactory(role="student", email="ayse@personal.example", language="en")
    Applicant.objects.filter(student_number="2002").update(user=user)
    t.run("withdraw", CODE, "2001", at="2023-02-01T10:00:00+03:00")
    outbox_send()
    (message,) = [m for m in mail.outbox if m.to == ["ayse@personal.example"]]
    assert message.subject == f"{CODE}: you are now a primary student"
    assert "15 March 2023 16:00" in message.body and "Upload your signed acceptance letter" in message.body
    assert mails_to("2002") == []


def test_reminders_seven_days_and_one_day_before_to_those_without_a_letter_once(t):
    t.letters([letter("1001"), letter("2002")], at="2023-02-01T10:00:00+03:00")
    deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(days=8))
    outbox_send()
    assert mail.outbox == []
    for _ in range(2):
        deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(days=7))
        outbox_send()
    reminded = sorted(m.to[0].split("@")[0] for m in mail.outbox)
    assert reminded == ["1002", "1003", "1004", "2001", "2003", "3001"]
    deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(hours=23))
    outbox_send()
    assert len(mail.outbox) == 12


def test_call_file_round_trips_the_promotion_order_and_the_reserve_list_end(tmp_path):
    t = Timeline(tmp_path, promotion_order="allocation_order", reserve_list_end="2023-06-01T00:00:00+03:00")
    data = json.loads(t.run("dump_call", CODE))
    assert data["promotion_order"] == "allocation_order"
    assert data["reserve_list_end"] == "2023-06-01T00:00:00+03:00"
    assert call_file_dump(Call.objects.get(code=CODE)) == data


def test_a_bad_promotion_order_is_refused(tmp_path):
    with pytest.raises(Exception, match="promotion_order"):
        Timeline(tmp_path, promotion_order="random")
