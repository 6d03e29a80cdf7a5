"""Published lists as files: PDF for the notice board, CSV/XLSX for the public and the office's own list.

The machine CSV of the contract stays in selection.exports, unchanged. Everything here is for
people: the portal's language, masked numbers on public lists, names only on the office list.
"""
import io
import textwrap
from decimal import Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mobility.spreadsheets import NumberText, csv_writer, spreadsheet_text
from selection.exports import notes as office_notes
from selection.models import Outcome, SelectionResult
from selection.public import initials, mask_student_number, notes_labels, published_notes, published_notes_of
from selection.selectors import RANKING_ORDER, ranking_rows

ISTANBUL = ZoneInfo("Europe/Istanbul")


def _two(value) -> str:
    return "" if value is None else f"{value:.2f}"


def public_header() -> list[str]:
    # No score column: see selection.public (KVKK art. 6).
    return [
        _("Department"), _("Row"), _("Student number"), _("Name"), _("Outcome"), _("Department rank"),
        _("Allocation order"), _("Notes"),
    ]


def office_header(*, sensitive: bool = True) -> list[str]:
    """`sensitive`: the office's header, with the scores; a coordinator's has no score column (see office_row)."""
    scores = [_("Academic score"), _("Language score"), _("Adjustments"), _("Final score")] if sensitive else []
    return [
        _("Department"), _("Department rank"), _("Student number"), _("First name"), _("Last name"), _("Email"),
        _("Outcome"), _("Allocation order"), *scores, _("Notes"),
    ]


def public_row(r, row: int) -> list:
    """`row`: the row's position in its department's list (1, 2, …), which tells apart two rows whose
    masked numbers and initials are the same."""
    applicant = r.application.applicant
    return [
        r.department_code, row, mask_student_number(r.student_number),
        initials(applicant.first_name, applicant.last_name), str(r.get_outcome_display()), r.department_rank,
        r.order, "; ".join(published_notes(r)),
    ]


PUBLIC_FIELDS = (
    "department_code", "student_number", "application__applicant__first_name", "application__applicant__last_name",
    "outcome", "department_rank", "order", "reason", "adjustments",
)


def public_rows_fast(run, departments=None):
    """Every public row of a run in the list's order, numbered per department, from plain values.

    The same rows as public_row, without building three model instances and looking up lazy
    labels per row: the canonical CSV of 10,000 rows is made inside the publishing transaction.
    """
    labels = notes_labels()
    outcomes = {value: str(label) for value, label in Outcome.choices}
    rows = SelectionResult.objects.filter(run=run)
    if departments is not None:
        rows = rows.filter(department_code__in=departments)
    values = rows.order_by(*RANKING_ORDER).values_list(*PUBLIC_FIELDS).iterator(chunk_size=5000)
    for _code, group in groupby(values, key=lambda v: v[0]):
        for i, (department, number, first, last, outcome, rank, order, reason, adjustments) in enumerate(group, start=1):
            yield [
                department, i, mask_student_number(number), initials(first, last), outcomes.get(outcome, outcome),
                rank, order, "; ".join(published_notes_of(reason=reason, adjustments=adjustments, labels=labels)),
            ]


def office_row(r, *, sensitive: bool) -> list:
    """`sensitive` False (a coordinator): no score and no bonus at all, deductions with their points.

    Special categories are for the student and the office only (KVKK art. 6). Every bonus of a call
    is one, and any score beside the rank gives it away: the adjustments total (+15.00 is the
    martyr/veteran bonus), the final score less the weighted scores, or even the weighted scores
    alone when a student ranks above one with more of them. The rank and outcome cannot be
    decomposed; deductions are not special categories.
    """
    applicant = r.application.applicant
    notes = office_notes(r, special_category=sensitive)
    if r.reason:
        notes = [str(r.get_reason_display()), *notes]
    scores = [r.academic_score, r.language_score, r.adjustments_total, r.final_score] if sensitive else []
    return [
        r.department_code, r.department_rank, r.student_number, applicant.first_name, applicant.last_name,
        applicant.email, str(r.get_outcome_display()), r.order, *scores, "; ".join(notes),
    ]


def _rows(run, departments, *, office: bool, sensitive: bool):
    if not office:
        yield from public_rows_fast(run, departments)
        return
    for r in ranking_rows(run=run, departments=departments).iterator(chunk_size=2000):
        yield office_row(r, sensitive=sensitive)


def public_rows_of_run(run):
    """Every public row of a run, in the list's order (the canonical CSV's body)."""
    return _rows(run, None, office=False, sensitive=False)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return NumberText(f"{value:.2f}")  # a number, even when negative: never neutralised
    if isinstance(value, int):
        return str(value)
    return spreadsheet_text(str(value))


def list_csv(*, run, departments=None, office=False, sensitive=False, stream) -> None:
    """`sensitive`: scores and bonuses, for office staff only (never coordinators or the public)."""
    writer = csv_writer(stream)
    writer.writerow(office_header(sensitive=sensitive) if office else public_header())
    for row in _rows(run, departments, office=office, sensitive=sensitive):
        writer.writerow([csv_cell(v) for v in row])


