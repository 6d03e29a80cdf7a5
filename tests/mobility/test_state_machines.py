"""Every (from, to) pair of each state machine, against the moves the rules allow.

The allowed moves are written out here, not read from the code, so a transition table that
lets anything through fails.
"""
import itertools
import json

import pytest
from django.core.management import CommandError, call_command

from mobility.models import AuditEntry, Call, CallStatus
from mobility.services.calls import CallTransitionError, call_transition
from selection.models import RunStatus, SelectionRun
from selection.services import SelectionTransitionError, run_transition
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

CALL_MOVES = {
    (CallStatus.DRAFT, CallStatus.ANNOUNCED),
    (CallStatus.ANNOUNCED, CallStatus.DRAFT),
    (CallStatus.ANNOUNCED, CallStatus.APPLICATIONS_CLOSED),
    (CallStatus.ANNOUNCED, CallStatus.PRELIMINARY_PUBLISHED),
    (CallStatus.ANNOUNCED, CallStatus.FINAL_PUBLISHED),
    (CallStatus.APPLICATIONS_CLOSED, CallStatus.ANNOUNCED),
    (CallStatus.APPLICATIONS_CLOSED, CallStatus.PRELIMINARY_PUBLISHED),
    (CallStatus.APPLICATIONS_CLOSED, CallStatus.FINAL_PUBLISHED),
    (CallStatus.PRELIMINARY_PUBLISHED, CallStatus.FINAL_PUBLISHED),
    (CallStatus.FINAL_PUBLISHED, CallStatus.ARCHIVED),
}
RUN_MOVES = {
    (RunStatus.QUEUED, RunStatus.RUNNING),
    (RunStatus.QUEUED, RunStatus.FAILED),
    (RunStatus.RUNNING, RunStatus.FINISHED),
    (RunStatus.RUNNING, RunStatus.FAILED),
    (RunStatus.QUEUED, RunStatus.CANCELLED),
    (RunStatus.RUNNING, RunStatus.CANCELLED),
}


@pytest.mark.parametrize("old, new", list(itertools.product(CallStatus, CallStatus)), ids=lambda s: str(s))
def test_call_transition_allows_exactly_the_rules_moves(old, new):
    call = CallFactory(status=old)
    if (old, new) in CALL_MOVES:
        assert call_transition(call=call, to=new).status == new
        call.refresh_from_db()
        assert call.status == new
        entry = AuditEntry.objects.get(action="call.status", object_id=str(call.pk))
        assert entry.data == {"from": str(old), "to": str(new)}
    else:
        with pytest.raises(CallTransitionError):
            call_transition(call=call, to=new)
        call.refresh_from_db()
        assert call.status == old
        assert not AuditEntry.objects.filter(action="call.status").exists()


@pytest.mark.parametrize("old, new", list(itertools.product(RunStatus, RunStatus)), ids=lambda s: str(s))
def test_run_transition_allows_exactly_the_rules_moves(old, new):
    run = SelectionRun.objects.create(call=CallFactory(), status=old)
    if (old, new) in RUN_MOVES:
        assert run_transition(run=run, to=new).status == new
        run.refresh_from_db()
        assert run.status == new
        entry = AuditEntry.objects.get(action=f"selection.{new}", object_id=str(run.pk))
        assert entry.data["from"] == str(old)
    else:
        with pytest.raises(SelectionTransitionError):
            run_transition(run=run, to=new)
        run.refresh_from_db()
        assert run.status == old
        assert not AuditEntry.objects.filter(object_type="selection.selectionrun").exists()


def _load(tmp_path, data):
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_call", str(path))


def _call_file(status):
    from tests.mobility.test_load_call import contract_example

    data = contract_example()
    data["status"] = status
    return data


def test_load_call_changes_the_status_through_call_transition_with_an_audit_entry(tmp_path):
    _load(tmp_path, _call_file("draft"))
    call = Call.objects.get()
    assert call.status == CallStatus.DRAFT
    assert AuditEntry.objects.get(action="call.created").data["status"] == "draft"
    _load(tmp_path, _call_file("announced"))
    call.refresh_from_db()
    assert call.status == CallStatus.ANNOUNCED
    assert AuditEntry.objects.get(action="call.status", object_id=str(call.pk)).data == {"from": "draft", "to": "announced"}


def test_load_call_refuses_a_status_move_the_rules_do_not_allow_and_saves_nothing(tmp_path, capsys):
    _load(tmp_path, _call_file("draft"))
    data = _call_file("archived")
    data["title"] = "Changed"
    with pytest.raises(CommandError, match="nothing was saved"):
        _load(tmp_path, data)
    assert "status:" in capsys.readouterr().err
    call = Call.objects.get()
    assert (call.status, call.title) == (CallStatus.DRAFT, _call_file("draft")["title"])
    assert not AuditEntry.objects.filter(action="call.status").exists()
