from django.db.models import Q, QuerySet

from letters.models import PLACEMENT_HOLDING, Letter, LetterDecision, Placement, PlacementStatus
from mobility.models import AuditEntry


def placement_for_student(*, user, call) -> Placement | None:
    applicant = getattr(user, "applicant", None) if user.is_authenticated else None
    if applicant is None:
        return None
    return (
        Placement.objects.select_related("letter", "call", "application__applicant")
        .filter(call=call, application__applicant=applicant).first()
    )


def letters_waiting(*, call) -> QuerySet[Letter]:
    """The review queue: oldest first."""
    return (
        Letter.objects.filter(placement__call=call, decision=LetterDecision.WAITING)
        .select_related("placement__application__applicant").order_by("submitted_at", "pk")
    )


def placements_of(*, call) -> QuerySet[Placement]:
    return Placement.objects.filter(call=call).select_related("letter", "application__applicant").order_by("order")


def placement_changes(*, call, department: str | None = None) -> QuerySet[Placement]:
    """Who moved since the final list (promoted, withdrew, lost the place, reserve ended), in allocation order."""
    rows = Placement.objects.filter(call=call).filter(
        Q(promoted=True) | ~Q(status__in=[*PLACEMENT_HOLDING, PlacementStatus.COMPLETED])
    )
    if department is not None:
        rows = rows.filter(department_code=department)
    return rows.select_related("application__applicant").order_by("order")


def budget_changes(*, call):
    """Every change of the call's money after the final list, newest first: who, when, before, after."""

    return (
        AuditEntry.objects.filter(object_type="mobility.call", object_id=str(call.pk), action="call.budget")
        .select_related("actor").order_by("-at", "-id")
    )
