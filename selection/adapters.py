"""Load a call's data into the pure engine's inputs, and the engine's results into rows."""
import json
from decimal import Decimal

from django.db import connection

from applications.models import BONUS_FIELDS, FLAG_FIELDS, Application, ApplicationStatus, ExamResult
from applications.selectors import exam_session_for_call
from mobility.db import copy_escape, copy_rows
from selection import engine
from selection.models import SelectionResult, SelectionRun

INPUT_COLUMNS = [
    "key", "student_number", "department_code", "level", "gpa", "previous_degree_gpa", "written", "listening",
    "absent", "has_exam_result", "prior_participations", "flags", "bonuses", "sequence",
]


def call_rules_load(*, call) -> tuple[engine.CallRules, list[engine.DepartmentRules]]:
    """The call's rules and departments as the engine's inputs."""
    rules = engine.CallRules(
        places=call.places,
        academic_formula=engine.AcademicFormula(call.academic_formula),
        academic_weight=call.academic_weight,
        language_weight=call.language_weight,
        written_weight=call.written_weight,
        listening_weight=call.listening_weight,
        min_gpa={engine.Level(level): value for level, value in call.min_gpa().items()},
        allocation=engine.AllocationStrategy(call.allocation),
        adjustment_points={engine.Adjustment(code): value for code, value in call.adjustment_points().items()},
    )
    departments = [
        engine.DepartmentRules(code=cd.department.code, written_min=cd.written_min, gpa_average=cd.gpa_average)
        for cd in call.call_departments.select_related("department")
    ]
    return rules, departments


def rules_snapshot_build(*, call, rules: engine.CallRules, departments) -> dict:
    """The rules a run used, as JSON kept with the run."""
    return {
        "budget_eur": str(call.budget_eur),
        "planning_amount_eur": str(call.planning_amount_eur),
        "places": rules.places,
        "academic_formula": str(rules.academic_formula),
        "academic_weight": str(rules.academic_weight),
        "language_weight": str(rules.language_weight),
        "written_weight": str(rules.written_weight),
        "listening_weight": str(rules.listening_weight),
        "min_gpa": {str(level): str(value) for level, value in rules.min_gpa},
        "allocation": str(rules.allocation),
        "adjustment_points": {str(code): str(points) for code, points in rules.adjustment_points},
        "departments": [
            {"code": d.code, "written_min": _s(d.written_min), "gpa_average": _s(d.gpa_average)} for d in departments
        ],
    }


def _s(value):
    return None if value is None else str(value)


def applicants_load(*, call) -> list[engine.ApplicantInput]:
    """Every submitted application of the call, with its exam result, as engine inputs (two queries)."""
    session = exam_session_for_call(call=call)
    results = {
        r["applicant_id"]: r
        for r in ExamResult.objects.filter(session=session).values("applicant_id", "written", "listening", "absent")
    }
    rows = (
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values(
            "pk", "applicant_id", "applicant__student_number", "department__code", "level", "gpa",
            "previous_degree_gpa", "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS,
        )
    )
    inputs = []
    for sequence, row in enumerate(rows.iterator(chunk_size=5000), start=1):
        exam = results.get(row["applicant_id"])
        gpa = row["gpa"]
        inputs.append(
            engine.ApplicantInput(
                key=str(row["pk"]),
                student_number=row["applicant__student_number"],
                department_code=row["department__code"],
                level=engine.Level(row["level"]),
                gpa=gpa if gpa else None,
                previous_degree_gpa=row["previous_degree_gpa"],
                written=exam["written"] if exam else None,
                listening=(exam["listening"] if exam["listening"] is not None else Decimal(0)) if exam else None,
                absent=bool(exam and exam["absent"]),
                has_exam_result=exam is not None,
                prior_participations=row["prior_participations"],
                flags=frozenset(engine.Adjustment(f) for f in FLAG_FIELDS if row[f]),
                bonuses=tuple((engine.Adjustment(b), engine.BonusState(row[b])) for b in BONUS_FIELDS if row[b]),
                sequence=sequence,
            )
        )
    return inputs


def inputs_snapshot_build(*, applicants: list[engine.ApplicantInput]) -> dict:
    """Compact: one header and one list per applicant, so 50,000 rows stay a few MB."""
    def row(a):
        return [
            a.key, a.student_number, a.department_code, str(a.level), _s(a.gpa), _s(a.previous_degree_gpa),
            _s(a.written), _s(a.listening), a.absent, a.has_exam_result, a.prior_participations,
            sorted(str(f) for f in a.flags), [[str(c), str(s)] for c, s in a.bonuses], a.sequence,
        ]

    return {"columns": INPUT_COLUMNS, "rows": [row(a) for a in applicants]}


RESULT_COLUMNS = [
    "run_id", "application_id", "student_number", "department_code", "eligible", "reason", "gpa_used", "ratio",
    "academic_score", "language_score", "adjustments", "adjustments_total", "final_score", "department_rank",
    "allocation_round", "order", "outcome",
]


def _result_values(run_id: int, r: engine.ApplicantResult) -> tuple:
    return (
        run_id, int(r.key), r.student_number, r.department_code, r.eligible, str(r.reason) if r.reason else "",
        r.gpa_used, r.ratio, r.academic_score, r.language_score,
        [{"code": str(line.code), "points": str(line.points), "count": line.count, "applied": line.applied} for line in r.adjustments],
        r.adjustments_total, r.final_score, r.department_rank, r.allocation_round, r.order, str(r.outcome),
    )


def _copy_line(run_id: int, r: engine.ApplicantResult) -> str:
    """One row in PostgreSQL's COPY text format, in RESULT_COLUMNS order (\\N is NULL)."""
    def n(value):
        return "\\N" if value is None else str(value)

    adjustments = "[]" if not r.adjustments else copy_escape(json.dumps(
        [{"code": str(a.code), "points": str(a.points), "count": a.count, "applied": a.applied} for a in r.adjustments],
        separators=(",", ":"),
    ))
    return (
        f"{run_id}\t{r.key}\t{copy_escape(r.student_number)}\t{copy_escape(r.department_code)}\t"
        f"{'t' if r.eligible else 'f'}\t{r.reason or ''}\t{n(r.gpa_used)}\t{n(r.ratio)}\t{n(r.academic_score)}\t"
        f"{n(r.language_score)}\t{adjustments}\t{r.adjustments_total}\t{n(r.final_score)}\t{n(r.department_rank)}\t"
        f"{n(r.allocation_round)}\t{n(r.order)}\t{r.outcome}\n"
    )


def results_store(*, run: SelectionRun, outcome: engine.SelectionResult) -> None:
    """Insert one result row per applicant. PostgreSQL gets COPY: 50,000 rows in well under a second."""
    if connection.vendor == "postgresql":
        copy_rows(
            table=SelectionResult._meta.db_table, columns=RESULT_COLUMNS,
            lines=(_copy_line(run.pk, r) for r in outcome.results),
        )
        return
    SelectionResult.objects.bulk_create(
        (SelectionResult(**dict(zip(RESULT_COLUMNS, _result_values(run.pk, r)))) for r in outcome.results),
        batch_size=2000,
    )