def list_xlsx(*, run, departments=None, office=False, sensitive=False) -> bytes:
    from openpyxl import Workbook  # heavy: loaded only when a spreadsheet is made

    book = Workbook(write_only=True)
    sheet = book.create_sheet(run.call.code[:31])
    sheet.append(office_header(sensitive=sensitive) if office else public_header())
    for row in _rows(run, departments, office=office, sensitive=sensitive):
        sheet.append([spreadsheet_text(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PDF_LINE_CHARS = 168  # A4 landscape, 7.5 pt DejaVu Sans Mono, 12 mm margins


def _pdf_lines(rows: list[list]) -> tuple[str, list[str]]:
    """The section as fixed-width text lines: one box per line keeps WeasyPrint fast (300 rows well under 5 s).

    A table needs ten boxes per row and takes about ten times as long.
    """
    header = [_("Row"), _("Student number"), _("Name"), _("Outcome"), _("Rank"), _("Order"), _("Notes")]
    right = {0, 4, 5}
    cells = [[
        str(r[1]), r[2], r[3], r[4], "" if r[5] is None else str(r[5]), "" if r[6] is None else str(r[6]), r[7],
    ] for r in rows]
    fixed = len(header) - 1
    widths = [max([len(str(header[i]))] + [len(c[i]) for c in cells]) for i in range(fixed)]
    used = sum(widths) + 2 * fixed
    notes_width = max(PDF_LINE_CHARS - used, 24)

    def line(values, notes_lines):
        fixed = "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths)))
        first = f"{fixed}  {notes_lines[0] if notes_lines else ''}".rstrip()
        rest = [" " * (used) + extra for extra in notes_lines[1:]]
        return "\n".join([first, *rest])

    head = line([str(h) for h in header[:fixed]], [str(header[fixed])])
    return head, [line(c[:fixed], textwrap.wrap(c[fixed], notes_width) if c[fixed] else []) for c in cells]


def _pdf_context(publication, sections, *, first=True, last=True) -> dict:
    call = publication.call
    return {
        "university": settings.UNIVERSITY_NAME, "call": call, "run": publication.run, "publication": publication,
        "published_local": publication.published_at.astimezone(ISTANBUL), "sections": sections,
        "appeal_deadline": call.appeal_deadline.astimezone(ISTANBUL) if call.appeal_deadline else None,
        "LANGUAGE_CODE": get_language(), "first": first, "last": last,
    }


def _sections(publication, departments, chunk: int | None = None):
    """(code, name, rows) per department, or per slice of `chunk` rows of a department."""
    names = dict(publication.call.call_departments.values_list("department__code", "department__name"))
    for code, rows in groupby(public_rows_fast(publication.run, departments), key=lambda row: row[0]):
        rows = list(rows)
        step = chunk or len(rows) or 1
        for start in range(0, len(rows), step):
            yield code, names.get(code, code), rows[start:start + step]


def list_pdf(*, publication, departments=None) -> bytes:
    """The published list as it goes on the notice board: public columns only."""
    from weasyprint import HTML  # heavy (fonts, cairo): loaded only when a PDF is made

    sections = []
    for code, name, rows in _sections(publication, departments):
        head, lines = _pdf_lines(rows)
        sections.append({"code": code, "name": name, "head": head, "lines": lines})
    html = render_to_string("publication/list_pdf.html", _pdf_context(publication, sections))
    return HTML(string=html).write_pdf()


def list_pdf_in_parts(*, publication, departments=None, chunk: int = 500, progress=None) -> bytes:
    """The same list for long calls, laid out `chunk` rows at a time so `progress(done, total)` can be told.

    The parts' pages are joined into one PDF; page numbers count within each part.
    """
    from weasyprint import HTML  # heavy (fonts, cairo): loaded only when a PDF is made

    parts = list(_sections(publication, departments, chunk=chunk))
    total = sum(len(rows) for _c, _n, rows in parts)
    pages, document, done = [], None, 0
    for i, (code, name, rows) in enumerate(parts):
        head, lines = _pdf_lines(rows)
        context = _pdf_context(publication, [{"code": code, "name": name, "head": head, "lines": lines}],
                               first=i == 0, last=i == len(parts) - 1)
        rendered = HTML(string=render_to_string("publication/list_pdf.html", context)).render()
        document = document or rendered
        pages.extend(rendered.pages)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    if document is None:
        return list_pdf(publication=publication, departments=departments)
    return document.copy(pages).write_pdf()


def result_row_number(result) -> int:
    """The result's row in its department's public list (RANKING_ORDER: rank, then excluded by number)."""
    same = SelectionResult.objects.filter(run_id=result.run_id, department_code=result.department_code)
    if result.department_rank is not None:
        before = same.filter(
            Q(department_rank__lt=result.department_rank)
            | Q(department_rank=result.department_rank, student_number__lt=result.student_number)
        )
    else:
        before = same.filter(Q(department_rank__isnull=False) | Q(student_number__lt=result.student_number))
    return before.count() + 1


def public_found(*, publication, student_number: str) -> list[list]:
    """A student's own rows, by their full number only: nobody lists others by guessing prefixes."""
    results = SelectionResult.objects.filter(run=publication.run_id, student_number=student_number).select_related(
        "application__applicant")
    return [public_row(r, result_row_number(r)) for r in results]


def public_page_rows(page) -> list[list]:
    """The public rows of one page of a department's list, numbered by their place in the whole list."""
    return [public_row(r, page.start_index() + i) for i, r in enumerate(page.object_list)]


def placement_change_rows(*, publication, placements) -> list[tuple]:
    """Changes after the final list, each with the row it has in the final list (to find it there)."""
    results = {
        r.student_number: r for r in SelectionResult.objects.filter(
            run=publication.run_id, student_number__in=[p.student_number for p in placements])
    }
    rows = []
    for p in placements:
        applicant = p.application.applicant
        result = results.get(p.student_number)
        rows.append((
            result_row_number(result) if result else None, mask_student_number(p.student_number),
            initials(applicant.first_name, applicant.last_name), p.order, p.get_status_display(), p.promotion_seq,
        ))
    return rows
