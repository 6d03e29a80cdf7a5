import csv
import io

import pytest
from django.core.management import CommandError, call_command

from mobility.models import AuditEntry
from selection import adapters
from selection.models import RunStatus, SelectionResult, SelectionRun
from selection.services import SelectionBusy, execute_selection_run, selection_run, selection_run_execute, selection_run_start
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium(call):
    """Document 001's shape: 4 places, three departments, SENG with a single applicant."""
    apply(call, "CENG", gpa="3.60", written="90", listening="80", number="1001")  # 90 + 87.5 -> 88.75
    apply(call, "CENG", gpa="3.20", written="80", listening="60", number="1002")  # 80 + 75 -> 77.50
    apply(call, "CENG", gpa="2.80", written="70", listening="40", number="1003")  # 70 + 62.5 -> 66.25
    apply(call, "SENG", gpa="3.00", written="65", listening="0", number="2001")   # 75 + 48.75 -> 61.88
    apply(call, "MIS", gpa="3.40", written="85", listening="70", number="3001")   # 85 + 81.25 -> 83.13
    apply(call, "MIS", gpa="3.50", written="75", listening="75", number="3002")   # 87.5 + 75 -> 81.25
    apply(call, "MIS", gpa=None, number="3003")                                    # no_gpa
    apply(call, "MIS", gpa="3.90", written="55", listening="90", number="3004")   # written_below_minimum
    return call


def test_run_selection_command_allocates_the_consortium_places_and_prints_the_summary(consortium, capsys):
    call_command("run_selection", consortium.code)
    assert capsys.readouterr().out.startswith(f"{consortium.code}: 4 primaries, 2 reserves, 2 excluded")
    run = SelectionRun.objects.get()
    outcome = dict(run.results.values_list("student_number", "outcome"))
    # Round 1 gives each department its top student; the 4th place goes to the better second student (MIS 81.25 > CENG 77.50).
    assert {n for n, o in outcome.items() if o == "primary"} == {"1001", "2001", "3001", "3002"}
    assert outcome["1002"] == outcome["1003"] == "reserve"
    assert outcome["3003"] == outcome["3004"] == "excluded"
    assert run.results.get(student_number="3002").order == 4
    assert run.status == RunStatus.FINISHED and run.duration_ms is not None
    assert run.rules_snapshot["places"] == 4
    assert run.inputs_snapshot["count"] == 8
    assert len(adapters.inputs_snapshot_rows(run.inputs_snapshot)) == 8


def test_each_run_is_kept(consortium):
    selection_run(call=consortium)
    selection_run(call=consortium)
    assert SelectionRun.objects.filter(call=consortium).count() == 2
    assert SelectionResult.objects.count() == 16


def test_a_second_run_of_the_same_call_is_refused_at_once(consortium):
    selection_run_start(call=consortium)
    with pytest.raises(SelectionBusy, match="already running"):
        selection_run_start(call=consortium)
    with pytest.raises(CommandError, match="already running"):
        call_command("run_selection", consortium.code)


def test_executing_a_run_twice_changes_nothing_the_second_time(consortium):
    run = selection_run_start(call=consortium)
    assert execute_selection_run.delay(run.pk).get() == RunStatus.FINISHED
    assert execute_selection_run.delay(run.pk).get() == RunStatus.FINISHED
    assert SelectionResult.objects.filter(run=run).count() == 8
    assert AuditEntry.objects.filter(action="selection.finished").count() == 1


def test_a_run_that_cannot_score_is_marked_failed_with_the_reason(call):
    call.academic_formula = "department_relative"
    call.save()
    apply(call, "CENG", number="1")
    run = selection_run(call=call)
    assert run.status == RunStatus.FAILED
    assert "CENG" in run.error
    # A failed run does not block the next one.
    selection_run_start(call=call)


def test_run_selection_with_an_unknown_call_code_is_a_clear_error():
    with pytest.raises(CommandError, match="NOPE: no such call"):
        call_command("run_selection", "NOPE")


