"""The sweep, the tasks and the e-mails: each safe to run twice."""
import datetime as dt
import json

import pytest
from django.core import mail

from letters.models import Notice, Placement
from letters.notifications import notify
from letters.services.deadlines import deadlines_run, sweep
from letters.services.promotion import promote
from letters.services.withdrawals import placement_withdraw
from mobility.models import Call, DeadlineEvent
from mobility.services.callfile import call_file_dump
from mobility.services.deadlines import deadlines_sweep
from tests.letters.timeline import CODE, Timeline, letter

pytestmark = pytest.mark.django_db
TR = dt.timezone(dt.timedelta(hours=3))
DEADLINE = dt.datetime(2023, 3, 15, 16, 0, tzinfo=TR)


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path)
    timeline.publish()
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


def test_the_promote_task_delivered_twice_changes_nothing_the_second_time(t):
    call = Call.objects.get(code=CODE)
    placement_withdraw(call=call, student_number="2001", at=dt.datetime(2023, 2, 1, tzinfo=TR), sync=False)
    assert Placement.objects.get(student_number="2002").status == "reserve"  # nothing promoted inside the action
    assert promote.delay(call.pk, "2023-02-01T00:00:00+03:00").get() == 1
    first = t.run("export_placements", CODE)
    assert promote.delay(call.pk, "2023-02-01T00:00:00+03:00").get() == 0
    assert t.run("export_placements", CODE) == first
    assert t.export()["2002"]["promotion_seq"] == "1"


def test_web_path_queues_promotion_on_commit(t, django_capture_on_commit_callbacks):
    call = Call.objects.get(code=CODE)
    with django_capture_on_commit_callbacks(execute=True):
        placement_withdraw(call=call, student_number="2001", at=dt.datetime(2023, 2, 1, tzinfo=TR), sync=False)
    assert t.statuses()["2002"] == "primary"


def test_promotion_e_mails_the_student_once(t, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        t.run("withdraw", CODE, "2001", at="2023-02-01T10:00:00+03:00")
    promoted = [m for m in mail.outbox if "2002@" in m.to[0]]
    assert len(promoted) == 1 and promoted[0].subject == f"{CODE}: artık asil öğrencisiniz"  # e-mails go out in Turkish
    notice = Notice.objects.get(placement__student_number="2002", kind="promoted")
    assert notice.sent_at is not None
    assert notify.delay(notice.pk).get() is False
    assert len([m for m in mail.outbox if "2002@" in m.to[0]]) == 1


def test_letter_decisions_are_e_mailed_with_the_reason(t, django_capture_on_commit_callbacks):
    t.letters([letter("1001")], at="2023-02-01T10:00:00+03:00")
    with django_capture_on_commit_callbacks(execute=True):
        t.run("decide_letter", CODE, "1001", "rejected", "--reason", "The stamp is missing", at="2023-02-02T10:00:00+03:00")
    (message,) = mail.outbox
    assert "reddedildi" in message.subject and "The stamp is missing" in message.body


def test_reminders_seven_days_and_one_day_before_to_those_without_a_letter_once(t, django_capture_on_commit_callbacks):
    t.letters([letter("1001"), letter("2002")], at="2023-02-01T10:00:00+03:00")
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(days=8))
    assert mail.outbox == []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(days=7))
    reminded = sorted(m.to[0].split("@")[0] for m in mail.outbox)
    assert reminded == ["1002", "1003", "1004", "2001", "2003", "3001"]
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE - dt.timedelta(hours=23))
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
