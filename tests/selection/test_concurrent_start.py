"""Two offices press "Run the selection" at the same moment (real concurrent transactions)."""
from selection.models import RunStatus, SelectionRun
from selection.services import SelectionBusy, selection_run_start
from tests.concurrency import run_concurrently
from tests.factories import CallDepartmentFactory, CallFactory


def test_two_starts_at_the_same_moment_create_exactly_one_run_and_the_other_is_told_busy(concurrent_db):
    call = CallFactory()
    CallDepartmentFactory(call=call, department__code="CENG")

    outcomes = run_concurrently(*[lambda: selection_run_start(call=call)] * 2)

    started = [o.value for o in outcomes if o.ok]
    refused = [o.error for o in outcomes if not o.ok]
    assert len(started) == 1, outcomes
    assert len(refused) == 1 and isinstance(refused[0], SelectionBusy), refused
    assert list(SelectionRun.objects.filter(call=call).values_list("pk", "status")) == [(started[0].pk, RunStatus.QUEUED)]


def test_starts_of_two_different_calls_at_the_same_moment_both_succeed(concurrent_db):
    first, second = CallFactory(), CallFactory()

    outcomes = run_concurrently(lambda: selection_run_start(call=first), lambda: selection_run_start(call=second))

    assert all(o.ok for o in outcomes), outcomes
    assert SelectionRun.objects.count() == 2
