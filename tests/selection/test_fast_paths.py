"""The PostgreSQL fast paths give exactly what the plain ORM paths give, on random data.

Loading the engine's inputs (one COPY of a join, values taken as canonical) against the ORM
reading through the engine's checked constructor; the inputs snapshot from those lines against the
one written from the inputs; result rows stored with COPY against bulk_create.
"""
import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import BONUS_FIELDS, FLAG_FIELDS, Applicant, Application, ExamResult
from applications.selectors import exam_session_for_call
from selection import adapters, engine
from selection.models import SelectionResult, SelectionRun
from tests.concurrency import postgres_required
from tests.factories import CallDepartmentFactory, CallFactory

_examples = itertools.count()
MOMENT = dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.UTC)

gpas = st.one_of(st.none(), st.just(Decimal("0.00")), st.integers(0, 400).map(lambda n: Decimal(n) / 100))
scores = st.one_of(st.none(), st.integers(0, 10000).map(lambda n: Decimal(n) / 100))
numbers = st.text(alphabet="0123456789AZ-\\\t\n ğşİ\u2028\x1c", min_size=1, max_size=8)
rows = st.fixed_dictionaries({
    "number": numbers,
    "department": st.sampled_from(["CENG", "MIS", "A\tB"]),
    "level": st.sampled_from(["associate", "bachelor", "master", "doctorate"]),
    "gpa": gpas, "previous_degree_gpa": gpas,
    "prior_participations": st.integers(0, 3),
    "status": st.sampled_from(["submitted", "submitted", "submitted", "draft", "withdrawn"]),
    "second": st.integers(0, 3),  # equal submission instants: the id decides
    "flags": st.sets(st.sampled_from(FLAG_FIELDS)),
    "bonuses": st.fixed_dictionaries({name: st.sampled_from(["", "claimed", "verified"]) for name in BONUS_FIELDS}),
    "exam": st.one_of(st.none(), st.tuples(scores, scores, st.booleans())),
})


def _make_call(data: list[dict]):
    example = next(_examples)
    call = CallFactory(code=f"FAST-{example}")
    departments = {}
    for code in ("CENG", "MIS", "A\tB"):
        departments[code] = CallDepartmentFactory(call=call, department__code=f"{code}{example}").department
    session = exam_session_for_call(call=call)
    seen = set()
    for i, row in enumerate(data):
        number = f"{example}:{row['number']}"
        if number in seen:
            continue
        seen.add(number)
        applicant = Applicant.objects.create(student_number=number, first_name="Ad", last_name="Soyad", email=f"s{i}@example.edu.tr")
        Application.objects.create(
            call=call, applicant=applicant, department=departments[row["department"]], level=row["level"],
            gpa=row["gpa"], previous_degree_gpa=row["previous_degree_gpa"], prior_participations=row["prior_participations"],
            status=row["status"], submitted_at=MOMENT + dt.timedelta(seconds=row["second"]),
            **{name: name in row["flags"] for name in FLAG_FIELDS}, **row["bonuses"],
        )
        if row["exam"] is not None:
            written, listening, absent = row["exam"]
            ExamResult.objects.create(session=session, applicant=applicant, written=written, listening=listening, absent=absent)
    return call


def _stored(run) -> list[tuple]:
    fields = [c for c in adapters.RESULT_COLUMNS if c != "run_id"]
    return list(SelectionResult.objects.filter(run=run).order_by("application_id").values_list(*fields))


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.lists(rows, max_size=25), places=st.integers(0, 6))
def test_copy_paths_load_snapshot_and_store_what_the_orm_paths_do(data, places):
    postgres_required()
    call = _make_call(data)
    fast = adapters.applicants_load(call=call, fast=True)
    plain = adapters.applicants_load(call=call, fast=False)
    assert list(fast) == list(plain)
    assert [type(getattr(a, name)) for a in fast for name in a.__slots__] == [
        type(getattr(a, name)) for a in plain for name in a.__slots__
    ]

    snapshot = adapters.inputs_snapshot_build(applicants=fast)
    assert snapshot == adapters.inputs_snapshot_build(applicants=list(plain))  # lines written from the inputs
    assert adapters.inputs_snapshot_rows(snapshot) == [_json_row(a) for a in plain]  # the JSON rows of earlier runs

    rules, departments = adapters.call_rules_load(call=call)
    outcome = engine.run_selection(engine.CallRules(places=places, allocation=rules.allocation), departments, fast)
    runs = [SelectionRun.objects.create(call=call, status="finished") for _ in range(2)]
    adapters.results_store(run=runs[0], outcome=outcome, fast=True)
    adapters.results_store(run=runs[1], outcome=outcome, fast=False)
    assert _stored(runs[0]) == _stored(runs[1])


def _json_row(a: engine.ApplicantInput) -> list:
    """A row of the inputs snapshot as runs stored it before the compact form."""
    def s(value):
        return None if value is None else str(value)

    return [
        a.key, a.student_number, a.department_code, str(a.level), s(a.gpa), s(a.previous_degree_gpa),
        s(a.written), s(a.listening), a.absent, a.has_exam_result, a.prior_participations,
        sorted(str(f) for f in a.flags), [[str(c), str(st)] for c, st in a.bonuses], a.sequence,
    ]


def test_values_the_engine_would_refuse_take_the_checked_constructor():
    line = "7\t1001\tCENG\tbachelor\t-1.00\t\\N\t70\t0\tf\tt\t0\t\t\t1\n"
    with pytest.raises(engine.EngineInputError, match="gpa must not be negative"):
        adapters._inputs_from_lines(line)
    with pytest.raises(engine.EngineInputError, match="level"):
        adapters._inputs_from_lines(line.replace("bachelor", "postdoc").replace("-1.00", "3.00"))
