import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mobility.models import AuditEntry, CallStatus
from mobility.services.callfile import CallFileError, call_file_dump
from mobility.services.calls import call_load
from selection.models import Publication, PublicationStage
from selection.publication import PublicationError, publication_handler, run_publish, _handlers
from selection.selectors import publication_latest
from selection.services import SelectionBusy, selection_run, selection_run_start
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 1, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


@pytest.fixture
def ranked(call):
    apply(call, "CENG", gpa="3.60", written="90", listening="80", number="1001")
    apply(call, "CENG", gpa="3.20", written="80", listening="60", number="1002")
    selection_run(call=call)
    return call


def test_publish_run_final_publishes_the_latest_finished_run_at_the_given_instant(ranked, capsys):
    older = ranked.selection_runs.get()
    newer = selection_run(call=ranked)
    call_command("publish_run", ranked.code, "--stage", "final", "--at", "2023-01-10T10:00:00+03:00")
    publication = Publication.objects.get()
    assert publication.run == newer != older
    assert publication.stage == PublicationStage.FINAL
    assert publication.published_at == AT
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.FINAL_PUBLISHED
    assert "published as final" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="publication.final").exists()


def test_preliminary_may_be_repeated_with_a_newer_run_then_final_once(ranked):
    first = run_publish(call=ranked, stage="preliminary", at=AT)
    newer = selection_run(call=ranked)
    second = run_publish(call=ranked, stage="preliminary", at=AT + dt.timedelta(days=1))
    assert second.run == newer and first.run != newer
    assert publication_latest(call=ranked) == second
    run_publish(call=ranked, stage="final", at=AT + dt.timedelta(days=2))
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.FINAL_PUBLISHED
    assert publication_latest(call=ranked, stage="preliminary") == second


def test_publishing_final_a_second_time_is_refused(ranked):
    run_publish(call=ranked, stage="final", at=AT)
    with pytest.raises(CommandError, match="already published"):
        call_command("publish_run", ranked.code, "--stage", "final")
    with pytest.raises(PublicationError):
        run_publish(call=ranked, stage="preliminary", at=AT)
    assert Publication.objects.count() == 1


def test_publishing_without_a_finished_run_is_refused_and_changes_nothing(call):
    with pytest.raises(CommandError, match="no finished selection run"):
        call_command("publish_run", call.code, "--stage", "final")
    call.refresh_from_db()
    assert call.status == CallStatus.ANNOUNCED and not Publication.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2023-01-10T10:00:00", "9999-12-31T23:59:59+03:00"])
def test_publish_run_refuses_an_at_that_is_not_an_aware_instant(ranked, value):
    with pytest.raises(CommandError, match="--at"):
        call_command("publish_run", ranked.code, "--stage", "final", "--at", value)
    assert not Publication.objects.exists()


def test_an_unknown_call_is_one_line(db):
    with pytest.raises(CommandError, match="no such call"):
        call_command("publish_run", "NOPE", "--stage", "final")


def test_after_final_publication_no_new_run_and_no_call_file_update(ranked):
    run_publish(call=ranked, stage="final", at=AT)
    with pytest.raises(SelectionBusy, match="final list"):
        selection_run_start(call=ranked)
    with pytest.raises(CommandError, match="final list"):
        call_command("run_selection", ranked.code)
    data = call_file_dump(ranked)
    with pytest.raises(CallFileError, match="already published"):
        call_load(data=data)


def test_handlers_run_inside_the_publishing_transaction(ranked):
    seen = []

    def handler(publication):
        seen.append((publication.stage, Publication.objects.filter(pk=publication.pk).exists()))
        raise RuntimeError("refused by a handler")

    publication_handler(handler)
    try:
        with pytest.raises(RuntimeError):
            run_publish(call=ranked, stage="final", at=AT)
    finally:
        _handlers.remove(handler)
    assert seen == [("final", True)]
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.ANNOUNCED and not Publication.objects.exists()
