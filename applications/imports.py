"""Uploaded import files kept on the server between preview and import (ImportJob).

The admin's confirm step sends back only a random token; the call, the kind of file and the
file itself come from the job row and the copy stored under MEDIA_ROOT, whose checksum is
verified before the import. Files above a threshold are checked and imported by the worker,
with progress on the job row.
"""
import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.columns import labelled
from applications.models import ImportJob, ImportJobStatus, ImportKind
from applications.services import ImportReport, TableImportError, applications_import, exam_results_import
from applications.tabular import TableReadError, read_table
from mobility.services.audit import audit_record

logger = logging.getLogger(__name__)

# Defaults; settings of the same name override them.
IMPORT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
IMPORT_BACKGROUND_BYTES = 1024 * 1024  # about 15,000 applicant rows: well inside a request's time
MAX_STORED_ERRORS = 500
# A checked file nobody confirmed, and a job the worker stopped working on, are given up after these.
UNCONFIRMED_FOR = dt.timedelta(days=1)
STALLED_FOR = dt.timedelta(hours=1)

SERVICES = {ImportKind.APPLICATIONS: applications_import, ImportKind.EXAM_RESULTS: exam_results_import}
EXTENSIONS = (".csv", ".xlsx", ".txt")

TRANSITIONS: dict[str, set[str]] = {
    ImportJobStatus.CHECKING: {ImportJobStatus.CHECKED, ImportJobStatus.INVALID, ImportJobStatus.FAILED},
    ImportJobStatus.CHECKED: {ImportJobStatus.IMPORTING, ImportJobStatus.FAILED},
    ImportJobStatus.IMPORTING: {ImportJobStatus.DONE, ImportJobStatus.INVALID, ImportJobStatus.FAILED},
    ImportJobStatus.INVALID: set(),
    ImportJobStatus.DONE: set(),
    ImportJobStatus.FAILED: set(),
}


class ImportJobTransitionError(Exception):
    pass


def import_limit(name: str) -> int:
    return getattr(settings, name, globals()[name])


def import_job_create(*, call, kind: str, data: bytes, original_name: str, status: str, actor=None) -> ImportJob:
    """Store the uploaded bytes under a name the server chooses and record the job."""
    extension = Path(original_name).suffix.lower()
    job = ImportJob(
        call=call, kind=kind, original_name=original_name[:255], size=len(data), status=status,
        sha256=hashlib.sha256(data).hexdigest(), created_by=actor if getattr(actor, "pk", None) else None,
    )
    job.file = default_storage.save(
        f"imports/{job.token}{extension if extension in EXTENSIONS else ''}", ContentFile(data),
    )
    job.save()
    audit_record(actor=actor, action="import_job.created", obj=job, data={
        "call": call.code, "kind": kind, "file": job.original_name, "size": job.size, "status": status})
    return job


@transaction.atomic
def import_job_transition(*, job: ImportJob, to: str, actor=None, **fields: Any) -> ImportJob:
    """The one place an import job changes status."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ImportJobTransitionError(
            _("An import cannot go from “%(old)s” to “%(new)s”.")
            % {"old": ImportJobStatus(locked.status).label, "new": ImportJobStatus(to).label}
        )
    old = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    audit_record(actor=actor, action="import_job.status", obj=locked, data={"from": old, "to": to})
    job.refresh_from_db()
    return job


def import_job_read(*, job: ImportJob) -> tuple[list[str], list[list[Any]]]:
    """The stored file as a table; TableReadError if it is gone or no longer the file that was shown."""
    try:
        with default_storage.open(job.file, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        raise TableReadError(_("the uploaded file is no longer on the server; upload it again")) from None
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise TableReadError(_("the stored file changed since it was checked; upload it again"))
    return read_table(data, file_name=f"upload{Path(job.file).suffix}")


def import_job_file_remove(*, job: ImportJob) -> None:
    try:
        default_storage.delete(job.file)
    except OSError:  # already gone: nothing to clean
        pass


def _summary(report: ImportReport) -> dict:
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged, "rows": len(report.rows)}


def _progress(job: ImportJob, stage: str):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(stage=stage, rows_done=done, rows_total=total)

    return report


def import_job_process(*, job_id: int) -> ImportJob | None:
    """The worker's part: check a CHECKING job (dry run), or import an IMPORTING one. Safe to run twice."""
    job = ImportJob.objects.select_related("call", "created_by").filter(pk=job_id).first()
    if job is None or job.status not in (ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING):
        return job
    dry_run = job.status == ImportJobStatus.CHECKING
    service = SERVICES[ImportKind(job.kind)]
    ImportJob.objects.filter(pk=job.pk).update(stage=_("reading the file"))
    try:
        header, rows = import_job_read(job=job)
        ImportJob.objects.filter(pk=job.pk).update(stage=_("checking the rows"), rows_total=len(rows), rows_done=0)
        report = service(
            call=job.call, rows=rows, headers=header, actor=job.created_by, dry_run=dry_run,
            progress=_progress(job, _("checking the rows")),
        )
    except TableReadError as exc:
        import_job_file_remove(job=job)
        return import_job_transition(job=job, to=ImportJobStatus.INVALID, stage="", errors=[str(exc)])
    except TableImportError as exc:
        import_job_file_remove(job=job)
        return import_job_transition(job=job, to=ImportJobStatus.INVALID, stage="", errors=exc.lines(column=labelled)[:MAX_STORED_ERRORS])
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        import_job_file_remove(job=job)
        import_job_transition(job=job, to=ImportJobStatus.FAILED, stage="", errors=[str(exc)[:2000]])
        raise
    if dry_run:
        return import_job_transition(job=job, to=ImportJobStatus.CHECKED, stage="", rows_done=len(rows), summary=_summary(report))
    import_job_file_remove(job=job)
    return import_job_transition(job=job, to=ImportJobStatus.DONE, stage="", rows_done=len(rows), summary=_summary(report))


