"""Filing and answering appeals against a preliminary list (document 002)."""
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealStatus
from applications.student.notices import student_mail_owe
from mobility.services.audit import audit_record
from mobility.services.calls import appeal_window_open
from mobility.uploads import UploadRefused, upload_check, upload_delete, upload_store
from selection.models import PublicationStage
from selection.selectors import publication_latest

APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.FILED: {AppealStatus.ACCEPTED, AppealStatus.REJECTED},
    AppealStatus.ACCEPTED: set(),
    AppealStatus.REJECTED: set(),
}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


class AppealError(Exception):
    pass


def _check_document(document) -> bytes | None:
    """The attachment's bytes through the portal's one upload check (type from content, PDF safety)."""
    if not document:
        return None
    try:
        return upload_check(upload=document, max_bytes=DOCUMENT_MAX_BYTES).content
    except UploadRefused as exc:
        raise AppealError(str(exc)) from None


def appeal_file(*, application, text: str, at: datetime, document=None, actor=None) -> Appeal:
    """A student's appeal against the call's latest preliminary list, while the appeal window is open."""
    call = application.call
    text = (text or "").strip()
    if not text:
        raise AppealError(_("Write what you object to."))
    if not appeal_window_open(call=call, at=at):
        raise AppealError(_("Appeals for this call are not open."))
    content = _check_document(document)
    publication = publication_latest(call=call, stage=PublicationStage.PRELIMINARY)
    stored = upload_store(content=content, folder="appeals") if content is not None else ""
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                call=call, application=application, publication=publication, text=text, document=stored,
                filed_at=at, filed_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(actor=actor, action="appeal.filed", obj=application, data={"appeal": appeal.pk, "publication": publication.pk})
            appeal_mail_owe(appeal=appeal)
    except IntegrityError:
        upload_delete(stored)
        raise AppealError(_("You already have an appeal waiting for an answer.")) from None
    except BaseException:
        upload_delete(stored)
        raise
    return appeal


def appeal_mail_owe(*, appeal: Appeal) -> bool:
    """The student is told that the appeal arrived, and later the answer (an outbox row in the caller's transaction)."""
    return student_mail_owe(
        application=appeal.application, key=f"appeal:{appeal.pk}:{appeal.status}", template="appeals/email/appeal",
        context={"appeal": appeal}, link=reverse("appeals:student", args=[appeal.call.code]),
    )


def appeal_transition(*, appeal: Appeal, to: AppealStatus, answer: str, at: datetime, actor=None) -> Appeal:
    """The one place an appeal changes status: the office's answer."""
    answer = (answer or "").strip()
    if not answer:
        raise AppealError(_("Write the answer the student will read."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update(of=("self",)).select_related("call", "application").get(pk=appeal.pk)
        if to not in APPEAL_TRANSITIONS[appeal.status]:
            raise AppealError(_("This appeal has already been answered."))
        old = appeal.status
        appeal.status, appeal.answer, appeal.answered_at = to, answer, at
        appeal.answered_by = actor if getattr(actor, "pk", None) else None
        appeal.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        audit_record(actor=actor, action=f"appeal.{to}", obj=appeal.application, data={
            "appeal": appeal.pk, "from": old, "to": to, "answer": answer,
        })
        appeal_mail_owe(appeal=appeal)
        if to == AppealStatus.ACCEPTED:
            # The list must be run again: the workspace shows the last run as stale until then.
            audit_record(actor=actor, action="appeal.accepted", obj=appeal.call, data={"appeal": appeal.pk})
    return appeal
