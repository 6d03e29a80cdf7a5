"""One periodic sweep, one once-only record (DeadlineEvent) per deadline effect, whoever runs it."""
import datetime as dt

import pytest
from django.conf import settings

from letters.models import CallMilestone
from letters.services.deadlines import deadlines_run
from mobility.models import Call, DeadlineEvent
from mobility.services.deadlines import deadlines_sweep
from tests.letters.timeline import CODE, Timeline, letter

pytestmark = pytest.mark.django_db
TR = dt.timezone(dt.timedelta(hours=3))
DEADLINE = dt.datetime(2023, 3, 15, 16, 0, tzinfo=TR)


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path)
    timeline.publish()
    timeline.letters([letter("1001")], at="2023-03-01T10:00:00+03:00")
    return timeline


def test_beat_schedules_one_deadline_sweep():
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert tasks.count("mobility.tasks.sweep") == 1
    assert "letters.tasks.sweep" not in tasks


def test_the_command_then_the_sweep_applies_the_letter_deadline_once(t):
    done = deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE + dt.timedelta(minutes=1))
    assert "1002" in done["lost_place"]
    first = t.run("export_placements", CODE)
    handled = deadlines_sweep(now=DEADLINE + dt.timedelta(minutes=2))
    assert (CODE, "letter_deadline") not in handled  # the command's record counts for the sweep
    assert t.run("export_placements", CODE) == first
    assert DeadlineEvent.objects.filter(kind="letter_deadline").count() == 1
    assert not CallMilestone.objects.exists()  # no second record of the same effect


def test_the_sweep_then_the_command_applies_the_letter_deadline_once(t):
    assert (CODE, "letter_deadline") in deadlines_sweep(now=DEADLINE + dt.timedelta(minutes=1))
    first = t.run("export_placements", CODE)
    done = deadlines_run(call=Call.objects.get(code=CODE).pk, at=DEADLINE + dt.timedelta(minutes=2))
    assert done["lost_place"] == [] and done["reserve_expired"] == []
    assert t.run("export_placements", CODE) == first
    assert DeadlineEvent.objects.filter(kind="letter_deadline").count() == 1
