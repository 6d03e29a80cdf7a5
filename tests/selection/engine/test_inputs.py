"""Input types: defaults, building from plain dicts, and EngineInputError on bad input."""

import dataclasses

import pytest
from hypothesis import given

from selection.engine import (
    AcademicFormula,
    Adjustment,
    AllocationStrategy,
    ApplicantInput,
    BonusState,
    CallRules,
    DepartmentRules,
    EngineInputError,
    Level,
    run_selection,
)

from .support import D, applicant, departments, run
from .test_properties import SETTINGS, applicant_fields

CALL_JSON = {  # the contract's load_call example (docs/selection-files.md §1)
    "code": "UZEM-2022-SMT-1",
    "title": "Erasmus+ UZEM Consortium student traineeship, 1st period",
    "budget_eur": "5400.00",
    "planning_amount_eur": "1350.00",
    "min_gpa": {"bachelor": "2.20", "master": "2.50", "doctorate": "2.50"},
    "scoring": {
        "academic": "gpa_x25",
        "academic_weight": "0.50",
        "language_weight": "0.50",
        "written_weight": "0.75",
        "listening_weight": "0.25",
    },
    "allocation": "department_round_robin",
    "adjustments": {"prior_participation": -10, "missed_orientation": -5, "martyr_veteran_relative": 15},
    "departments": [{"code": "CENG", "name": "Bilgisayar Mühendisliği", "written_min": "60", "gpa_average": "2.89"}],
}


def test_call_rules_defaults_are_the_contract_defaults():
    rules = CallRules(places=4)
    assert rules.academic_formula is AcademicFormula.GPA_X25
    assert rules.allocation is AllocationStrategy.DEPARTMENT_ROUND_ROBIN
    assert (rules.academic_weight, rules.language_weight) == (D("0.50"), D("0.50"))
    assert (rules.written_weight, rules.listening_weight) == (D("0.75"), D("0.25"))
    assert dict(rules.min_gpa) == {
        Level.ASSOCIATE: D("2.20"), Level.BACHELOR: D("2.20"), Level.MASTER: D("2.50"), Level.DOCTORATE: D("2.50")
    }
    assert [rules.points(code) for code in Adjustment] == [D(p) for p in (-10, -10, -10, -10, -5, -5, 10, 15, 10)]


def test_call_rules_from_contract_json_computes_places_from_the_budget():
    rules = CallRules.from_dict(CALL_JSON)
    assert rules.places == 4  # floor(5400 / 1350)
    assert rules == CallRules(places=4)  # every value in the example is a default


def test_call_rules_from_dict_floors_places_and_reads_flat_keys():
    rules = CallRules.from_dict(
        {"budget_eur": "5399.99", "planning_amount_eur": "1350", "academic_formula": "department_relative",
         "allocation": "global", "adjustment_points": {"disability": "12.5"}, "min_gpa": {"master": "2.75"}}
    )
    assert rules.places == 3
    assert rules.academic_formula is AcademicFormula.DEPARTMENT_RELATIVE
    assert rules.allocation is AllocationStrategy.GLOBAL
    assert rules.points("disability") == D("12.5") and rules.points(Adjustment.MISSED_EXAM) == D("-5")
    assert rules.minimum_gpa("master") == D("2.75") and rules.minimum_gpa(Level.DOCTORATE) == D("2.50")


def test_call_rules_from_dict_explicit_places_win():
    assert CallRules.from_dict({**CALL_JSON, "places": 7}).places == 7


@pytest.mark.parametrize(
    "bad",
    [
        {"budget_eur": "100"},  # no places and no planning amount
        {"places": 1, "scoring": {"academic_weigth": "0.5"}},  # typo inside scoring
        {"places": 1, "scoring": {"academic": "gpa_x100"}},
        {"places": 1, "allocation": "quotas"},
        {"places": 1, "adjustments": {"bribery": 50}},
        {"places": 1, "adjustments": {"disability": "0.125"}},
        {"places": 1, "min_gpa": {"postdoc": "3.00"}},
        {"places": 1.5},
        {"budget_eur": "100", "planning_amount_eur": "0"},
    ],
)
def test_call_rules_from_dict_rejects_bad_values(bad):
    with pytest.raises(EngineInputError):
        CallRules.from_dict(bad)


def test_negative_places_raise_engine_input_error():
    with pytest.raises(EngineInputError, match="places"):
        CallRules(places=-1)
    with pytest.raises(EngineInputError, match="places"):
        CallRules.from_dict({"places": -2})


def test_engine_input_error_is_a_value_error():
    assert issubclass(EngineInputError, ValueError)


def test_applicant_of_an_unknown_department_raises():
    with pytest.raises(EngineInputError, match="unknown department 'PHYS'"):
        run([applicant("a"), applicant("b", "PHYS")])


def test_duplicate_applicant_key_raises():
    with pytest.raises(EngineInputError, match="duplicate applicant key 'a'"):
        run([applicant("a"), applicant("a", "MIS")])


