"""Load a call's data into the pure engine's inputs, and the engine's results into rows."""
import base64
import json
import zlib
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection

from applications.models import BONUS_FIELDS, FLAG_FIELDS, Applicant, Application, ApplicationStatus, ExamResult
from applications.selectors import exam_session_for_call
from mobility.db import copy_escape, copy_out, copy_rows, copy_unescape
from mobility.models import Department
from selection import engine
from selection.engine.runner import cyclic_gc_paused
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


class LoadedApplicants(list):
    """The engine's inputs in submission order; `snapshot_text` holds them as snapshot lines when
    they were read that way (PostgreSQL), so that the snapshot costs no second pass."""

    snapshot_text: str | None = None


def applicants_load(*, call, fast: bool | None = None) -> LoadedApplicants:
    """Every submitted application of the call, with its exam result, as engine inputs.

    PostgreSQL reads them with one COPY of a join (`fast`, the default there); other databases
    through the ORM. Both give the same inputs (tests/selection/test_fast_paths.py).
    """
    session = exam_session_for_call(call=call)
    if fast is None:
        fast = connection.vendor == "postgresql"
    if fast:
        return _applicants_copy(call=call, session=session)
    return _applicants_orm(call=call, session=session)


def _applicants_orm(*, call, session) -> LoadedApplicants:
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
    inputs = LoadedApplicants()
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


# The snapshot's lists are written as text: flags sorted by name, bonuses as code:state in code order.
_SORTED_FLAGS = sorted(FLAG_FIELDS)


def _inputs_sql() -> str:
    """One row per submitted application in INPUT_COLUMNS order, as the ORM path computes them."""
    application, applicant = Application._meta.db_table, Applicant._meta.db_table
    department, exam = Department._meta.db_table, ExamResult._meta.db_table
    flags = ", ".join(f"CASE WHEN a.{name} THEN '{name}' END" for name in _SORTED_FLAGS)
    bonuses = ", ".join(f"CASE WHEN a.{name} <> '' THEN '{name}:' || a.{name} END" for name in BONUS_FIELDS)
    return f"""
        SELECT a.id, p.student_number, d.code, a.level, NULLIF(a.gpa, 0), a.previous_degree_gpa,
               e.written, CASE WHEN e.id IS NULL THEN NULL ELSE COALESCE(e.listening, 0) END,
               COALESCE(e.absent, false), e.id IS NOT NULL, a.prior_participations,
               concat_ws(',', {flags}), concat_ws(',', {bonuses}),
               row_number() OVER (ORDER BY a.submitted_at, a.id)
        FROM {application} a
        JOIN {applicant} p ON p.id = a.applicant_id
        JOIN {department} d ON d.id = a.department_id
        LEFT JOIN {exam} e ON e.applicant_id = a.applicant_id AND e.session_id = %s
        WHERE a.call_id = %s AND a.status = %s
        ORDER BY a.submitted_at, a.id"""


def _applicants_copy(*, call, session) -> LoadedApplicants:
    text = copy_out(sql=_inputs_sql(), params=[session.pk, call.pk, ApplicationStatus.SUBMITTED])
    # Without the pause the collector walks the growing list of inputs again and again (50,000
    # applications: half the time of building them); they hold no reference cycles.
    with cyclic_gc_paused():
        inputs = LoadedApplicants(_inputs_from_lines(text))
    inputs.snapshot_text = text
    return inputs


class _NotCanonical(Exception):
    """A value the engine's checks would refuse or change: build that input the checked way."""


class _Decimals(dict):
    """COPY text of a number -> Decimal (\\N -> None), each made and checked once."""

    def __missing__(self, text: str) -> Decimal | None:
        value = None if text == "\\N" else Decimal(text)
        if value is not None and (not value.is_finite() or value < 0):
            raise _NotCanonical
        self[text] = value
        return value


