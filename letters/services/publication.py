"""Placements start with the final list (§2): primaries hold the planning amount, reserves wait."""
from letters.models import Placement, PlacementStatus
from letters.services.promotion import promotion_apply
from mobility.services.audit import audit_record
from selection.models import PLACED_OUTCOMES, PublicationStage


def placements_create(publication) -> None:
    """Runs inside the publishing transaction, which holds the call lock."""
    if publication.stage != PublicationStage.FINAL:
        return
    call = publication.call
    results = (
        publication.run.results.filter(outcome__in=PLACED_OUTCOMES)
        .only("application_id", "student_number", "department_code", "order", "outcome").order_by("order")
    )
    placements = []
    for result in results:
        placement = Placement(
            call=call, application_id=result.application_id, student_number=result.student_number,
            department_code=result.department_code, order=result.order, status=result.outcome,
            status_changed_at=publication.published_at,
        )
        placement.held_eur = call.planning_amount_eur if result.outcome == PlacementStatus.PRIMARY else 0
        placements.append(placement)
    Placement.objects.bulk_create(placements, batch_size=1000)
    audit_record(actor=publication.published_by, action="placements.created", obj=call,
                 data={"placements": len(placements), "at": publication.published_at.isoformat()})
    promotion_apply(call=call, at=publication.published_at, actor=publication.published_by)
