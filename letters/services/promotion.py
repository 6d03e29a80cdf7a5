"""Load a call's placements, ask the pure plan (letters.promotion) who is promoted, store it."""
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from letters.models import OpenPlace, Placement, PlacementStatus
from letters.promotion import PromotionState, Seat, promotion_plan
from letters.services.core import amount_as_primary, call_lock, letter_of, placement_transition
from mobility.models import Call


def promotion_state(*, call: Call, at: datetime) -> tuple[PromotionState, dict[int, Placement]]:
    placements = {
        p.pk: p for p in Placement.objects.filter(call=call).select_related("letter").order_by("order")
    }
    seats = []
    for p in placements.values():
        letter = letter_of(p)
        seats.append(Seat(
            key=p.pk, order=p.order, department=p.department_code, status=p.status, held=p.held_eur,
            would_hold=amount_as_primary(p, call),
            letter=letter.decision if letter else "none",
            letter_before_deadline=bool(
                letter and (call.letter_deadline is None or letter.submitted_at < call.letter_deadline)
            ),
        ))
    open_places = tuple(
        OpenPlace.objects.filter(call=call, closed_by__isnull=True).order_by("seq").values_list("department_code", flat=True)
    )
    state = PromotionState(
        budget=call.budget_eur, seats=tuple(seats), open_places=open_places, at=at,
        deadline=call.letter_deadline, promotion_order=call.promotion_order_effective,
    )
    return state, placements


def promotion_apply(*, call: Call, at: datetime, actor=None) -> list[Placement]:
    """Promote while §7 allows; the caller holds the call lock. Returns the promoted placements."""
    state, placements = promotion_state(call=call, at=at)
    plan = promotion_plan(state)
    if not plan:
        return []
    seq = Placement.objects.filter(call=call).aggregate(m=Max("promotion_seq"))["m"] or 0
    promoted = []
    for step in plan:
        seq += 1
        placement = placements[step.key]
        placement.promoted = True
        placement.promotion_seq = seq
        placement.promoted_at = at
        data = {"promotion_seq": seq}
        if step.closes_open_place:
            place = OpenPlace.objects.filter(call=call, closed_by__isnull=True).order_by("seq").first()
            place.closed_by = placement
            place.save(update_fields=["closed_by"])
            data["closes_place_of"] = place.left_by.student_number
        placement_transition(
            placement=placement, call=call, to=PlacementStatus.PRIMARY, at=at, actor=actor, action="promoted", data=data,
        )
        promoted.append(placement)
    return promoted


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
