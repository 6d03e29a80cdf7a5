"""Publishing a finished selection run to students, as a preliminary or the final list.

Other parts of the portal react to a publication without this module knowing them: a handler
registered with `publication_handler` runs inside the publishing transaction (the placements of
the final list must exist exactly when the publication does); handlers queue their e-mails with
`transaction.on_commit`.
"""
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mobility.models import Call, CallStatus
from mobility.services.audit import audit_record
from mobility.services.calls import call_transition
from selection.digests import canonical_body, publication_seal
from selection.models import Publication, PublicationStage, RunStatus, SelectionRun

ISTANBUL = ZoneInfo("Europe/Istanbul")


class PublicationError(Exception):
    pass


class PublicationNeedsConfirmation(PublicationError):
    """Publishing now has consequences the office must accept first (each risk in one line)."""

    def __init__(self, risks: list[str]):
        self.risks = risks
        super().__init__(" ".join(risks))


def _moment(instant: datetime) -> str:
    return formats.date_format(timezone.localtime(instant, ISTANBUL), "j F Y, H:i")


def publication_risks(*, call: Call, stage: PublicationStage | str, at: datetime) -> list[str]:
    """What publishing `stage` at `at` would do that nobody may want: one sentence per consequence.

    The web page shows these and asks; the command refuses unless told to go ahead. The same rule.
    """
    stage = PublicationStage(stage)
    risks = []
    if call.applications_close and at < call.applications_close:
        risks.append(_(
            "Applications are still open until %(when)s: whoever applies or changes an application after now "
            "is not on this list."
        ) % {"when": _moment(call.applications_close)})
    if stage == PublicationStage.PRELIMINARY:
        if call.appeal_deadline is None:
            risks.append(_(
                "The call has no appeal deadline: students cannot appeal against this list. Set the appeal "
                "deadline in the call first, unless the list is published without appeals on purpose."
            ))
        elif call.appeal_deadline <= at:
            risks.append(_("The appeal deadline (%(when)s) has passed: students cannot appeal against this list.") % {
                "when": _moment(call.appeal_deadline)})
    elif call.appeal_deadline and at < call.appeal_deadline and Publication.objects.filter(
        call=call, stage=PublicationStage.PRELIMINARY,
    ).exists():
        risks.append(_(
            "The appeal window is open until %(when)s: publishing the final list closes it now, and students "
            "who have not appealed yet can no longer do so."
        ) % {"when": _moment(call.appeal_deadline)})
    return risks


_handlers: list[Callable[[Publication], None]] = []


def publication_handler(func: Callable[[Publication], None]):
    """Register `func(publication)` to run inside every publishing transaction."""
    _handlers.append(func)
    return func


def _latest_finished(call: Call) -> SelectionRun | None:
    return (
        SelectionRun.objects.filter(call=call, status=RunStatus.FINISHED)
        .defer("rules_snapshot", "inputs_snapshot")
        .order_by("-created_at", "-id")
        .first()
    )


def run_publish(
    *, call: Call, stage: PublicationStage | str, at: datetime, actor=None, confirmed: bool = False,
) -> Publication:
    """Publish the call's latest finished run (contract placement-files §2).

    With a window still open (or no appeal deadline for a preliminary list) it refuses with
    PublicationNeedsConfirmation unless `confirmed`: the office has been shown the consequences.
    """
    stage = PublicationStage(stage)
    # The list's rows (seconds at 50,000) are written out before the call lock is taken; the run
    # is checked again under the lock and the rows made again only if a newer run finished since.
    ahead = _latest_finished(call)
    body = (ahead.pk, canonical_body(run=ahead)) if ahead is not None else None
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if Publication.objects.filter(call=call, stage=PublicationStage.FINAL).exists():
            raise PublicationError(
                _("%(code)s: the final list is already published; nothing can replace it") % {"code": call.code}
            )
        run = _latest_finished(call)
        if run is None:
            raise PublicationError(
                _("%(code)s: there is no finished selection run to publish; run the selection first") % {"code": call.code}
            )
        risks = publication_risks(call=call, stage=stage, at=at)
        if risks and not confirmed:
            raise PublicationNeedsConfirmation(risks)
        publication = Publication.objects.create(
            call=call, run=run, stage=stage, published_at=at, published_by=actor if getattr(actor, "pk", None) else None,
        )
        publication_seal(publication=publication, body=body[1] if body and body[0] == run.pk else None)
        target = CallStatus.FINAL_PUBLISHED if stage == PublicationStage.FINAL else CallStatus.PRELIMINARY_PUBLISHED
        if call.status != target:
            call_transition(call=call, to=target, actor=actor)
        audit_record(
            actor=actor, action=f"publication.{stage}", obj=call,
            data={"run": run.pk, "at": at.isoformat(), "publication": publication.pk, "digest": publication.digest,
                  **({"risks": risks} if risks else {})},
        )
        for handler in _handlers:
            handler(publication)
    return publication
