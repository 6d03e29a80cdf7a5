"""Who holds a position, and what happens to deadlines when the holder changes (contract §5–§6).

A position's offers are in order (the primary first, then the reserves as made). The holder is the
first that is not declined, expired, released or cancelled. When an open reserve comes to hold, its
answer window is renewed: the moment it came to hold plus `answer_days` days, if that is later.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

OPEN, ACCEPTED, DECLINED, EXPIRED, RELEASED, STARTED, CANCELLED = (
    "open", "accepted", "declined", "expired", "released", "started", "cancelled",
)
FALLEN = frozenset({DECLINED, EXPIRED, RELEASED, CANCELLED})


@dataclass(frozen=True)
class OfferState:
    seq: int
    status: str
    answer_by: datetime


def holder_index(offers: Sequence[OfferState]) -> int | None:
    """Index (in `offers`, ordered by seq) of the offer that holds the position, or None."""
    for index, offer in enumerate(sorted(offers, key=lambda o: o.seq)):
        if offer.status not in FALLEN:
            return index
    return None


def renewed_deadline(offer: OfferState, *, became_holder_at: datetime, answer_days: int) -> datetime:
    """The deadline in force for an offer that just came to hold its position."""
    if offer.status != OPEN:
        return offer.answer_by
    renewed = became_holder_at + timedelta(days=answer_days)
    return max(renewed, offer.answer_by)


def answerable(offer: OfferState, at: datetime) -> str | None:
    """None if the student may answer at `at`, else the reason (`not_open`, `expired`)."""
    if offer.status != OPEN:
        return "not_open"
    if at >= offer.answer_by:  # a 15:00:00 deadline: 14:59:59 is in time, 15:00:00 is not
        return "expired"
    return None
