"""The published list for anyone, without signing in: masked numbers, initials, no bonus kinds (KVKK)."""
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from letters.selectors import placement_changes
from mobility.models import Call
from mobility.services.calls import PUBLISHED, appeal_window_open
from selection import selectors
from selection.digests import publication_chain, verification_answer
from selection.forms import VerifyForm
from selection.listing import list_pdf, placement_change_rows, public_found, public_page_rows
from selection.models import Publication, PublicationStage
from selection.pdf_jobs import PDF_INLINE_ROWS, pdf_job_start, pdf_rows
from selection.selectors import RESULT_CACHE_SECONDS
from selection.views_office import pdf_job_page

PAGE_SIZE = 100


def _published(code: str):
    call = get_object_or_404(Call.objects.filter(status__in=PUBLISHED), code=code)
    publication = selectors.publication_latest(call=call)
    if publication is None:
        raise Http404
    return call, publication


def public_list(request, code: str, department: str | None = None):
    call, publication = _published(code)
    names = dict(call.call_departments.values_list("department__code", "department__name"))
    if department is None:
        department = next(iter(sorted(names)), None)
    if department not in names:
        raise Http404
    query = (request.GET.get("q") or "").strip()
    found = []
    if query:
        # Only an exact student number finds a row: nobody can list others by guessing prefixes.
        found = public_found(publication=publication, student_number=query)
    rows = selectors.ranking_rows(run=publication.run, departments=[department])
    # A published list never changes: the template caches its rows by publication, so they are read on a miss only.
    paginator = Paginator(rows, PAGE_SIZE)
    # Nor does its count: counting the department's rows was the page's one heavy query.
    key = f"public-count:{publication.pk}:{publication.published_at.timestamp()}:{department}"
    paginator.count = cache.get_or_set(key, rows.count, RESULT_CACHE_SECONDS)
    page = paginator.get_page(request.GET.get("page"))
    page.rows = lambda: public_page_rows(page)
    changes = []
    if publication.stage == PublicationStage.FINAL:
        # Placements move after the final list (promotions, withdrawals): shown beside the cached list.
        changes = placement_change_rows(publication=publication, placements=placement_changes(call=call, department=department))
    return render(request, "publication/public_list.html", {
        "appeal_open": appeal_window_open(call=call, at=timezone.now()),
        "call": call, "publication": publication, "departments": sorted(names.items()), "department": department,
        "department_name": names[department], "page": page, "query": query, "found": found, "searched": bool(query),
        "changes": changes, "chain": publication_chain(call=call),
    })


def public_list_pdf(request, code: str, department: str):
    call, publication = _published(code)
    if not call.call_departments.filter(department__code=department).exists():
        raise Http404
    if pdf_rows(publication=publication, departments=[department]) > PDF_INLINE_ROWS:
        key = pdf_job_start(publication=publication, departments=[department])
        return redirect("public:pdf_job", code=call.code, key=key)
    response = HttpResponse(list_pdf(publication=publication, departments=[department]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{call.code}-{publication.stage}-{department}.pdf"'
    return response


def public_pdf_job(request, code: str, key: str):
    call, publication = _published(code)
    if not key.startswith(f"{publication.pk}-") or key.endswith("-all"):
        raise Http404  # only the current list, one department at a time
    return pdf_job_page(request, call.code, key, public=True)


def public_list_csv(request, code: str, pk: int):
    """The canonical CSV of one publication, byte for byte what its digest was taken of."""
    call = get_object_or_404(Call.objects.filter(status__in=PUBLISHED), code=code)
    publication = get_object_or_404(Publication.objects.select_related("published_list"), call=call, pk=pk)
    kept = getattr(publication, "published_list", None)
    if kept is None:
        raise Http404
    response = HttpResponse(bytes(kept.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.code}-{publication.stage}-{publication.pk}.csv"'
    return response


def verify(request):
    """Anyone pastes a digest or uploads a downloaded list: which publication it is, or none."""
    form = VerifyForm(request.POST or request.GET or None, request.FILES or None)
    result = None
    if form.is_bound and form.is_valid():
        result = verification_answer(digests=form.digests())
    return render(request, "publication/verify.html", {"form": form, "result": result})
