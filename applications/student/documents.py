"""Documents students hand in for bonuses and transcripts, and the office's decision on each.

The type comes from the file's first bytes, never from its name or the browser's claim. Files go
to PRIVATE_MEDIA_ROOT under random names; only permission-checked views read them back.
"""
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import AUDITED_FIELDS, BONUS_FIELDS, Application, ApplicationStatus, Document, DocumentKind, DocumentStatus
from applications.student.applying import ApplicationError, bonus_state, call_window_check, document_kinds_for
from applications.student.mails import document_decision_owe
from mobility.services.audit import audit_changes, audit_record, field_values
from mobility.uploads import UploadRefused, upload_check


def document_upload(*, application: Application, kind: str, upload, actor, at) -> Document:
    """Store one document of `application` (until the window closes); its bonus becomes claimed."""
    try:
        checked = upload_check(upload=upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
    except UploadRefused as exc:
        raise ApplicationError(_("%(problem)s Nothing was saved.") % {"problem": exc}) from None
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
        call_window_check(call=application.call, at=at)
        if application.status == ApplicationStatus.WITHDRAWN:
            raise ApplicationError(_("This application is withdrawn. Nothing was saved."))
        if kind not in document_kinds_for(application):
            raise ApplicationError(_("This kind of document is not needed for your application. Nothing was saved."))
        document = Document(
            application=application, kind=kind, original_name=checked.original_name, content_type=checked.content_type,
            size=checked.size, uploaded_at=at,
        )
        document.file.save("upload", ContentFile(checked.content), save=False)
        try:
            document.save()
            if kind in BONUS_FIELDS and not getattr(application, kind):
                setattr(application, kind, bonus_state(claimed=True, accepted=False))
                application.save(update_fields=[kind, "updated_at"])
            audit_record(actor=actor, action="document.uploaded", obj=document, data={"kind": kind, "at": at.isoformat()})
        except Exception:
            document.file.delete(save=False)
            raise
    return document


# The one table of a document's moves; a decision is final (a student uploads a new file instead).
DOCUMENT_MOVES = {DocumentStatus.PENDING: {DocumentStatus.ACCEPTED, DocumentStatus.REJECTED}}


def document_decide(*, document: Document, to: DocumentStatus | str, reason: str, actor, at) -> Document:
    """Accept or reject a document; only accepted documents give points (the bonus becomes verified)."""
    to = DocumentStatus(to)
    reason = (reason or "").strip()
    if to == DocumentStatus.REJECTED and not reason:
        raise ApplicationError(_("Give the student a reason for the rejection. Nothing was changed."))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if to not in DOCUMENT_MOVES.get(document.status, set()):
            raise ApplicationError(_("This document has already been decided. Nothing was changed."))
        application = Application.objects.select_for_update().get(pk=document.application_id)
        document.status, document.reason, document.decided_at, document.decided_by = to, reason[:500], at, actor
        document.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        before = field_values(application, AUDITED_FIELDS)
        _application_apply_documents(application)
        audit_changes(actor=actor, action="application.document_decided", obj=application, before=before,
                      extra={"document": document.pk, "at": at.isoformat()})
        audit_record(actor=actor, action=f"document.{to}", obj=document, data={"reason": reason, "at": at.isoformat()})
        document_decision_owe(document=document)
    return document


def _application_apply_documents(application: Application) -> None:
    """Bonuses and the previous degree's GPA count only with an accepted document."""
    accepted = set(
        Document.objects.filter(application=application, status=DocumentStatus.ACCEPTED).values_list("kind", flat=True)
    )
    changed = []
    for field in BONUS_FIELDS:
        value = bonus_state(claimed=bool(getattr(application, field)), accepted=field in accepted)
        if value != getattr(application, field):
            setattr(application, field, value)
            changed.append(field)
    previous = application.declared_previous_degree_gpa if DocumentKind.PREVIOUS_TRANSCRIPT in accepted else None
    if previous is not None and previous != application.previous_degree_gpa:
        application.previous_degree_gpa = previous
        changed.append("previous_degree_gpa")
    if changed:
        application.save(update_fields=[*changed, "updated_at"])
