import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from mobility.models import AuditEntry, CallStatus
from mobility.services.callfile import CallFileError, call_file_dump
from mobility.services.calls import call_load
from selection.models import Publication, PublicationStage
from selection.publication import PublicationError, _handlers, publication_handler, run_publish
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
    call_command("publish_run", ranked.code, "--stage", "final", "--confirm", "--at", "2023-01-10T10:00:00+03:00")
    publication = Publication.objects.get()
    assert publication.run == newer != older
    assert publication.stage == PublicationStage.FINAL
    assert publication.published_at == AT
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.FINAL_PUBLISHED
    assert "published as final" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="publication.final").exists()


def test_preliminary_may_be_repeated_with_a_newer_run_then_final_once(ranked):
    first = run_publish(call=ranked, stage="preliminary", at=AT, confirmed=True)
    newer = selection_run(call=ranked)
    second = run_publish(call=ranked, stage="preliminary", at=AT + dt.timedelta(days=1), confirmed=True)
    assert second.run == newer and first.run != newer
    assert publication_latest(call=ranked) == second
    run_publish(call=ranked, stage="final", at=AT + dt.timedelta(days=2), confirmed=True)
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.FINAL_PUBLISHED
    assert publication_latest(call=ranked, stage="preliminary") == second


def test_publishing_final_a_second_time_is_refused(ranked):
    run_publish(call=ranked, stage="final", at=AT, confirmed=True)
    with pytest.raises(CommandError, match="already published"):
        call_command("publish_run", ranked.code, "--stage", "final")
    with pytest.raises(PublicationError):
        run_publish(call=ranked, stage="preliminary", at=AT, confirmed=True)
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
    run_publish(call=ranked, stage="final", at=AT, confirmed=True)
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
            run_publish(call=ranked, stage="final", at=AT, confirmed=True)
    finally:
        _handlers.remove(handler)
    assert seen == [("final", True)]
    ranked.refresh_from_db()
    assert ranked.status == CallStatus.ANNOUNCED and not Publication.objects.exists()


# --- the windows a publication closes --------------------------------------------------------

def _closed(call, **changes):
    """The call with its applications closed before AT (and whatever `changes` say)."""
    call.applications_close = AT - dt.timedelta(days=10)
    call.applications_open = AT - dt.timedelta(days=20)
    for name, value in changes.items():
        setattr(call, name, value)
    call.save()
    return call


def test_a_preliminary_list_without_an_appeal_deadline_is_refused_until_confirmed(ranked):
    from selection.publication import PublicationNeedsConfirmation, publication_risks

    call = _closed(ranked, appeal_deadline=None)
    with pytest.raises(PublicationNeedsConfirmation) as refused:
        run_publish(call=call, stage="preliminary", at=AT)
    assert "no appeal deadline" in str(refused.value) and not Publication.objects.exists()
    assert publication_risks(call=call, stage="preliminary", at=AT) == refused.value.risks
    run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    assert Publication.objects.count() == 1


def test_the_final_list_while_applications_or_the_appeal_window_are_open_is_refused_until_confirmed(ranked):
    from selection.publication import PublicationNeedsConfirmation

    call = _closed(ranked, appeal_deadline=AT + dt.timedelta(days=3))
    run_publish(call=call, stage="preliminary", at=AT)  # nothing to ask: applications closed, appeals open
    with pytest.raises(PublicationNeedsConfirmation, match="appeal window is open until"):
        run_publish(call=call, stage="final", at=AT + dt.timedelta(days=1))
    call.applications_close = AT + dt.timedelta(days=30)
    call.save()
    with pytest.raises(PublicationNeedsConfirmation, match="Applications are still open"):
        run_publish(call=call, stage="final", at=AT + dt.timedelta(days=4))
    assert not Publication.objects.filter(stage="final").exists()
    run_publish(call=call, stage="final", at=AT + dt.timedelta(days=4), confirmed=True)
    assert Publication.objects.filter(stage="final").exists()


def test_the_command_publishes_as_the_contract_says_and_prints_one_warning_per_consequence(ranked):
    # placement-files §2 refuses only a missing run and a second final list: the command never asks.
    _closed(ranked, appeal_deadline=None)
    err = io.StringIO()
    call_command("publish_run", ranked.code, "--stage", "preliminary", "--at", AT.isoformat(), stderr=err, stdout=io.StringIO())
    assert "no appeal deadline" in err.getvalue()
    assert Publication.objects.count() == 1


def test_the_publish_page_spells_out_the_consequences_and_publishes_only_when_ticked(client, staff, ranked):
    from django.urls import reverse

    ranked.appeal_deadline = None
    ranked.save()
    client.force_login(staff)
    url = reverse("office:publish", args=[ranked.code, "preliminary"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Applications are still open" in page and "no appeal deadline" in page and 'name="confirm"' in page
    client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert not Publication.objects.exists()
    client.post(url, {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert Publication.objects.count() == 1
    assert AuditEntry.objects.filter(action="publication.preliminary", data__has_key="risks").exists()
