"""Real concurrent transactions on PostgreSQL: the call lock makes actions take turns."""
import datetime as dt
from decimal import Decimal

import pytest

from letters.exports import placement_row
from letters.models import Placement, PlacementStatus
from letters.services.deadlines import deadlines_run
from letters.services.ledger import budget_set, ledger_read
from letters.services.withdrawals import placement_withdraw
from mobility.models import AuditEntry, Call
from selection.publication import run_publish
from selection.services import selection_run
from tests.concurrency import run_concurrently
from tests.factories import CallDepartmentFactory, CallFactory
from tests.selection.helpers import apply

# Real row locks and concurrent transactions: PostgreSQL only (skipped locally on SQLite, a failure under CI).
pytestmark = pytest.mark.usefixtures("concurrent_db")

TR = dt.timezone(dt.timedelta(hours=3))
PUBLISHED = dt.datetime(2023, 1, 10, 10, 0, tzinfo=TR)
DEADLINE = dt.datetime(2023, 3, 15, 16, 0, tzinfo=TR)
MOMENT = dt.datetime(2023, 2, 1, 10, 0, tzinfo=TR)


def final_list(order: str, tag: str = "X") -> Call:
    """20 primaries and 30 reserves over two departments; student numbers `<tag>NNN`."""
    call = CallFactory(
        code=f"CONC-{order}-{tag}", budget_eur=Decimal("27000.00"), planning_amount_eur=Decimal("1350.00"),
        applications_open=dt.datetime(2022, 12, 5, tzinfo=TR), applications_close=dt.datetime(2022, 12, 20, tzinfo=TR),
        letter_deadline=DEADLINE, promotion_order=order,
    )
    for code in ("CA", "CB"):
        CallDepartmentFactory(call=call, department__code=f"{code}{order[:3]}{tag}")
    for i in range(50):
        dept = ("CA", "CB")[i % 2] + order[:3] + tag
        apply(call, dept, gpa="3.00", written=str(99 - i), listening="60", number=f"{tag}{order[:3]}{i:03d}")
    selection_run(call=call)
    run_publish(call=call, stage="final", at=PUBLISHED, confirmed=True)
    return call


def state(call) -> dict:
    return {p.student_number[-3:]: (p.status, p.promoted, p.held_eur) for p in Placement.objects.filter(call=call)}


@pytest.mark.parametrize("order", ["department_first", "allocation_order"])
def test_twenty_withdrawals_at_once_promote_each_reserve_once_within_budget_like_one_by_one(order):
    results, taken = {}, []
    for mode in ("together", "one_by_one"):
        call = final_list(order, tag=mode[0].upper())
        # Lowered so that the 20 freed places cover only 15 reserves.
        budget_set(call=call, amount=Decimal("20250.00"), at=PUBLISHED)
        primaries = list(Placement.objects.filter(call=call, status=PlacementStatus.PRIMARY).values_list("student_number", flat=True))
        assert len(primaries) == 20
        if mode == "together":
            actions = [lambda n=n: placement_withdraw(call=call, student_number=n, at=MOMENT) for n in primaries]
            outcomes = run_concurrently(*actions, timeout=60)
            assert [o.error for o in outcomes if not o.ok] == []
            # The order the lock let them through (department_first depends on it).
            taken = [e.data["student_number"][-3:] for e in AuditEntry.objects.filter(action="placement.withdrawn").order_by("pk")]
            assert sorted(taken) == sorted(n[-3:] for n in primaries)
        else:
            prefix = primaries[0][:-3]
            for suffix in taken:
                placement_withdraw(call=call, student_number=prefix + suffix, at=MOMENT)
        promoted = Placement.objects.filter(call=call, promoted=True)
        seqs = sorted(promoted.values_list("promotion_seq", flat=True))
        assert seqs == list(range(1, 16))  # each promotion once, numbered without gaps
        ledger = ledger_read(call=Call.objects.get(pk=call.pk))
        assert ledger.free >= 0 and ledger.primaries == 15
        results[mode] = state(call)
        AuditEntry.objects.filter(action="placement.withdrawn").delete()
    assert results["together"] == results["one_by_one"]


def test_the_deadline_job_twice_at_once_is_the_same_as_once():
    call = final_list("department_first")
    before = state(call)
    outcomes = run_concurrently(*[lambda: deadlines_run(call=call.pk, at=DEADLINE)] * 2)
    assert [o.error for o in outcomes if not o.ok] == []
    assert sum(len(o.value["lost_place"]) for o in outcomes) == 20  # done by one of the two
    once = [placement_row(p) for p in Placement.objects.filter(call=call).select_related("letter").order_by("order")]
    assert {row[3] for row in once} == {"lost_place", "reserve_expired"}
    assert before != state(call)
