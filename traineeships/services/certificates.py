"""The traineeship certificate and the final grant (placement-files §13).

The call row is locked first (the final grant changes what the student holds, so the free
budget); then promotion runs as after any action of §2–§10.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from letters.models import LetterDecision, Placement, PlacementStatus
from letters.services import PlacementError
from letters.services.core import call_lock, letter_of, placement_transition
from letters.services.promotion import promotion_after
from mobility.models import Call
from mobility.services.audit import audit_record
from traineeships.final_grant import Traineeship, final_grant
from traineeships.mail import student_mail
from traineeships.models import Certificate

ISTANBUL = ZoneInfo("Europe/Istanbul")


def certificate_problems(*, call: Call, start: dt.date, end: dt.date, at: dt.datetime) -> list[tuple[str, str]]:
    """(reason code, message) for each problem; the codes are the contract's."""
    problems = []
    if at.astimezone(ISTANBUL).date() < end:
        problems.append(("before_end", _("a certificate is issued after the traineeship: %(at)s is before the last day %(end)s") % {
            "at": at.astimezone(ISTANBUL).strftime("%Y-%m-%d %H:%M"), "end": end.isoformat()}))
    if end < start:
        problems.append(("outside_window", _("the last day is before the first day")))
    elif (call.mobility_start and start < call.mobility_start) or (call.mobility_end and end > call.mobility_end):
        problems.append(("outside_window", _("the dates must lie between %(start)s and %(end)s") % {
            "start": call.mobility_start, "end": call.mobility_end}))
    return problems


def certificate_record(
    *, call: Call, student_number: str, start: dt.date, end: dt.date, at: dt.datetime, force_majeure: bool = False,
    actor=None, source: str = "office", host_signer: str = "",
) -> tuple[Certificate, list[Placement]]:
    """Record (or replace) the certificate of a primary with an approved letter; the student then
    holds the final grant and is `completed`. Returns (certificate, promoted placements)."""
    with transaction.atomic():
        call = call_lock(call)
        placement = Placement.objects.select_related("letter").filter(call=call, student_number=student_number).first()
        letter = letter_of(placement) if placement is not None else None
        if (placement is None or placement.status not in (PlacementStatus.PRIMARY, PlacementStatus.COMPLETED)
                or letter is None or letter.decision != LetterDecision.APPROVED):
            raise PlacementError(f"{student_number}: no_mobility: " + _("not a primary with an approved letter in this call"))
        problems = certificate_problems(call=call, start=start, end=end, at=at)
        if problems:
            raise PlacementError([f"{student_number}: {code}: {message}" for code, message in problems])
        result = final_grant(Traineeship(
            start=start, end=end, letter_days=letter.days, funded_months=call.funded_months, min_days=call.min_days,
            monthly_rate=letter.monthly_rate_eur, force_majeure=force_majeure,
            top_up_rate=call.fewer_opportunities_top_up_eur if placement.fewer_opportunities else 0,
        ))
        certificate, _created = Certificate.objects.update_or_create(placement=placement, defaults={
            "start_date": start, "end_date": end, "actual_days": result.actual_days, "funded_days": result.funded_days,
            "monthly_rate_eur": letter.monthly_rate_eur, "final_grant_eur": result.grant,
            "planned_grant_eur": letter.grant_eur, "force_majeure": force_majeure, "issued_at": at,
            "source": source, "host_signer": host_signer,
        })
        was_held = placement.held_eur
        # §6: a completed traineeship holds its final grant (and any top-up on the same days).
        placement.held_eur = result.grant + result.top_up
        placement_transition(
            placement=placement, call=call, to=PlacementStatus.COMPLETED, at=at, actor=actor, action="certificate",
            data={"start": start.isoformat(), "end": end.isoformat(), "actual_days": result.actual_days,
                  "final_grant_eur": str(result.grant), "was_held_eur": str(was_held), "force_majeure": force_majeure,
                  "source": source},
        )
        audit_record(actor=actor, action="traineeship.certificate", obj=certificate, data={
            "call": call.code, "student_number": student_number, "final_grant_eur": str(result.grant), "at": at.isoformat(),
        })
        student_mail(placement=placement, template="final_grant", context={
            "certificate": certificate, "held": placement.held_eur, "planned": letter.grant_eur + letter.top_up_eur,
            "path": reverse("traineeships:student", args=[call.code])})
        promoted = promotion_after(call=call, at=at, actor=actor)
    return certificate, promoted
