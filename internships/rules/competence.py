"""Competence points per heading: only documents career staff accepted count (document 003).

The points per kind of document are programme configuration; DEFAULT_POINTS is the documented
default (the national method report is not public, so the university sets its own table).
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

HEADINGS = ("professional", "social", "sports")

DEFAULT_POINTS: dict[str, dict[str, Decimal]] = {
    "professional": {
        "certificate": Decimal("5"),         # course or skills certificate
        "language_certificate": Decimal("10"),
        "project": Decimal("10"),            # research or industry project
        "publication": Decimal("15"),
        "award": Decimal("10"),              # competition or academic award
        "prior_internship": Decimal("10"),
    },
    "social": {
        "volunteering": Decimal("5"),
        "club_role": Decimal("5"),           # office in a student club
        "art_award": Decimal("10"),
        "art_activity": Decimal("5"),        # exhibition, concert, performance
    },
    "sports": {
        "licensed_athlete": Decimal("10"),
        "team_member": Decimal("5"),         # university team
        "sports_award": Decimal("10"),
    },
}


@dataclass(frozen=True)
class AcceptedDocument:
    heading: str
    kind: str


def points_per_heading(documents: Iterable[AcceptedDocument],
                       table: Mapping[str, Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """{heading: points} over the accepted documents; a kind the table lacks counts 0."""
    totals = {heading: Decimal("0") for heading in HEADINGS}
    for doc in documents:
        totals[doc.heading] += Decimal(table.get(doc.heading, {}).get(doc.kind, 0))
    return totals
