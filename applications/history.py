"""Deductions that follow from the portal's own records of earlier calls.

When an office records what happened after a call (OutcomeRecord), the next call's application
can be pre-filled from those records instead of being typed in again.
"""
from django.db.models import Count, Q

from applications.models import Application, OutcomeKind, OutcomeRecord


def history_adjustments(*, applicant, before_call) -> dict:
    """What the applicant's earlier calls say, for the contract's adjustment fields."""
    earlier = OutcomeRecord.objects.filter(
        application__applicant=applicant,
        application__call__applications_close__lt=before_call.applications_open,
    )
    counts = earlier.aggregate(
        participated=Count("pk", filter=Q(kind=OutcomeKind.PARTICIPATED)),
        withdrew_late=Count("pk", filter=Q(kind=OutcomeKind.WITHDREW_LATE)),
        missed_orientation=Count("pk", filter=Q(kind=OutcomeKind.MISSED_ORIENTATION)),
        missed_exam=Count("pk", filter=Q(kind=OutcomeKind.MISSED_EXAM)),
    )
    return {
        "prior_participations": counts["participated"],
        "late_withdrawal": counts["withdrew_late"] > 0,
        "missed_orientation": counts["missed_orientation"] > 0,
        "missed_exam": counts["missed_exam"] > 0,
    }


def application_prefill_from_history(*, application: Application) -> Application:
    """Raise the application's recorded deductions to at least what history shows; never lower them."""
    found = history_adjustments(applicant=application.applicant, before_call=application.call)
    application.prior_participations = max(application.prior_participations, found["prior_participations"])
    for field in ("late_withdrawal", "missed_orientation", "missed_exam"):
        setattr(application, field, getattr(application, field) or found[field])
    application.save(update_fields=["prior_participations", "late_withdrawal", "missed_orientation", "missed_exam", "updated_at"])
    return application
