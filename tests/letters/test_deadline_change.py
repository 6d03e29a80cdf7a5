"""Moving a deadline after the final list says who it takes off the list before anything is saved."""
import datetime as dt

import pytest
from django.utils import timezone

from mobility.admin_forms import CallAdminForm
from mobility.models import Call
from mobility.services.deadlines import deadline_change_effects
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(tmp_path):
    t = Timeline(tmp_path)
    t.publish(at="2023-01-10T10:00:00+03:00")
    Call.objects.filter(code=CODE).update(letter_deadline=timezone.now() + dt.timedelta(days=10))
    t.letters([{"student_number": "1001"}], at="2023-02-01T10:00:00+03:00")
    return t


def _form(call, **changes):
    blank = CallAdminForm(instance=call)
    data = {name: ("" if blank[name].value() is None else blank[name].value()) for name in blank.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data.update(changes)
    return CallAdminForm(data=data, instance=call)


def test_the_effects_name_the_primaries_who_lose_their_place_and_the_reserves_who_end(published):
    call = Call.objects.get(code=CODE)
    past = timezone.now() - dt.timedelta(minutes=1)
    lines = deadline_change_effects(call=call, changes={"letter_deadline": past}, at=timezone.now())
    text = " ".join(lines)
    assert "lose their place" in text and "1002" in text and "1001" not in text  # 1001 handed in a letter
    assert "reserve status" in text and "2002" in text
    assert deadline_change_effects(call=call, changes={"letter_deadline": past + dt.timedelta(days=30)}, at=timezone.now()) == []


def test_the_admin_refuses_the_change_until_the_effects_are_accepted_and_audits_them(published, admin_client):
    call = Call.objects.get(code=CODE)
    past = (timezone.localtime(timezone.now()) - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    form = _form(call, letter_deadline=past)
    assert not form.is_valid()
    assert "lose their place" in " ".join(form.errors["letter_deadline"]) and "accept_deadline_effects" in form.errors
    call.refresh_from_db()
    assert call.letter_deadline > timezone.now()
    form = _form(call, letter_deadline=past, accept_deadline_effects="on")
    assert form.is_valid(), form.errors
    assert form.deadline_effects


def test_a_deadline_moved_later_asks_nothing(published):
    call = Call.objects.get(code=CODE)
    later = (timezone.localtime(call.letter_deadline) + dt.timedelta(days=5)).strftime("%Y-%m-%d %H:%M:%S")
    form = _form(call, letter_deadline=later)
    assert "letter_deadline" not in form.errors and "accept_deadline_effects" not in form.errors
