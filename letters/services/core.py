"""The call lock, the placement state machine and what a placement holds."""
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, prefetch_related_objects

from letters import notifications
from letters.models import LetterDecision, OpenPlace, Placement, PlacementStatus
from letters.services import PlacementError
from mobility.db import integers_write
from mobility.models import Call
from mobility.services.audit import audit_entry, audit_record, audit_records

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
        return primary_amount(call, approved=True, grant=letter.grant_eur, top_up=letter.top_up_eur)
    return primary_amount(call, approved=False, grant=None, top_up=None)


def primary_amount(call: Call, *, approved: bool, grant: Decimal | None, top_up: Decimal | None) -> Decimal:
    """What a primary holds: the approved grant with any top-up, else the planning amount."""
    if approved:
        return grant + top_up
    return call.planning_amount_eur


def hold_refresh(placement: Placement, call: Call) -> None:
    held = amount_held(placement, call)
    if placement.held_eur != held:
        placement.held_eur = held
        placement.save(update_fields=["held_eur"])


def placement_transition(
    *, placement: Placement, call: Call, to: str, at: datetime, actor=None, action: str, data: dict | None = None,
) -> Placement:
    """The one place a placement changes status; a primary leaving opens a place (§7).

    Saves every field of `placement` (callers set penalty, documents… before); many placements at
    once go through `placements_transition`, which writes the same rows in a few statements.
    """
    old = _transition_set(placement, call=call, to=to, at=at)
    placement.save()
    if _opens_place(old, to):
        seq = (OpenPlace.objects.filter(call=call).aggregate(m=Max("seq"))["m"] or 0) + 1
        OpenPlace.objects.create(call=call, department_code=placement.department_code, left_by=placement, seq=seq)
    audit_record(actor=actor, action=f"placement.{action}", obj=placement,
                 data=_audit_data(placement, call=call, old=old, at=at.isoformat(), data=data))
    if to in MAILED:
        # The student is told what happened, why, and what to do (an outbox row in this transaction).
        notifications.placement_notify(placement=placement, kind=_mail_kind(to), context=_mail_context(action))
    return placement


# Transitions the student is e-mailed about.
MAILED = (S.PRIMARY, S.LOST_PLACE, S.RESERVE_EXPIRED)
# What a transition writes on the placement row (besides promotion fields set by the caller).
TRANSITION_FIELDS = ("status", "status_changed_at", "held_eur")


def _transition_set(placement: Placement, *, call: Call, to: str, at: datetime) -> str:
    old = placement.status
    if to not in TRANSITIONS[old]:
        raise PlacementError(f"{placement.student_number}: {PlacementStatus(old).label} → {PlacementStatus(to).label}")
    placement.status = to
    placement.status_changed_at = at
    placement.held_eur = amount_held(placement, call)
    return old


def _opens_place(old: str, to: str) -> bool:
    return old == S.PRIMARY and to in (S.WITHDRAWN, S.LOST_PLACE)


def _audit_data(placement: Placement, *, call: Call, old: str, at: str, data: dict | None) -> dict:
    """`at`: the time as ISO text, formatted once for the thousands of entries of a deadline."""
    return {"call": call.code, "student_number": placement.student_number, "from": old, "to": placement.status,
            "at": at, "held_eur": str(placement.held_eur), **(data or {})}


def _mail_kind(to: str) -> str:
    return "promoted" if to == S.PRIMARY else to


def _mail_context(action: str) -> dict:
    return {"reason": notifications.REASONS.get(action, "")}


def placements_transition(
    *, changes: list[tuple[Placement, str, dict | None]], call: Call, at: datetime, actor=None, action: str,
    fields: tuple[str, ...] = (),
) -> None:
    """`placement_transition` for many placements of `call` at once (deadlines, promotion): each
    (placement, to, audit data) in the given order, with the same rows, audit entries, open places
    and e-mails, written in a few statements whatever their number. Only the transition's fields
    and `fields` are written (the caller holds the call lock; nothing else changed on the rows)."""
    if not changes:
        return
    olds = [_transition_set(placement, call=call, to=to, at=at) for placement, to, _data in changes]
    placements = [placement for placement, _to, _data in changes]
    _rows_write(placements, (*TRANSITION_FIELDS, *fields))
    opening = [p for p, old in zip(placements, olds, strict=True) if _opens_place(old, p.status)]
    if opening:
        seq = OpenPlace.objects.filter(call=call).aggregate(m=Max("seq"))["m"] or 0
        OpenPlace.objects.bulk_create(
            [OpenPlace(call=call, department_code=p.department_code, left_by=p, seq=seq + i) for i, p in enumerate(opening, 1)],
            batch_size=1000,
        )
    stamp = at.isoformat()
    audit_records([
        audit_entry(actor=actor, action=f"placement.{action}", obj=placement,
                    data=_audit_data(placement, call=call, old=old, at=stamp, data=data))
        for (placement, _to, data), old in zip(changes, olds, strict=True)
    ])
    mailed = [p for p in placements if p.status in MAILED]
    if mailed:
        for placement in mailed:
            placement.call = call  # the locked row itself: the mails' links read its code
        prefetch_related_objects(mailed, "letter")
        notifications.placements_notify_each(
            [(p, _mail_kind(p.status), _mail_context(action)) for p in mailed],
        )


# Fields that differ on every row written together (one promotion number each): written by one
# CASE per batch; the others take one UPDATE per distinct set of values (Django's bulk_update
# builds a CASE expression per row and field, which took seconds for a few thousand rows).
PER_ROW_INTEGERS = ("promotion_seq",)
BATCH = 500


def _rows_write(placements: list[Placement], fields: tuple[str, ...]) -> None:
    shared = [name for name in fields if name not in PER_ROW_INTEGERS]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for placement in placements:
        groups[tuple(getattr(placement, name) for name in shared)].append(placement.pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), BATCH):
            Placement.objects.filter(pk__in=pks[start:start + BATCH]).update(**dict(zip(shared, values, strict=True)))
    for name in fields:
        if name in PER_ROW_INTEGERS:
            integers_write(Placement, name, [(p.pk, int(getattr(p, name))) for p in placements])
