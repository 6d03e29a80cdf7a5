"""Ranking and allocation of primary places (domain-rules §5, contract §5 tie-breaks).

Ranking key, best first: final score desc, then GPA used desc, then language score desc,
then sequence asc (earlier application), then the caller's key (keeps the order total).

Strategies:

* ``global``: one order over every eligible applicant.
* ``department_round_robin`` (document 001): round r holds every department's r-th eligible
  applicant (departments with fewer drop out); each round is sorted by the ranking key and
  the allocation order is round 1, round 2, ... The first P of the order are primaries, the
  rest reserves in the order they would be promoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .types import AllocationStrategy, Outcome


def ranking_key(
    final_score: Decimal, gpa_used: Decimal, language_score: Decimal, sequence: int, key: str
) -> tuple:
    """Sort key, ascending = best first (scores negated: higher is better)."""
    return (-final_score, -gpa_used, -language_score, sequence, key)


#: An eligible applicant as allocation sees it: (ranking_key(...), department_code).
Candidate = tuple[tuple, str]
#: Allocation of one candidate: (department_rank, allocation_round or None, order, outcome).
Placement = tuple[int, "int | None", int, Outcome]


def allocate(candidates: Sequence[Candidate], strategy: AllocationStrategy, places: int) -> list[Placement]:
    """Rank and allocate eligible candidates; returns one placement per candidate, same order.

    ``places`` primaries at most: primaries = min(places, len(candidates)).
    Sorting is done once over all candidates (O(n log n)); department ranks are read off the
    global order, and round-robin is a stable re-sort of that order by round.
    """
    if places < 0:
        raise ValueError("places must not be negative")
    count = len(candidates)
    sort_keys = [c[0] for c in candidates]
    by_key = sorted(range(count), key=sort_keys.__getitem__)

    rank = [0] * count
    seen: dict[str, int] = {}
    for i in by_key:
        code = candidates[i][1]
        r = seen.get(code, 0) + 1
        seen[code] = r
        rank[i] = r

    if strategy is AllocationStrategy.GLOBAL:
        allocation_order = by_key
        rounds: list[int | None] | list[int] = [None] * count
    elif strategy is AllocationStrategy.DEPARTMENT_ROUND_ROBIN:
        # Stable: inside a round the ranking-key order of ``by_key`` is kept.
        allocation_order = sorted(by_key, key=rank.__getitem__)
        rounds = rank
    else:  # pragma: no cover - enum is closed
        raise ValueError(f"unknown allocation strategy {strategy!r}")  # pragma: no mutate (unreachable)

    primary, reserve = Outcome.PRIMARY, Outcome.RESERVE
    placements: list = [None] * count
    for position, i in enumerate(allocation_order, 1):
        placements[i] = (rank[i], rounds[i], position, primary if position <= places else reserve)
    return placements
