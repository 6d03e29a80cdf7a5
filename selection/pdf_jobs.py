"""Long PDF lists are laid out by the worker; the page shows a progress bar until the file is ready.

Progress lives next to the file in the default storage (a small JSON), so the web process and
the worker see the same thing without a shared cache. The file name is derived from the
publication and the departments: asking again for the same list reuses the file.
"""
import json

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from selection.listing import list_pdf_in_parts
from selection.models import Publication, SelectionResult

PDF_INLINE_ROWS = 1000  # up to this many rows the PDF is made during the request
PDF_CHUNK_ROWS = 500  # rows laid out between two progress reports


def pdf_rows(*, publication, departments) -> int:
    rows = SelectionResult.objects.filter(run_id=publication.run_id)
    if departments is not None:
        rows = rows.filter(department_code__in=departments)
    return rows.count()


def pdf_job_key(*, publication, departments) -> str:
    suffix = "all" if departments is None else "-".join(sorted(departments))
    return f"{publication.pk}-{suffix}"


def _paths(call_code: str, key: str) -> tuple[str, str]:
    base = f"lists/{call_code}/{key}"
    return f"{base}.pdf", f"{base}.json"


def pdf_job_state(*, call_code: str, key: str) -> dict | None:
    _pdf, state = _paths(call_code, key)
    if not default_storage.exists(state):
        return None
    with default_storage.open(state) as handle:
        return json.load(handle)


def _write_state(call_code: str, key: str, **state) -> None:
    _pdf, path = _paths(call_code, key)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(state).encode()))


def pdf_job_start(*, publication, departments) -> str:
    """Queue the rendering unless it is queued, running or done already; returns the job key."""
    key = pdf_job_key(publication=publication, departments=departments)
    state = pdf_job_state(call_code=publication.call.code, key=key)
    if state is None or state.get("status") == "failed":
        _write_state(publication.call.code, key, status="queued", done=0, total=pdf_rows(publication=publication, departments=departments))
        transaction.on_commit(lambda: render_list_pdf.delay(publication.pk, departments, key))
    return key


def pdf_job_file(*, call_code: str, key: str):
    pdf, _state = _paths(call_code, key)
    return default_storage.open(pdf) if default_storage.exists(pdf) else None


@shared_task(name="selection.tasks.render_list_pdf")
def render_list_pdf(publication_id: int, departments: list[str] | None, key: str) -> str:
    """Safe to run twice: a finished file is kept."""
    publication = Publication.objects.select_related("call", "run").get(pk=publication_id)
    code = publication.call.code
    state = pdf_job_state(call_code=code, key=key) or {}
    if state.get("status") == "done":
        return "done"
    try:
        pdf = list_pdf_in_parts(
            publication=publication, departments=departments, chunk=PDF_CHUNK_ROWS,
            progress=lambda done, total: _write_state(code, key, status="running", done=done, total=total),
        )
    except Exception:
        _write_state(code, key, status="failed", done=0, total=state.get("total", 0))
        raise
    path, _state = _paths(code, key)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(pdf))
    total = state.get("total", 0)
    _write_state(code, key, status="done", done=total, total=total)
    return "done"
