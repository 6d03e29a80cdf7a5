"""Load a call's data into the pure engine's inputs, and the engine's results into rows."""
from decimal import Decimal

from applications.models import BONUS_FIELDS, FLAG_FIELDS, Application, ApplicationStatus, ExamResult
from applications.selectors import exam_session_for_call
from selection import engine
from selection.models import SelectionResult, SelectionRun

INPUT_COLUMNS = [
    "key", "student_number", "department_code", "level", "gpa", "previous_degree_gpa", "written", "listening",
    "absent", "has_exam_result", "prior_participations", "flags", "bonuses", "sequence",
]


def rules_for_call(call) -> tuple[engine.CallRules, list[engine.DepartmentRules]]:
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


def rules_snapshot(call, rules: engine.CallRules, departments) -> dict:
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


def applicants_for_call(call) -> list[engine.ApplicantInput]:
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


def inputs_snapshot(applicants: list[engine.ApplicantInput]) -> dict:
    """Compact: one header and one list per applicant, so 50,000 rows stay a few MB."""
    def row(a):
        return [
            a.key, a.student_number, a.department_code, str(a.level), _s(a.gpa), _s(a.previous_degree_gpa),
            _s(a.written), _s(a.listening), a.absent, a.has_exam_result, a.prior_participations,
            sorted(str(f) for f in a.flags), [[str(c), str(s)] for c, s in a.bonuses], a.sequence,
        ]

    return {"columns": INPUT_COLUMNS, "rows": [row(a) for a in applicants]}


def result_rows(run: SelectionRun, outcome: engine.SelectionResult) -> list[SelectionResult]:
    return [
        SelectionResult(
            run=run,
            application_id=int(r.key),
            student_number=r.student_number,
            department_code=r.department_code,
            eligible=r.eligible,
            reason=str(r.reason) if r.reason else "",
            gpa_used=r.gpa_used,
            ratio=r.ratio,
            academic_score=r.academic_score,
            language_score=r.language_score,
            adjustments=[
                {"code": str(line.code), "points": str(line.points), "count": line.count, "applied": line.applied}
                for line in r.adjustments
            ],
            adjustments_total=r.adjustments_total,
            final_score=r.final_score,
            department_rank=r.department_rank,
            allocation_round=r.allocation_round,
            order=r.order,
            outcome=str(r.outcome),
        )
        for r in outcome.results
    ]
