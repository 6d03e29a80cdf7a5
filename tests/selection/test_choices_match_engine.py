"""The models' choices and the pure engine's enums are written twice (the engine has no Django);
these tests keep them the same, so a value stored by one is understood by the other."""
import pytest

from applications.models import BONUS_FIELDS, FLAG_FIELDS, BonusClaim, Level
from mobility.models import ADJUSTMENT_CODES, AcademicFormula, AllocationStrategy
from selection import engine
from selection.models import Outcome, Reason


@pytest.mark.parametrize(
    ("choices", "enum"),
    [
        (Level, engine.Level),
        (AcademicFormula, engine.AcademicFormula),
        (AllocationStrategy, engine.AllocationStrategy),
        (Outcome, engine.Outcome),
        (Reason, engine.Reason),
    ],
)
def test_model_choices_have_the_engine_values_in_the_same_order(choices, enum):
    assert list(choices.values) == [member.value for member in enum]


def test_adjustment_codes_flags_and_bonuses_match_the_engine():
    assert list(ADJUSTMENT_CODES) == [member.value for member in engine.Adjustment]
    assert set(FLAG_FIELDS) == {code.value for code in engine.FLAG_CODES}
    assert set(BONUS_FIELDS) == {code.value for code in engine.BONUS_CODES}
    assert {c for c in BonusClaim.values if c} == {state.value for state in engine.BonusState}