def _inputs_from_lines(text: str) -> list[engine.ApplicantInput]:
    """Engine inputs from snapshot lines (COPY text format, INPUT_COLUMNS order).

    Values read from the database are already what the engine's checks make of them, so inputs
    are built without the checks (`from_canonical`); a value they would refuse or change (a
    negative GPA written around the forms, an unknown level) takes the checked constructor,
    which raises the engine's own error for it.
    """
    levels = {str(level): level for level in engine.Level}
    flag_sets: dict[str, frozenset] = {"": frozenset()}
    bonus_sets: dict[str, tuple] = {"": ()}
    decimals = _Decimals()  # a few hundred distinct GPAs and scores: one Decimal each
    canonical = engine.ApplicantInput.from_canonical
    inputs = []
    for line in _lines(text):
        (key, number, department, level, gpa, previous, written, listening, absent, has_exam, prior,
         flags, bonuses, sequence) = line.split("\t")
        flag_set = flag_sets.get(flags)
        if flag_set is None:
            flag_set = flag_sets[flags] = frozenset(engine.Adjustment(f) for f in flags.split(","))
        bonus_set = bonus_sets.get(bonuses)
        if bonus_set is None:
            bonus_set = bonus_sets[bonuses] = tuple(
                (engine.Adjustment(code), engine.BonusState(state))
                for code, state in (pair.split(":") for pair in bonuses.split(","))
            )
        number, department = copy_unescape(number), copy_unescape(department)
        try:
            inputs.append(canonical(
                key, number, department, levels.get(level) or _not_canonical(), decimals[gpa], decimals[previous],
                decimals[written], decimals[listening], absent == "t", has_exam == "t", int(prior), flag_set,
                bonus_set, int(sequence),
            ))
        except _NotCanonical:
            inputs.append(engine.ApplicantInput(
                key=key, student_number=number, department_code=department, level=level,
                gpa=_decimal(gpa), previous_degree_gpa=_decimal(previous), written=_decimal(written),
                listening=_decimal(listening), absent=absent == "t", has_exam_result=has_exam == "t",
                prior_participations=int(prior), flags=flag_set, bonuses=bonus_set, sequence=int(sequence),
            ))
    return inputs


def _not_canonical():
    raise _NotCanonical


def _decimal(text: str) -> Decimal | None:
    return None if text == "\\N" else Decimal(text)


def _lines(text: str) -> list[str]:
    # Not splitlines(): it also splits at characters COPY leaves as they are (\x1c, \u2028, ...).
    return text.split("\n")[:-1] if text else []


def _snapshot_line(a: engine.ApplicantInput) -> str:
    """One input as the COPY of `_inputs_sql` writes it."""
    def n(value):
        return "\\N" if value is None else str(value)

    return "\t".join((
        a.key, copy_escape(a.student_number), copy_escape(a.department_code), str(a.level), n(a.gpa),
        n(a.previous_degree_gpa), n(a.written), n(a.listening), "t" if a.absent else "f",
        "t" if a.has_exam_result else "f", str(a.prior_participations), ",".join(sorted(str(f) for f in a.flags)),
        ",".join(f"{code}:{state}" for code, state in a.bonuses), str(a.sequence),
    )) + "\n"


SNAPSHOT_ENCODING = "copy-text+zlib+base64"


def inputs_snapshot_build(*, applicants: list[engine.ApplicantInput]) -> dict:
    """The inputs of a run, kept with it: their lines in COPY's text format, compressed.

    50,000 inputs make 1.2 MB of JSON text instead of 5.3 MB of lists, and on PostgreSQL the
    lines are those the load read (no second pass). `inputs_snapshot_rows` reads both forms.
    """
    text = getattr(applicants, "snapshot_text", None)
    if text is None:
        text = "".join(_snapshot_line(a) for a in applicants)
    return {
        "columns": INPUT_COLUMNS, "count": len(applicants), "encoding": SNAPSHOT_ENCODING,
        "data": base64.b64encode(zlib.compress(text.encode(), 1)).decode("ascii"),
    }


