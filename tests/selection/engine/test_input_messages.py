"""Every refusal of bad engine input says, in one line, what is wrong (exact messages).

The office reads these when a call file or an import does not fit the engine; a message that
names the wrong field, or none, sends them looking in the wrong place.
"""

from decimal import Decimal as D

import pytest

from selection.engine import AllocationStrategy, ApplicantInput, CallRules, DepartmentRules, EngineInputError, academic_score, run_selection
from selection.engine.allocation import allocate

from .support import applicant, departments, run

UNKNOWN = "applicant 'a{0}' (student a{0}) is in unknown department 'PHYS'"

CASES = [
    pytest.param(
        lambda: run_selection({"places": 1}, [], []),
        EngineInputError,
        "rules must be CallRules, not dict",
        id="rules not CallRules",
    ),
    pytest.param(
        lambda: run_selection(CallRules(places=1), ["CENG"], []),
        EngineInputError,
        "departments must be DepartmentRules, not str",
        id="department not DepartmentRules",
    ),
    pytest.param(
        lambda: run_selection(CallRules(places=1), departments("CENG"), [{"key": "a"}]),
        EngineInputError,
        "applicants must be ApplicantInput, not dict",
        id="applicant not ApplicantInput",
    ),
    pytest.param(
        lambda: run_selection(CallRules(places=1), departments("CENG", "CENG"), []),
        EngineInputError,
        "department 'CENG' given twice",
        id="department twice",
    ),
    pytest.param(
        lambda: run([applicant(f"a{i}", "PHYS") for i in range(11)]),
        EngineInputError,
        "; ".join(UNKNOWN.format(i) for i in range(10)) + "; and 1 more",
        id="eleven problems",
    ),
    pytest.param(
        lambda: run([applicant(f"a{i}", "PHYS") for i in range(10)]),
        EngineInputError,
        "; ".join(UNKNOWN.format(i) for i in range(10)),
        id="ten problems",
    ),
    pytest.param(
        lambda: run([applicant("a", "PHYS"), applicant("a", "MIS")]),
        EngineInputError,
        "applicant 'a' (student a) is in unknown department 'PHYS'; duplicate applicant key 'a'",
        id="two problems",
    ),
    pytest.param(
        lambda: run_selection(
            CallRules(places=1, academic_formula="department_relative"),
            [DepartmentRules("MIS"), DepartmentRules("CENG")],
            [applicant("a", "MIS"), applicant("b", "CENG")],
        ),
        EngineInputError,
        "department_relative scoring needs gpa_average for department(s) CENG, MIS",
        id="relative without average",
    ),
    pytest.param(
        lambda: academic_score(D(3), CallRules(places=1, academic_formula="department_relative")),
        ValueError,
        "department_relative scoring needs the department's gpa_average",
        id="helper relative without average",
    ),
    pytest.param(
        lambda: allocate([], AllocationStrategy.GLOBAL, -1),
        ValueError,
        "places must not be negative",
        id="allocate negative",
    ),
    pytest.param(lambda: CallRules(places=1.5), EngineInputError, "places must be an int, not 1.5", id="places float"),
    pytest.param(lambda: CallRules(places=True), EngineInputError, "places must be an int, not True", id="places bool"),
    pytest.param(
        lambda: CallRules(places=-1), EngineInputError, "places must be at least 0, got -1", id="places negative"
    ),
    pytest.param(
        lambda: CallRules(places=1, academic_weight=None),
        EngineInputError,
        "academic_weight is required",
        id="weight missing",
    ),
    pytest.param(
        lambda: CallRules(places=1, academic_weight=0.5),
        EngineInputError,
        "academic_weight must be a Decimal, int or numeric string, not 0.5",
        id="weight float",
    ),
    pytest.param(
        lambda: CallRules(places=1, written_weight=[1]),
        EngineInputError,
        "written_weight must be a Decimal, int or numeric string, not [1]",
        id="weight object",
    ),
    pytest.param(
        lambda: CallRules(places=1, written_weight="half"),
        EngineInputError,
        "written_weight is not a number: 'half'",
        id="weight text",
    ),
    pytest.param(
        lambda: CallRules(places=1, listening_weight="Infinity"),
        EngineInputError,
        "listening_weight must be a finite number, not 'Infinity'",
        id="weight infinite",
    ),
    pytest.param(
        lambda: CallRules(places=1, language_weight="-0.5"),
        EngineInputError,
        "language_weight must not be negative, got -0.5",
        id="weight negative",
    ),
    pytest.param(
        lambda: CallRules(places=1, academic_formula="gpa_x100"),
        EngineInputError,
        "academic_formula: 'gpa_x100' is not one of gpa_x25, department_relative",
        id="formula",
    ),
    pytest.param(
        lambda: CallRules(places=1, allocation="quotas"),
        EngineInputError,
        "allocation: 'quotas' is not one of department_round_robin, global",
        id="allocation",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa="2.20"),
        EngineInputError,
        "min_gpa must be a mapping or pairs, not a string",
        id="min_gpa string",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa=5),
        EngineInputError,
        "min_gpa must be a mapping or (key, value) pairs",
        id="min_gpa not pairs",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa=[("master", "2.5", "x")]),
        EngineInputError,
        "min_gpa must be a mapping or (key, value) pairs",
        id="min_gpa triples",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa=[("master", "2.5"), ("master", "2.6")]),
        EngineInputError,
        "min_gpa: level master given twice",
        id="min_gpa twice",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa={"postdoc": "3"}),
        EngineInputError,
        "min_gpa level: 'postdoc' is not one of associate, bachelor, master, doctorate",
        id="min_gpa level",
    ),
    pytest.param(
        lambda: CallRules(places=1, min_gpa={"master": "-1"}),
        EngineInputError,
        "min_gpa[master] must not be negative, got -1",
        id="min_gpa negative",
    ),
    pytest.param(
        lambda: CallRules(places=1, adjustment_points=[("disability", 5), ("disability", 6)]),
        EngineInputError,
        "adjustment_points: disability given twice",
        id="points twice",
    ),
    pytest.param(
        lambda: CallRules(places=1, adjustment_points={"bribery": 5}),
        EngineInputError,
        "adjustment code: 'bribery' is not one of prior_participation, same_year_study_primary, late_withdrawal, non_prioritised_choice, missed_orientation, missed_exam, disability, martyr_veteran_relative, protection_2828",
        id="points code",
    ),
    pytest.param(
        lambda: CallRules(places=1, adjustment_points={"disability": "0.125"}),
        EngineInputError,
        "adjustment_points[disability] has more than two decimals: 0.125",
        id="points three decimals",
    ),
    pytest.param(
        lambda: CallRules(places=1, adjustment_points={"disability": None}),
        EngineInputError,
        "adjustment_points[disability] is required",
        id="points missing",
    ),
    pytest.param(
        lambda: CallRules(places=1).points("bribery"),
        EngineInputError,
        "adjustment code: 'bribery' is not one of prior_participation, same_year_study_primary, late_withdrawal, non_prioritised_choice, missed_orientation, missed_exam, disability, martyr_veteran_relative, protection_2828",
        id="points code lookup",
    ),
    pytest.param(
        lambda: CallRules(places=1).minimum_gpa("postdoc"),
        EngineInputError,
        "level: 'postdoc' is not one of associate, bachelor, master, doctorate",
        id="minimum level lookup",
    ),
    pytest.param(
        lambda: CallRules.from_dict([("places", 1)]),
        EngineInputError,
        "call rules must be a mapping",
        id="from_dict not mapping",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"places": 1, "scoring": ["gpa_x25"]}),
        EngineInputError,
        "scoring must be a mapping",
        id="from_dict scoring not mapping",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"places": 1, "scoring": {"academic_weigth": "1", "bonus": 2}}),
        EngineInputError,
        "scoring: unknown keys ['academic_weigth', 'bonus']",
        id="from_dict unknown scoring",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"places": 1, "adjustments": {}, "adjustment_points": {}}),
        EngineInputError,
        "give either adjustments or adjustment_points, not both",
        id="from_dict both adjustments",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"budget_eur": "100", "planning_amount_eur": "0"}),
        EngineInputError,
        "planning_amount_eur must be positive",
        id="from_dict zero planning",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"budget_eur": "-100", "planning_amount_eur": "10"}),
        EngineInputError,
        "budget_eur must not be negative, got -100",
        id="from_dict negative budget",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"budget_eur": "100", "planning_amount_eur": "-10"}),
        EngineInputError,
        "planning_amount_eur must not be negative, got -10",
        id="from_dict negative planning",
    ),
    pytest.param(
        lambda: CallRules.from_dict({"budget_eur": "100"}),
        EngineInputError,
        "places is required (or budget_eur and planning_amount_eur)",
        id="from_dict no places",
    ),
    pytest.param(
        lambda: DepartmentRules(""),
        EngineInputError,
        "department code must be a non-empty string, not ''",
        id="department code empty",
    ),
    pytest.param(
        lambda: DepartmentRules(5),
        EngineInputError,
        "department code must be a non-empty string, not 5",
        id="department code not str",
    ),
    pytest.param(
        lambda: DepartmentRules("CENG", "-1"),
        EngineInputError,
        "CENG: written_min must not be negative, got -1",
        id="department written_min negative",
    ),
    pytest.param(
        lambda: DepartmentRules("CENG", None, "0"),
        EngineInputError,
        "CENG: gpa_average must be positive, got 0",
        id="department average zero",
    ),
    pytest.param(
        lambda: DepartmentRules("CENG", None, "x"),
        EngineInputError,
        "CENG: gpa_average is not a number: 'x'",
        id="department average text",
    ),
    pytest.param(
        lambda: DepartmentRules.from_dict({"name": "X"}),
        EngineInputError,
        "department must be a mapping with a code, not {'name': 'X'}",
        id="department from_dict no code",
    ),
    pytest.param(
        lambda: DepartmentRules.from_dict("CENG"),
        EngineInputError,
        "department must be a mapping with a code, not 'CENG'",
        id="department from_dict not mapping",
    ),
    pytest.param(
        lambda: ApplicantInput(key=1, student_number="1", department_code="CENG", level="bachelor"),
        EngineInputError,
        "applicant key must be a string, not 1",
        id="applicant key not str",
    ),
    pytest.param(
        lambda: ApplicantInput(key="k", student_number=1, department_code="CENG", level="bachelor"),
        EngineInputError,
        "applicant student_number must be a string, not 1",
        id="applicant number not str",
    ),
    pytest.param(
        lambda: ApplicantInput(key="k", student_number="1", department_code=None, level="bachelor"),
        EngineInputError,
        "applicant department_code must be a string, not None",
        id="applicant dept not str",
    ),
    pytest.param(
        lambda: applicant("a", level="postdoc"),
        EngineInputError,
        "applicant 'a': level: 'postdoc' is not one of associate, bachelor, master, doctorate",
        id="applicant level",
    ),
    pytest.param(
        lambda: applicant("a", gpa=3.15),
        EngineInputError,
        "applicant 'a': gpa must be a Decimal, int or numeric string, not 3.15",
        id="applicant gpa float",
    ),
    pytest.param(
        lambda: applicant("a", written="-1"),
        EngineInputError,
        "applicant 'a': written must not be negative, got -1",
        id="applicant written negative",
    ),
    pytest.param(
        lambda: applicant("a", listening="NaN"),
        EngineInputError,
        "applicant 'a': listening must be a finite number, not 'NaN'",
        id="applicant listening nan",
    ),
    pytest.param(
        lambda: applicant("a", absent="yes"),
        EngineInputError,
        "applicant 'a': absent must be True or False, not 'yes'",
        id="applicant absent",
    ),
    pytest.param(
        lambda: applicant("a", has_exam_result=1),
        EngineInputError,
        "applicant 'a': has_exam_result must be True or False, not 1",
        id="applicant has_exam_result",
    ),
    pytest.param(
        lambda: applicant("a", prior_participations=-1),
        EngineInputError,
        "applicant 'a': prior_participations must be at least 0, got -1",
        id="applicant prior negative",
    ),
    pytest.param(
        lambda: applicant("a", prior_participations=True),
        EngineInputError,
        "applicant 'a': prior_participations must be an int, not True",
        id="applicant prior bool",
    ),
    pytest.param(
        lambda: applicant("a", sequence="1"),
        EngineInputError,
        "applicant 'a': sequence must be an int, not '1'",
        id="applicant sequence",
    ),
    pytest.param(
        lambda: applicant("a", flags="missed_exam"),
        EngineInputError,
        "applicant 'a': flags must be a collection of codes, not a string",
        id="applicant flags string",
    ),
    pytest.param(
        lambda: applicant("a", flags={"bribery"}),
        EngineInputError,
        "applicant 'a': flag: 'bribery' is not one of prior_participation, same_year_study_primary, late_withdrawal, non_prioritised_choice, missed_orientation, missed_exam, disability, martyr_veteran_relative, protection_2828",
        id="applicant flag code",
    ),
    pytest.param(
        lambda: applicant("a", flags={"protection_2828", "disability", "missed_exam"}),
        EngineInputError,
        "applicant 'a': disability, protection_2828 cannot be a flag (flags: late_withdrawal, missed_exam, missed_orientation, non_prioritised_choice, same_year_study_primary)",
        id="applicant bonus as flag",
    ),
    pytest.param(
        lambda: applicant("a", bonuses={"missed_exam": "verified"}),
        EngineInputError,
        "applicant 'a': missed_exam is not a bonus",
        id="applicant bonus code",
    ),
    pytest.param(
        lambda: applicant("a", bonuses={"bribery": "verified"}),
        EngineInputError,
        "applicant 'a': bonus: 'bribery' is not one of prior_participation, same_year_study_primary, late_withdrawal, non_prioritised_choice, missed_orientation, missed_exam, disability, martyr_veteran_relative, protection_2828",
        id="applicant bonus unknown",
    ),
    pytest.param(
        lambda: applicant("a", bonuses={"disability": "maybe"}),
        EngineInputError,
        "applicant 'a': bonus disability: 'maybe' is not one of verified, claimed",
        id="applicant bonus state",
    ),
    pytest.param(
        lambda: applicant("a", bonuses=[("disability", "verified"), ("disability", "claimed")]),
        EngineInputError,
        "applicant 'a': bonus disability given twice",
        id="applicant bonus twice",
    ),
]


@pytest.mark.parametrize(("build", "error", "message"), CASES)
def test_bad_input_is_refused_with_one_exact_message(build, error, message):
    with pytest.raises(error) as raised:
        build()
    assert type(raised.value) is error
    assert str(raised.value) == message
