"""The ranking as the contract's files: CSV, XLSX and PDF (one section per department)."""
import io
from decimal import Decimal
from itertools import groupby

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mobility.models.calls import ADJUSTMENT_LABELS
from mobility.spreadsheets import NumberText, csv_writer, spreadsheet_text
from selection.selectors import ranking_rows

COLUMNS = [
    "student_number", "department_code", "department_rank", "outcome", "order",
    "academic_score", "language_score", "adjustments", "final_score", "reason",
]


def _two(value: Decimal | None) -> str:
    return "" if value is None else NumberText(f"{value:.2f}")


def _signed(value: Decimal) -> str:
    return NumberText(f"{value:+.2f}" if value else "0.00")


def contract_row(result) -> list[str]:
    # Text cells go through spreadsheet_text; the numbers keep the contract's form ("-15.00").
    return [
        spreadsheet_text(result.student_number),
        spreadsheet_text(result.department_code),
        "" if result.department_rank is None else str(result.department_rank),
        spreadsheet_text(result.outcome),
        "" if result.order is None else str(result.order),
        _two(result.academic_score),
        _two(result.language_score),
        _signed(result.adjustments_total),
        _two(result.final_score),
        spreadsheet_text(result.reason),
    ]


# KVKK special-category data: only the student and office staff may see these bonuses.
SPECIAL_CATEGORY_CODES = frozenset({"disability", "martyr_veteran_relative", "protection_2828"})


def notes(result, *, special_category: bool = True) -> list[str]:
    """Each deduction and bonus in words, for people reading the list (without special-category ones if told)."""
    lines = []
    for item in result.adjustments:
        if not special_category and item["code"] in SPECIAL_CATEGORY_CODES:
            continue
        label = ADJUSTMENT_LABELS.get(item["code"], item["code"])
        if item["applied"]:
            times = f" ×{item['count']}" if item["count"] > 1 else ""
            points = Decimal(item["points"])
            sign = "+" if points > 0 else ""
            lines.append(f"{label}{times}: {sign}{formats.number_format(points, 2)}")
        else:
            lines.append(_("%(label)s: document not accepted, no bonus") % {"label": label})
    return lines


def ranking_csv(*, run, stream) -> None:
    writer = csv_writer(stream)
    writer.writerow(COLUMNS)
    for result in ranking_rows(run=run).iterator(chunk_size=5000):
        writer.writerow(contract_row(result))


def ranking_xlsx(*, run) -> bytes:
    from openpyxl import Workbook  # heavy: loaded only when a spreadsheet is made

    book = Workbook(write_only=True)
    sheet = book.create_sheet(run.call.code[:31])
    sheet.append(COLUMNS)
    for result in ranking_rows(run=run).iterator(chunk_size=5000):
        row = contract_row(result)
        # Numbers stay numbers in a spreadsheet; empty cells stay empty.
        sheet.append([
            row[0], row[1], result.department_rank, row[3], result.order,
            result.academic_score, result.language_score, result.adjustments_total, result.final_score, row[9],
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ranking_pdf(*, run) -> bytes:
    from weasyprint import HTML  # heavy (fonts, cairo): loaded only when a PDF is made

    call = run.call
    names = dict(call.call_departments.values_list("department__code", "department__name"))
    sections = [
        {"code": code, "name": names.get(code, code), "rows": [(r, notes(r)) for r in rows]}
        for code, rows in groupby(ranking_rows(run=run), key=lambda r: r.department_code)
    ]
    html = render_to_string(
        "selection/ranking_pdf.html",
        {"call": call, "run": run, "sections": sections, "generated": timezone.now(), "LANGUAGE_CODE": get_language()},
    )
    return HTML(string=html).write_pdf()
