"""Withdrawal (§8) by the student or by staff."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import OutcomeKind, OutcomeRecord
from letters.models import LetterDecision, Placement, PlacementStatus
from letters.services import PlacementError
from letters.services.core import call_lock, letter_of, placement_transition
from letters.services.promotion import promotion_after
from mobility.models import Call
from mobility.uploads import upload_delete, upload_store


def placement_withdraw(
    *, call: Call, student_number: str, at: dt.datetime, force_majeure: bool = False, document=None,
    actor=None,
):
    """A primary or waiting reserve withdraws. Returns (placement, promoted placements).

    `document`: the force-majeure document's bytes, already through mobility.uploads.upload_check.

    After a letter was submitted (and not rejected), without force majeure, the withdrawal is a
    penalty, recorded so that the next call pre-fills its late-withdrawal deduction.
    """
    stored = upload_store(content=document, folder="force-majeure") if document is not None else None
    try:
        return _withdraw(call=call, student_number=student_number, at=at, force_majeure=force_majeure, stored=stored,
                         actor=actor)
    except BaseException:
        upload_delete(stored)
        raise


def _withdraw(*, call, student_number, at, force_majeure, stored, actor):
    with transaction.atomic():
        call = call_lock(call)
        placement = Placement.objects.select_related("letter", "application").filter(call=call, student_number=student_number).first()
        if placement is None or not placement.is_holding:
            raise PlacementError(_("%(number)s: not a primary or a waiting reserve of this call") % {"number": student_number})
        letter = letter_of(placement)
        placement.penalty = bool(letter and letter.decision != LetterDecision.REJECTED and not force_majeure)
        placement.force_majeure = force_majeure
        if stored is not None:
            placement.force_majeure_document = stored
        placement_transition(
            placement=placement, call=call, to=PlacementStatus.WITHDRAWN, at=at, actor=actor, action="withdrawn",
            data={"penalty": placement.penalty, "force_majeure": force_majeure, "was": placement.status},
        )
        if placement.penalty:
            OutcomeRecord.objects.get_or_create(
                application=placement.application, kind=OutcomeKind.WITHDREW_LATE,
                defaults={"recorded_at": at, "note": _("withdrew from %(code)s after submitting a letter") % {"code": call.code}},
            )
        promoted = promotion_after(call=call, at=at, actor=actor)
    return placement, promoted
