"""The letter deadline and a promotion make as many queries for 200 placements as for 10 (issue 17).

The deadline writes every placement, audit entry, open place and e-mail of a call; done one row
at a time it took tens of thousands of queries for 5,000 placements (bench/deadlines.py).
Rows are inserted in batches (a thousand on PostgreSQL, about a hundred e-mails on SQLite, whose
statements take at most 999 values): the sizes here stay within one batch of each kind.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from letters.models import Placement, PlacementStatus
from letters.services.deadlines import deadlines_run
from letters.services.withdrawals import placement_withdraw
from mobility.models import AuditEntry, CallStatus, OutboxMessage
from tests.factories import ApplicantFactory, CallFactory, DepartmentFactory, LetterFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db
DEADLINE = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)
PLANNING = Decimal("1350.00")


def _call(n: int):
    """n placements: half primaries (three in five with a letter), half reserves (every other one with a letter);
    a third of the students with an account (their language and address)."""
    primaries = n // 2
    call = CallFactory(status=CallStatus.FINAL_PUBLISHED, letter_deadline=DEADLINE, budget_eur=PLANNING * primaries,
                       planning_amount_eur=PLANNING)
    departments = [DepartmentFactory(), DepartmentFactory()]
    for i in range(n):
        primary = i < primaries
        applicant = ApplicantFactory(user=UserFactory(language="tr") if i % 3 == 0 else None)
        placement = PlacementFactory(
            call=call, order=i + 1, status=PlacementStatus.PRIMARY if primary else PlacementStatus.RESERVE,
            held_eur=PLANNING if primary else Decimal("0.00"),
            application__applicant=applicant, application__department=departments[i % 2],
        )
        if (i % 5 < 3) if primary else (i % 2 == 0):
            LetterFactory(placement=placement, grant_eur=PLANNING, submitted_at=DEADLINE - dt.timedelta(days=2),
                          decision="approved" if i % 3 == 0 else "waiting")
    return call


def _deadline_queries(n: int) -> tuple[int, dict]:
    call = _call(n)
    mails = OutboxMessage.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        done = deadlines_run(call=call, at=DEADLINE + dt.timedelta(minutes=1))
    # Every kind of change happened, each with its audit entry and e-mail.
    assert done["lost_place"] and done["reserve_expired"] and done["promoted"]
    changed = sum(len(v) for v in done.values())
    assert AuditEntry.objects.filter(action__startswith="placement.", data__call=call.code).count() == changed
    assert OutboxMessage.objects.count() - mails == changed
    return len(ctx), call


def test_letter_deadline_queries_do_not_grow_with_placements():
    few, _ = _deadline_queries(10)
    many, _ = _deadline_queries(200)
    assert many == few


def _reserve_list_end_queries(n: int) -> int:
    call = _call(n)
    call.reserve_list_end = DEADLINE - dt.timedelta(hours=1)  # before the letter deadline: every reserve still waits
    call.save()
    with CaptureQueriesContext(connection) as ctx:
        done = deadlines_run(call=call, at=DEADLINE - dt.timedelta(minutes=30))
    assert len(done["reserve_expired"]) == n - n // 2
    return len(ctx)


def test_the_end_of_the_reserve_list_makes_as_many_queries_for_160_placements_as_for_10():
    assert _reserve_list_end_queries(160) == _reserve_list_end_queries(10)


def _withdrawal_queries(n: int) -> int:
    _count, call = _deadline_queries(n)
    number = Placement.objects.filter(call=call, status=PlacementStatus.PRIMARY).order_by("order")[0].student_number
    with CaptureQueriesContext(connection) as ctx:
        _placement, promoted = placement_withdraw(call=call, student_number=number, at=DEADLINE + dt.timedelta(hours=1))
    assert len(promoted) == 1
    return len(ctx)


def test_one_promotion_after_a_withdrawal_makes_as_many_queries_whatever_the_list():
    assert _withdrawal_queries(200) == _withdrawal_queries(20)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_deadline_pauses_the_collector_and_leaves_it_as_it_found_it(enabled, monkeypatch):
    import gc

    import letters.services.core as core

    call = _call(6)
    seen = []
    transition = core.placements_transition

    def spying(**kwargs):
        seen.append(gc.isenabled())
        return transition(**kwargs)

    monkeypatch.setattr("letters.services.deadlines.placements_transition", spying)
    (gc.enable if enabled else gc.disable)()
    try:
        deadlines_run(call=call, at=DEADLINE + dt.timedelta(minutes=1))
        assert seen and not any(seen) and gc.isenabled() is enabled
    finally:
        gc.enable()
