"""Load a call's placements, ask the pure plan (letters.promotion) who is promoted, store it."""
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum

from letters.models import LetterDecision, OpenPlace, Placement, PlacementStatus
from letters.promotion import PromotionState, Seat, promotion_plan
from letters.services.core import call_lock, placements_transition, primary_amount
from mobility.db import integers_write
from mobility.models import Call

# What promotion reads of each placement: plain values, not model instances (it runs after every
# action, in the action's transaction, over the whole final list).
SEAT_VALUES = (
    "pk", "order", "department_code", "status", "held_eur",
    "letter__decision", "letter__submitted_at", "letter__grant_eur", "letter__top_up_eur",
)
PROMOTION_FIELDS = ("promoted", "promotion_seq", "promoted_at")


def promotion_state(*, call: Call, at: datetime) -> PromotionState:
    """The plan's input."""
    seats = []
    deadline = call.letter_deadline
    # Only a waiting reserve can be promoted: the reserves are read one by one, and what every
    # other placement holds is one sum (after a deadline most of the list are primaries).
    held_elsewhere = (
        Placement.objects.filter(call=call).exclude(status=PlacementStatus.RESERVE)
        .aggregate(held=Sum("held_eur"))["held"] or Decimal("0")
    )
    rows = (
        Placement.objects.filter(call=call, status=PlacementStatus.RESERVE)
        .order_by("order").values_list(*SEAT_VALUES)
    )
    for pk, order, department, status, held, decision, submitted_at, grant, top_up in rows:
        approved = decision == LetterDecision.APPROVED
        seats.append(Seat(
            key=pk, order=order, department=department, status=status, held=held,
            would_hold=primary_amount(call, approved=approved, grant=grant, top_up=top_up),
            letter=decision if decision is not None else "none",
            letter_before_deadline=decision is not None and (deadline is None or submitted_at < deadline),
        ))
    open_places = tuple(
        OpenPlace.objects.filter(call=call, closed_by__isnull=True).order_by("seq").values_list("department_code", flat=True)
    )
    return PromotionState(
        budget=call.budget_eur, seats=tuple(seats), open_places=open_places, at=at,
        deadline=deadline, promotion_order=call.promotion_order_effective, held_elsewhere=held_elsewhere,
    )


def promotion_apply(*, call: Call, at: datetime, actor=None) -> list[Placement]:
    """Promote while §7 allows; the caller holds the call lock. Returns the promoted placements.

    The plan is pure, so its steps are stored together: the k-th step that closes a place closes
    the k-th oldest open place, as one step after the other would."""
    plan = promotion_plan(promotion_state(call=call, at=at))
    if not plan:
        return []
    seq = Placement.objects.filter(call=call).aggregate(m=Max("promotion_seq"))["m"] or 0
    by_pk = Placement.objects.select_related("letter").in_bulk([step.key for step in plan])
    closing = [step for step in plan if step.closes_open_place]
    # (open place, student number of who left it): the audit entry names them; no placement rows read.
    places = list(
        OpenPlace.objects.filter(call=call, closed_by__isnull=True).order_by("seq")
        .values_list("pk", "left_by__student_number")[:len(closing)]
    ) if closing else []
    places.reverse()
    changes, closed = [], []
    for step in plan:
        seq += 1
        placement = by_pk[step.key]
        placement.promoted = True
        placement.promotion_seq = seq
        placement.promoted_at = at
        data = {"promotion_seq": seq}
        if step.closes_open_place:
            place, left_by = places.pop()
            data["closes_place_of"] = left_by
            closed.append((place, placement.pk))
        changes.append((placement, PlacementStatus.PRIMARY, data))
    if closed:
        integers_write(OpenPlace, "closed_by", closed)
    placements_transition(
        changes=changes, call=call, at=at, actor=actor, action="promoted", fields=PROMOTION_FIELDS,
    )
    return [placement for placement, _to, _data in changes]


def promotion_run(*, call: Call | int, at: datetime, actor=None) -> list[Placement]:
    """Promotion on its own (the periodic sweep): locks the call; safe to run twice."""
    with transaction.atomic():
        call = call_lock(call)
        return promotion_apply(call=call, at=at, actor=actor)


def promotion_after(*, call: Call, at: datetime, actor=None) -> list[Placement]:
    """After every action (§7), in the action's own transaction and under its call lock, on the web
    as in the commands: no other action can take the freed money in between. Only the e-mails
    (outbox rows) and page refreshes wait for the commit."""
    assert transaction.get_connection().in_atomic_block, "promotion runs inside the action's transaction"
    return promotion_apply(call=call, at=at, actor=actor)
