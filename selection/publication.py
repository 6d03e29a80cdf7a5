"""Publishing a finished selection run to students, as a preliminary or the final list.

Other parts of the portal react to a publication without this module knowing them: a handler
registered with `publication_handler` runs inside the publishing transaction (the placements of
the final list must exist exactly when the publication does); handlers queue their e-mails with
`transaction.on_commit`.
"""
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mobility.models import Call, CallStatus
from mobility.services.audit import audit_record
from mobility.services.calls import call_transition
from selection.digests import canonical_body, publication_seal
from selection.models import Publication, PublicationStage, RunStatus, SelectionRun


class PublicationError(Exception):
    pass


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


def run_publish(*, call: Call, stage: PublicationStage | str, at: datetime, actor=None) -> Publication:
    """Publish the call's latest finished run (contract placement-files §2)."""
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
        publication = Publication.objects.create(
            call=call, run=run, stage=stage, published_at=at, published_by=actor if getattr(actor, "pk", None) else None,
        )
        publication_seal(publication=publication, body=body[1] if body and body[0] == run.pk else None)
        target = CallStatus.FINAL_PUBLISHED if stage == PublicationStage.FINAL else CallStatus.PRELIMINARY_PUBLISHED
        if call.status != target:
            call_transition(call=call, to=target, actor=actor)
        audit_record(
            actor=actor, action=f"publication.{stage}", obj=call,
            data={"run": run.pk, "at": at.isoformat(), "publication": publication.pk, "digest": publication.digest},
        )
        for handler in _handlers:
            handler(publication)
    return publication
