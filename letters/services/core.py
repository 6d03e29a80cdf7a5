"""The call lock, the placement state machine and what a placement holds."""
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from letters import notifications
from letters.models import LetterDecision, OpenPlace, Placement, PlacementStatus
from letters.services import PlacementError
from mobility.models import Call
from mobility.services.audit import audit_record

S = PlacementStatus
TRANSITIONS: dict[str, set[str]] = {
    S.RESERVE: {S.PRIMARY, S.WITHDRAWN, S.RESERVE_EXPIRED},
    S.PRIMARY: {S.WITHDRAWN, S.LOST_PLACE, S.COMPLETED},
    # A second certificate replaces the first (placement-files §13): completed stays completed.
    S.COMPLETED: {S.COMPLETED},
    S.WITHDRAWN: set(),
    S.LOST_PLACE: set(),
    S.RESERVE_EXPIRED: set(),
}


def call_lock(call: Call | int) -> Call:
    """Lock the call row: every action that reads the free budget takes its turn here."""
    assert transaction.get_connection().in_atomic_block, "call_lock needs a transaction"
    return Call.objects.select_for_update().get(pk=getattr(call, "pk", call))


def letter_of(placement: Placement):
    try:
        return placement.letter
    except Placement.letter.RelatedObjectDoesNotExist:
        return None


def amount_held(placement: Placement, call: Call) -> Decimal:
    """§6: a primary holds its approved grant (with any top-up), the planning amount before that.

    A completed traineeship holds its final grant, which the certificate service sets (§13).
    """
    if placement.status == S.COMPLETED:
        return placement.held_eur
    if placement.status != S.PRIMARY:
        return Decimal("0.00")
    return amount_as_primary(placement, call)


def amount_as_primary(placement: Placement, call: Call) -> Decimal:
    letter = letter_of(placement)
    if letter is not None and letter.decision == LetterDecision.APPROVED:
        return letter.grant_eur + letter.top_up_eur
    return call.planning_amount_eur


def hold_refresh(placement: Placement, call: Call) -> None:
    held = amount_held(placement, call)
    if placement.held_eur != held:
        placement.held_eur = held
        placement.save(update_fields=["held_eur"])


def placement_transition(
    *, placement: Placement, call: Call, to: str, at: datetime, actor=None, action: str, data: dict | None = None,
) -> Placement:
    """The one place a placement changes status; a primary leaving opens a place (§7)."""
    old = placement.status
    if to not in TRANSITIONS[old]:
        raise PlacementError(f"{placement.student_number}: {PlacementStatus(old).label} → {PlacementStatus(to).label}")
    placement.status = to
    placement.status_changed_at = at
    placement.held_eur = amount_held(placement, call)
    placement.save()
    if old == S.PRIMARY and to in (S.WITHDRAWN, S.LOST_PLACE):
        seq = (OpenPlace.objects.filter(call=call).aggregate(m=Max("seq"))["m"] or 0) + 1
        OpenPlace.objects.create(call=call, department_code=placement.department_code, left_by=placement, seq=seq)
    audit_record(
        actor=actor, action=f"placement.{action}", obj=placement,
        data={"call": call.code, "student_number": placement.student_number, "from": old, "to": to,
              "at": at.isoformat(), "held_eur": str(placement.held_eur), **(data or {})},
    )
    if to in (S.PRIMARY, S.LOST_PLACE, S.RESERVE_EXPIRED):
        # The student is told what happened, why, and what to do (an outbox row in this transaction).
        kind = "promoted" if to == S.PRIMARY else to
        notifications.placement_notify(
            placement=placement, kind=kind, context={"reason": notifications.REASONS.get(action, "")},
        )
    return placement
