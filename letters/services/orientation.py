"""Orientation attendance, recorded so that later calls pre-fill the missed-orientation deduction."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import OutcomeKind, OutcomeRecord
from letters.models import PLACEMENT_HOLDING, LetterDecision, Placement
from letters.services import PlacementError
from letters.services.core import call_lock
from mobility.models import Call
from mobility.services.audit import audit_record


def orientation_invitees(*, call: Call):
    """Primaries and waiting reserves with a letter that is not rejected."""
    return (
        Placement.objects.filter(call=call, status__in=PLACEMENT_HOLDING, letter__isnull=False)
        .exclude(letter__decision=LetterDecision.REJECTED).select_related("application")
    )


def orientation_attendance_record(*, call: Call, attended: set[str], at: dt.datetime, actor=None) -> tuple[int, int]:
    """Mark who came; everyone else invited missed it. Returns (attended, missed)."""
    with transaction.atomic():
        call = call_lock(call)  # the lock order (docs/architecture.md): the call first, then its placements
        invitees = list(orientation_invitees(call=call).select_for_update(of=("self",)))
        unknown = attended - {p.student_number for p in invitees}
        if unknown:
            raise PlacementError([_("%(number)s: was not invited to the orientation meeting") % {"number": n} for n in sorted(unknown)])
        missed = 0
        for placement in invitees:
            placement.orientation_attended = placement.student_number in attended
            placement.save(update_fields=["orientation_attended"])
            if placement.orientation_attended:
                OutcomeRecord.objects.filter(application=placement.application, kind=OutcomeKind.MISSED_ORIENTATION).delete()
            else:
                missed += 1
                OutcomeRecord.objects.get_or_create(
                    application=placement.application, kind=OutcomeKind.MISSED_ORIENTATION,
                    defaults={"recorded_at": at, "note": _("missed the orientation meeting of %(code)s") % {"code": call.code}},
                )
        audit_record(actor=actor, action="orientation.attendance", obj=call,
                     data={"attended": sorted(attended), "missed": missed, "at": at.isoformat()})
    return len(invitees) - missed, missed
