"""The budget ledger of a call (§6): what is held, committed and free, and budget changes (§9)."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from letters.models import LetterDecision, Placement, PlacementStatus
from letters.services import PlacementError
from letters.services.core import call_lock
from letters.services.promotion import promotion_after
from mobility.models import Call
from mobility.numbers import NumberInvalid, decimal_read
from mobility.services.audit import audit_record

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Ledger:
    budget: Decimal
    held_planning: Decimal  # primaries without an approved letter: the planning amount each
    committed: Decimal  # primaries with an approved letter: their grants
    primaries: int
    approved: int
    final: Decimal = ZERO  # completed traineeships: their final grants (§13)
    completed: int = 0
    final_planned: Decimal = ZERO  # what the completed traineeships' letters had planned

    @property
    def final_difference(self) -> Decimal:
        return self.final - self.final_planned

    @property
    def held(self) -> Decimal:
        return self.held_planning + self.committed + self.final

    @property
    def free(self) -> Decimal:
        return self.budget - self.held


def ledger_read(*, call: Call) -> Ledger:
    approved = Q(letter__decision=LetterDecision.APPROVED)
    totals = Placement.objects.filter(call=call, status=PlacementStatus.PRIMARY).aggregate(
        planning=Sum("held_eur", filter=~approved), committed=Sum("held_eur", filter=approved),
        primaries=Count("pk"), approved=Count("pk", filter=approved),
    )
    completed = Placement.objects.filter(call=call, status=PlacementStatus.COMPLETED).aggregate(
        final=Sum("held_eur"), completed=Count("pk"), planned=Sum(F("letter__grant_eur") + F("letter__top_up_eur")),
    )
    return Ledger(
        budget=call.budget_eur, held_planning=totals["planning"] or ZERO, committed=totals["committed"] or ZERO,
        primaries=totals["primaries"], approved=totals["approved"],
        final=completed["final"] or ZERO, completed=completed["completed"], final_planned=completed["planned"] or ZERO,
    )


def budget_parse(text: str) -> Decimal:
    try:
        amount = decimal_read(text)
    except NumberInvalid:
        raise PlacementError(_("“%(value)s” is not an amount; write it like 5400.00") % {"value": text}) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise PlacementError(_("“%(value)s” is not an amount in euros with at most two decimals") % {"value": text})
    return amount.quantize(Decimal("0.01"))


def budget_set(*, call: Call, amount: Decimal, at: dt.datetime, actor=None):
    """Change the budget after publication; lowering it takes no place away. Returns promoted placements."""
    with transaction.atomic():
        call = call_lock(call)
        old = call.budget_eur
        call.budget_eur = amount
        call.save(update_fields=["budget_eur", "updated_at"])
        audit_record(actor=actor, action="call.budget", obj=call, data={"from": str(old), "to": str(amount), "at": at.isoformat()})
        return promotion_after(call=call, at=at, actor=actor)