def test_duplicate_department_raises():
    with pytest.raises(EngineInputError, match="CENG"):
        run_selection(CallRules(places=1), departments("CENG", "CENG"), [applicant("a")])


def test_department_relative_without_gpa_average_raises_when_an_eligible_applicant_needs_it():
    rules = CallRules(places=1, academic_formula="department_relative")
    depts = [DepartmentRules("CENG", D(60), D("2.89")), DepartmentRules("MIS", D(60), None)]
    with pytest.raises(EngineInputError, match="gpa_average.*MIS"):
        run_selection(rules, depts, [applicant("a", "CENG"), applicant("b", "MIS")])


def test_department_relative_without_gpa_average_is_fine_when_nobody_eligible_needs_it():
    rules = CallRules(places=1, academic_formula="department_relative")
    depts = [DepartmentRules("CENG", D(60), D("2.89")), DepartmentRules("MIS", D(60), None)]
    result = run_selection(rules, depts, [applicant("a", "CENG"), applicant("b", "MIS", absent=True)])
    assert result.by_key()["a"].academic_score == D("78.12")  # 3.00 x (25 + 1.04)
    assert result.by_key()["b"].academic_score is None  # cannot be computed without the average
    assert result.by_key()["b"].final_score is None


@pytest.mark.parametrize(
    "change",
    [
        {"gpa": 3.15},  # floats are refused: Decimal only
        {"gpa": "abc"},
        {"gpa": "NaN"},
        {"written": "-1"},
        {"level": "postdoc"},
        {"absent": "yes"},
        {"prior_participations": -1},
        {"flags": {"disability"}},  # a bonus is not a flag
        {"flags": "missed_exam"},
        {"bonuses": {"missed_exam": "verified"}},
        {"bonuses": {"disability": "maybe"}},
        {"bonuses": [("disability", "verified"), ("disability", "claimed")]},
    ],
)
def test_applicant_input_rejects_bad_values(change):
    with pytest.raises(EngineInputError):
        applicant("a", **change)


def test_applicant_input_normalises_strings_to_enums_and_decimals():
    a = ApplicantInput(
        key="k", student_number="1", department_code="CENG", level="master", gpa="3.5", written=70,
        flags=["missed_exam"], bonuses={"disability": "verified", "protection_2828": "", "martyr_veteran_relative": None},
    )
    assert a.level is Level.MASTER and a.gpa == D("3.5") and a.written == D(70)
    assert a.flags == frozenset({Adjustment.MISSED_EXAM})
    assert a.bonuses == ((Adjustment.DISABILITY, BonusState.VERIFIED),)


def test_department_rules_from_call_json_entry():
    dept = DepartmentRules.from_dict(CALL_JSON["departments"][0])
    assert dept == DepartmentRules("CENG", D(60), D("2.89"))
    assert DepartmentRules.from_dict({"code": "SENG"}) == DepartmentRules("SENG")
    with pytest.raises(EngineInputError):
        DepartmentRules("X", gpa_average="0")


def test_values_are_frozen_and_slotted():
    rules = CallRules(places=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.places = 2
    result = run([applicant("a")])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.results[0].outcome = "excluded"
    assert not hasattr(result.results[0], "__dict__")
    with pytest.raises(TypeError):
        result.by_key()["b"] = None  # read-only mapping


def test_call_rules_from_dict_reads_each_weight_from_scoring_or_from_the_top_level():
    rules = CallRules.from_dict({"places": 1, "scoring": {"academic_weight": "0.40", "written_weight": "1"},
                                 "language_weight": "0.60", "listening_weight": "0"})
    assert (rules.academic_weight, rules.language_weight) == (D("0.40"), D("0.60"))
    assert (rules.written_weight, rules.listening_weight) == (D("1"), D("0"))
    # The scoring block wins over a top-level key of the same name.
    both = CallRules.from_dict({"places": 1, "scoring": {"academic_weight": "0.30"}, "academic_weight": "0.90"})
    assert both.academic_weight == D("0.30")


@SETTINGS
@given(applicant_fields)
def test_from_canonical_gives_the_input_the_checked_constructor_gives(fields):
    # from_canonical fills a slotted draft and turns it into an ApplicantInput (types._InputDraft).
    checked = ApplicantInput(key="k", student_number="1001", **fields)
    values = [getattr(checked, name) for name in ApplicantInput.__slots__]
    fast = ApplicantInput.from_canonical(*values)
    assert type(fast) is ApplicantInput
    assert fast == checked and hash(fast) == hash(checked)
    assert [getattr(fast, name) for name in ApplicantInput.__slots__] == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.gpa = D("4.00")


def test_from_canonical_of_a_subclass_sets_the_fields_one_by_one():
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Tagged(ApplicantInput):
        tag: str = ""

    checked = applicant("a")
    values = [getattr(checked, name) for name in ApplicantInput.__slots__]
    tagged = Tagged.from_canonical(*values)
    assert type(tagged) is Tagged
    assert [getattr(tagged, name) for name in ApplicantInput.__slots__] == values
