"""Approvals, withdrawals and budget changes fired together through the web pages (PostgreSQL).

Each action is a real request (a Django test client per thread, each with its own database
connection). The end state must be the one the same actions give one by one, in the order the
call lock let them through; no action may die in a deadlock or answer 500.
"""
import datetime as dt
import os
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Applicant
from letters.checks import LetterData
from letters.models import Placement, PlacementStatus
from letters.services.ledger import ledger_read
from letters.services.letters import letter_submit
from mobility.models import AuditEntry, Call
from selection.publication import run_publish
from selection.services import selection_run
from tests.concurrency import run_concurrently
from tests.factories import CallDepartmentFactory, CallFactory, UserFactory
from tests.selection.helpers import apply

pytestmark = pytest.mark.usefixtures("concurrent_db")

# How often to repeat the race (each round builds two calls); CI runs it a few times.
ROUNDS = int(os.environ.get("WEB_CONCURRENCY_ROUNDS", "3"))
WITHDRAWING = 6  # primaries without a letter who withdraw
APPROVED = 6  # primaries whose waiting letter the office approves (each grant above the planning amount)
BUDGETS = ("24300.00", "29700.00", "22950.00")


def final_list(tag: str) -> Call:
    """20 primaries and 30 reserves over two departments, published now, the letter deadline ahead."""
    now = timezone.now()
    call = CallFactory(
        code=f"WEB-{tag}", budget_eur=Decimal("27000.00"), planning_amount_eur=Decimal("1350.00"),
        applications_open=now - dt.timedelta(days=40), applications_close=now - dt.timedelta(days=30),
        letter_deadline=now + dt.timedelta(days=30), promotion_order="department_first",
    )
    for code in ("WA", "WB"):
        CallDepartmentFactory(call=call, department__code=f"{code}{tag}")
    for i in range(50):
        apply(call, ("WA", "WB")[i % 2] + tag, gpa="3.00", written=str(99 - i), listening="60", number=f"{tag}{i:03d}")
    selection_run(call=call)
    run_publish(call=call, stage="final", at=now - dt.timedelta(hours=1), confirmed=True)
    return Call.objects.get(pk=call.pk)


def prepare(call: Call) -> tuple[list[str], list[str]]:
    """Waiting letters (120 days in Germany: more than the planning amount) for the first primaries."""
    primaries = list(
        Placement.objects.filter(call=call, status=PlacementStatus.PRIMARY).order_by("order").values_list("student_number", flat=True)
    )
    approving, withdrawing = primaries[:APPROVED], primaries[APPROVED:APPROVED + WITHDRAWING]
    start = timezone.localdate() + dt.timedelta(days=60)
    for number in approving:
        letter_submit(call=call, student_number=number, at=timezone.now(), data=LetterData(
            host_name=f"Host {number} GmbH", host_type="company", country="DE", city="Berlin",
            start_date=start, end_date=start + dt.timedelta(days=119), submitted_at=timezone.now(),
        ))
    return approving, withdrawing


def clients(call: Call, approving: list[str], withdrawing: list[str]) -> tuple[dict, Client]:
    staff = UserFactory(role="office_staff")
    office = {}
    for key in [("approve", n) for n in approving] + [("budget", b) for b in BUDGETS]:
        office[key] = Client(raise_request_exception=False)
        office[key].force_login(staff)
    students = {}
    for number in withdrawing:
        user = UserFactory(role="student")
        Applicant.objects.filter(student_number=number).update(user=user)
        students[("withdraw", number)] = Client(raise_request_exception=False)
        students[("withdraw", number)].force_login(user)
    return {**office, **students}, staff


def request(call: Call, client: Client, kind: str, value: str) -> int:
    if kind == "withdraw":
        response = client.post(reverse("letters:withdraw", args=[call.code]), {"confirm": "on"})
    elif kind == "approve":
        response = client.post(reverse("letters:review", args=[call.code, value]), {"decision": "approved", "reason": ""})
    else:
        response = client.post(reverse("letters:budget", args=[call.code]), {"amount": value})
    return response.status_code


def lock_order(call: Call) -> list[tuple[str, str]]:
    """The actions as the call lock let them through: their audit entries are written under it."""
    order = []
    for entry in AuditEntry.objects.filter(action__in=("placement.withdrawn", "letter.approved", "call.budget")).order_by("pk"):
        if entry.action == "call.budget":
            if entry.object_type.endswith("call") and entry.object_id == str(call.pk):
                order.append(("budget", entry.data["to"]))
        elif entry.data.get("call") == call.code:
            kind = "withdraw" if entry.action == "placement.withdrawn" else "approve"
            order.append((kind, entry.data["student_number"][-3:]))
    return order


def end_state(call: Call) -> dict:
    call = Call.objects.get(pk=call.pk)
    placements = {
        p.student_number[-3:]: (p.status, p.promoted, p.promotion_seq, p.held_eur)
        for p in Placement.objects.filter(call=call)
    }
    ledger = ledger_read(call=call)
    return {"placements": placements, "budget": call.budget_eur, "free": ledger.free}


def deadlocks() -> int:
    """PostgreSQL's count of transactions of this database killed in a deadlock.

    Each server process reports its count when it goes idle or disconnects (the threads have
    disconnected when run_concurrently returns); the statistics snapshot is cleared first.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approvals_withdrawals_and_budget_changes_at_once_end_as_one_by_one(round_):
    together = final_list(f"T{round_}")
    approving, withdrawing = prepare(together)
    by_key, _staff = clients(together, approving, withdrawing)
    deadlocks_before = deadlocks()
    keys = list(by_key)
    outcomes = run_concurrently(
        *[lambda key=key: request(together, by_key[key], *key) for key in keys], timeout=120,
    )
    assert [o.error for o in outcomes if not o.ok] == []
    statuses = {key: o.value for key, o in zip(keys, outcomes)}
    assert {key: s for key, s in statuses.items() if s != 302} == {}, "every action answers with its redirect, none with 500"
    time.sleep(1)  # the statistics of the closed connections reach pg_stat_database
    assert deadlocks() == deadlocks_before, "no transaction died in a deadlock"
    order = lock_order(together)
    assert len(order) == len(keys)

    one_by_one = final_list(f"S{round_}")
    approving_b, withdrawing_b = prepare(one_by_one)
    by_key_b, _ = clients(one_by_one, approving_b, withdrawing_b)
    prefix = f"S{round_}"
    for kind, value in order:
        key = (kind, value) if kind == "budget" else (kind, prefix + value)
        assert request(one_by_one, by_key_b[key], *key) == 302

    assert end_state(together) == end_state(one_by_one)
    assert Placement.objects.filter(call=together, promoted=True).exists(), "the race had something to promote"
