"""The EU report of a call (placement-files §14): checks, then CSV or BM XML."""
import io

from django.utils.translation import gettext as _

from mobility.models import Call
from traineeships import bm
from traineeships.exports import mobilities_csv
from traineeships.selectors import call_report_problems, mobility_reports


class ReportError(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def mobilities_lacking(reports) -> list[tuple[object, list[str]]]:
    """(report, missing items) for each mobility the BM XML cannot carry yet."""
    return [(r, items) for r in reports if (items := bm.missing_items(r))]


def mobilities_export(*, call: Call, fmt: str = "csv") -> tuple[bytes, list[str]]:
    """(the report, one line per mobility left out). ReportError when the call itself cannot be
    reported (nothing is written then).

    The XML carries every mobility the BM can take; each one that lacks data is left out and
    named with what it lacks, so the office reports the rest and chases these before the deadline.
    """
    problems = call_report_problems(call)
    if fmt == "xml" and not call.project_number:
        problems.append(_("%(code)s: the call has no project_number (the grant agreement number)") % {"code": call.code})
    if problems:
        raise ReportError(problems)
    reports = mobility_reports(call)
    if fmt == "csv":
        stream = io.StringIO()
        mobilities_csv(reports=reports, stream=stream)
        return stream.getvalue().encode("utf-8"), []
    lacking = mobilities_lacking(reports)
    left_out = {id(r) for r, _items in lacking}
    complete = [r for r in reports if id(r) not in left_out]
    lines = [lacking_line(r, items) for r, items in lacking]
    if not complete:
        raise ReportError(lines or [_("%(code)s: no mobility to report yet (no approved letter)") % {"code": call.code}])
    return bm.report_request(complete), lines


def lacking_line(report, items: list[str]) -> str:
    return _("%(number)s (%(name)s): missing %(items)s") % {
        "number": report.student_number, "name": f"{report.first_name} {report.last_name}", "items": ", ".join(items)}