def inputs_snapshot_rows(snapshot: dict | list | None) -> list[list]:
    """The inputs of a run as lists in INPUT_COLUMNS order, from either snapshot form.

    Runs stored before the compact form kept these lists as JSON (`rows`); values are strings
    for numbers, booleans, an int count, sorted flag names and [code, state] bonus pairs.
    """
    if not isinstance(snapshot, dict):
        return []
    if snapshot.get("encoding") != SNAPSHOT_ENCODING:
        return snapshot.get("rows", [])
    text = zlib.decompress(base64.b64decode(snapshot["data"])).decode()
    null = "\\N"
    rows = []
    for line in _lines(text):
        (key, number, department, level, gpa, previous, written, listening, absent, has_exam, prior,
         flags, bonuses, sequence) = line.split("\t")
        rows.append([
            key, copy_unescape(number), copy_unescape(department), level,
            *(None if value == null else value for value in (gpa, previous, written, listening)),
            absent == "t", has_exam == "t", int(prior),
            flags.split(",") if flags else [],
            [pair.split(":") for pair in bonuses.split(",")] if bonuses else [],
            int(sequence),
        ])
    return rows


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


def _copy_lines(run_id: int, results) -> Iterator[str]:
    """The result rows in PostgreSQL's COPY text format, in RESULT_COLUMNS order (\\N is NULL).

    Per row only what differs: the adjustments' JSON is made once per tuple (the engine shares one
    tuple between equal adjustments), a department code escaped once, and a student number that is
    letters and digits only needs no escape. Decimals go through str(): an f-string's format() of a
    Decimal gives the same text at twice the cost.
    """
    adjustments_text: dict[int, str] = {}
    codes: dict[str, str] = {}
    null = "\\N"
    for r in results:
        adjustments = r.adjustments
        text = adjustments_text.get(id(adjustments))
        if text is None:
            text = adjustments_text[id(adjustments)] = "[]" if not adjustments else copy_escape(json.dumps(
                [{"code": str(a.code), "points": str(a.points), "count": a.count, "applied": a.applied} for a in adjustments],
                separators=(",", ":"),
            ))
        code = codes.get(r.department_code)
        if code is None:
            code = codes[r.department_code] = copy_escape(r.department_code)
        number = r.student_number
        if not number.isalnum():  # no letter or digit needs an escape
            number = copy_escape(number)
        gpa_used, ratio, academic, language, final = r.gpa_used, r.ratio, r.academic_score, r.language_score, r.final_score
        rank, allocation_round, order = r.department_rank, r.allocation_round, r.order
        yield (
            f"{run_id}\t{r.key}\t{number}\t{code}\t{'t' if r.eligible else 'f'}\t{r.reason or ''}\t"
            f"{null if gpa_used is None else str(gpa_used)}\t{null if ratio is None else str(ratio)}\t"
            f"{null if academic is None else str(academic)}\t{null if language is None else str(language)}\t{text}\t"
            f"{str(r.adjustments_total)}\t{null if final is None else str(final)}\t{null if rank is None else rank}\t"
            f"{null if allocation_round is None else allocation_round}\t{null if order is None else order}\t{r.outcome}\n"
        )


def results_store(*, run: SelectionRun, outcome: engine.SelectionResult, fast: bool | None = None) -> None:
    """Insert one result row per applicant. PostgreSQL gets COPY (`fast`), other databases bulk_create."""
    if fast is None:
        fast = connection.vendor == "postgresql"
    if fast:
        copy_rows(
            table=SelectionResult._meta.db_table, columns=RESULT_COLUMNS,
            lines=_copy_lines(run.pk, outcome.results),
        )
        return
    SelectionResult.objects.bulk_create(
        (SelectionResult(**dict(zip(RESULT_COLUMNS, _result_values(run.pk, r)))) for r in outcome.results),
        batch_size=2000,
    )