def import_job_enqueue(*, job: ImportJob, language: str) -> None:
    """Hand the job to the worker once it is committed; a broker that cannot take it fails the job at once.

    `language` is the requesting user's: the worker writes the job's errors and stages in it.
    """
    def send():
        try:
            process_import_job.delay(job.pk, language)
        except Exception as exc:  # the broker is down: say so instead of waiting forever
            logger.exception("import job %s could not be queued", job.pk)
            import_job_file_remove(job=job)
            import_job_transition(job=job, to=ImportJobStatus.FAILED, errors=[
                _("the background worker could not be reached (%(error)s); try again later") % {"error": type(exc).__name__}])

    transaction.on_commit(send)


def import_job_confirm(*, job: ImportJob, language: str, actor=None) -> ImportJob:
    """The office confirmed a checked file: import it in the worker."""
    import_job_transition(job=job, to=ImportJobStatus.IMPORTING, actor=actor, stage=_("waiting for the worker"), rows_done=0)
    import_job_enqueue(job=job, language=language)
    return job


def import_jobs_expire(*, at: dt.datetime) -> list[ImportJob]:
    """Give up checked files nobody confirmed and jobs whose worker died, removing their stored files.

    Nothing of such a job was saved (an import is one transaction), so marking it failed is safe.
    """
    stale = ImportJob.objects.filter(
        Q(status=ImportJobStatus.CHECKED, updated_at__lt=at - UNCONFIRMED_FOR)
        | Q(status__in=[ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING], updated_at__lt=at - STALLED_FOR)
    )
    expired = []
    for job in stale.select_related("created_by"):
        # Read by the admin who sent the file, in their language, not in the scheduler's.
        with translation.override(_language_of(job.created_by)):
            message = (
                _("not confirmed within a day; upload the file again") if job.status == ImportJobStatus.CHECKED
                else _("the background worker stopped before finishing; nothing was imported, upload the file again")
            )
        import_job_file_remove(job=job)
        try:
            expired.append(import_job_transition(job=job, to=ImportJobStatus.FAILED, stage="", errors=[message]))
        except ImportJobTransitionError:  # finished meanwhile
            continue
    return expired


def _language_of(user) -> str:
    return getattr(user, "language", None) or settings.LANGUAGE_CODE


@shared_task(name="applications.tasks.process_import_job")
def process_import_job(job_id: int, language: str | None = None) -> str | None:
    # The worker runs in the site's default language; the errors and stages it stores are read by the
    # admin who sent the file. A task queued before `language` was passed falls back to the job's creator.
    if language is None:
        creator = ImportJob.objects.filter(pk=job_id).values_list("created_by__language", flat=True).first()
        language = creator or settings.LANGUAGE_CODE
    with translation.override(language):
        job = import_job_process(job_id=job_id)
    return job.status if job else None


@shared_task(name="applications.tasks.expire_import_jobs")
def expire_import_jobs() -> int:
    return len(import_jobs_expire(at=timezone.now()))