def test_export_ranking_csv_follows_the_contract(consortium, capsys):
    apply(consortium, "CENG", gpa="3.00", written="70", listening="60", number="1004", prior_participations=1, disability="verified")
    selection_run(call=consortium)
    capsys.readouterr()
    call_command("export_ranking", consortium.code)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "student_number", "department_code", "department_rank", "outcome", "order",
        "academic_score", "language_score", "adjustments", "final_score", "reason",
    ]
    assert [r["student_number"] for r in rows] == ["1001", "1002", "1004", "1003", "3001", "3002", "3003", "3004", "2001"]
    first = rows[0]
    assert first == {
        "student_number": "1001", "department_code": "CENG", "department_rank": "1", "outcome": "primary",
        "order": "1", "academic_score": "90.00", "language_score": "87.50", "adjustments": "0.00",
        "final_score": "88.75", "reason": "",
    }
    excluded = {r["student_number"]: r for r in rows if r["outcome"] == "excluded"}
    assert excluded["3003"]["reason"] == "no_gpa" and excluded["3003"]["department_rank"] == "" and excluded["3003"]["order"] == ""
    assert excluded["3004"]["reason"] == "written_below_minimum"
    # -10 for one participation, +10 verified disability
    assert next(r for r in rows if r["student_number"] == "1004")["adjustments"] == "0.00"


def test_export_ranking_xlsx_and_pdf_files(consortium, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    apply(consortium, "MIS", gpa="3.00", number="3005", martyr_veteran_relative="claimed", missed_orientation=True)
    selection_run(call=consortium)
    xlsx = tmp_path / "r.xlsx"
    call_command("export_ranking", consortium.code, "--format", "xlsx", "--output", str(xlsx))
    sheet = load_workbook(xlsx).active
    values = list(sheet.values)
    assert values[0][0] == "student_number" and len(values) == 10
    assert values[1][:4] == ("1001", "CENG", 1, "primary")

    pdf = tmp_path / "r.pdf"
    call_command("export_ranking", consortium.code, "--format", "pdf", "--output", str(pdf))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for name in ("Bilgisayar Mühendisliği", "Yazılım Mühendisliği", "Yönetim Bilişim Sistemleri"):
        assert name in text
    assert "3005" in text
    # Notes list each deduction and bonus, in Turkish by default.
    assert "-5.00" in text


def test_export_ranking_without_a_run_says_what_to_do(call):
    with pytest.raises(CommandError, match="run_selection"):
        call_command("export_ranking", call.code)


def test_selection_execute_of_an_unknown_run_raises():
    with pytest.raises(SelectionRun.DoesNotExist):
        selection_run_execute(run_id=999999)


def test_stored_results_keep_every_field_exactly(call):
    from decimal import Decimal

    apply(call, "CENG", gpa="3.15", written="70", listening="55", number="A\\1\t2", prior_participations=2,
          disability="verified", martyr_veteran_relative="claimed")
    apply(call, "MIS", gpa=None, number="B-1")
    run = selection_run(call=call)
    first = run.results.get(department_code="CENG")
    assert first.student_number == "A\\1\t2"
    assert (first.eligible, first.reason, first.gpa_used, first.ratio) == (True, "", Decimal("3.15"), None)
    assert (first.academic_score, first.language_score) == (Decimal("78.75"), Decimal("66.25"))
    assert first.adjustments == [
        {"code": "prior_participation", "points": "-20.00", "count": 2, "applied": True},
        {"code": "disability", "points": "10.00", "count": 1, "applied": True},
        {"code": "martyr_veteran_relative", "points": "0.00", "count": 1, "applied": False},
    ]
    assert first.adjustments_total == Decimal("-10") and first.final_score == Decimal("62.50")
    assert (first.department_rank, first.allocation_round, first.order, first.outcome) == (1, 1, 1, "primary")
    other = run.results.get(student_number="B-1")
    assert (other.eligible, other.reason, other.academic_score, other.final_score, other.department_rank, other.order) == (
        False, "no_gpa", None, None, None, None,
    )
