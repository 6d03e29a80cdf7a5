"""Reserve promotion, exactly as contract placement-files §7. Pure: plain data in, promotions out.

The service loads a call's placements into `PromotionState`, calls `promotion_plan`, and stores
what comes back. Nothing here reads the clock or the database, so every rule can be read beside
§7 and tested with tables of cases.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

PRIMARY = "primary"
RESERVE = "reserve"
DEPARTMENT_FIRST = "department_first"
ALLOCATION_ORDER = "allocation_order"
LIVE_LETTERS = ("waiting", "approved")


@dataclass(frozen=True)
class Seat:
    """One primary or reserve of the final list, as promotion needs to see it."""

    key: int
    order: int
    department: str
    status: str
    held: Decimal  # what the placement holds now
    would_hold: Decimal  # what it would hold as a primary: its approved grant, or the planning amount
    letter: str = "none"  # none, waiting, approved, rejected
    letter_before_deadline: bool = False


@dataclass(frozen=True)
class PromotionState:
    budget: Decimal
    seats: tuple[Seat, ...]
    open_places: tuple[str, ...]  # departments of places left open and not yet closed, oldest first
    at: datetime
    deadline: datetime | None
    promotion_order: str = DEPARTMENT_FIRST
    # What the places not listed in `seats` hold. Only a reserve can be promoted, so the service
    # lists the reserves and sums the others' money in the database (250 rows read instead of 2,750
    # after the benchmark's deadline); the plan is the same as with every seat listed
    # (tests/letters/test_promotion_plan.py).
    held_elsewhere: Decimal = Decimal("0")


@dataclass(frozen=True)
class Promotion:
    key: int
    holds: Decimal
    closes_open_place: bool  # it takes the oldest open place (department_first)


def is_eligible(seat: Seat, *, at: datetime, deadline: datetime | None) -> bool:
    """§7.1: before the deadline every waiting reserve; from it on, only those with a live letter."""
    if seat.status != RESERVE:
        return False
    if deadline is None or at < deadline:
        return True
    return seat.letter in LIVE_LETTERS and seat.letter_before_deadline


def free_budget(state: PromotionState) -> Decimal:
    return state.budget - state.held_elsewhere - sum((seat.held for seat in state.seats), Decimal("0"))


def _candidate(waiting: list[Seat], open_places: list[str], promotion_order: str) -> Seat:
    """§7.2; `waiting` is in allocation order and not empty."""
    if promotion_order == DEPARTMENT_FIRST and open_places:
        department = open_places[0]
        for seat in waiting:
            if seat.department == department:
                return seat
    return waiting[0]


def promotion_plan(state: PromotionState) -> list[Promotion]:
    """Promote one at a time while an eligible reserve exists and the free budget covers the candidate."""
    free = free_budget(state)
    waiting = sorted(
        (seat for seat in state.seats if is_eligible(seat, at=state.at, deadline=state.deadline)),
        key=lambda seat: seat.order,
    )
    open_places = list(state.open_places)
    plan: list[Promotion] = []
    while waiting:
        candidate = _candidate(waiting, open_places, state.promotion_order)
        if candidate.would_hold > free:
            break  # §7.3: nobody further down is tried
        closes = bool(open_places)
        if closes:
            open_places.pop(0)
        plan.append(Promotion(key=candidate.key, holds=candidate.would_hold, closes_open_place=closes))
        free -= candidate.would_hold
        waiting.remove(candidate)
    return plan
