"""Pure-Python selection engine: eligibility, scores, ranking and allocation of a call.

No Django here (a test checks it): the portal maps its models to these inputs and stores
the outputs. Rules: the domain rules §2–5 (docs/rules.md) and docs/selection-files.md.
"""

from .allocation import Candidate, Placement, allocate, ranking_key
from .defaults import call_places
from .runner import run_selection
from .scoring import Score, Scorer, academic_score, adjustment_lines, exclusion_reason, final_score, gpa_used, language_score, round2
from .types import (
    BONUS_CODES,
    FLAG_CODES,
    AcademicFormula,
    Adjustment,
    AdjustmentLine,
    AllocationStrategy,
    ApplicantInput,
    ApplicantResult,
    BonusState,
    CallRules,
    DepartmentRules,
    EngineInputError,
    Level,
    Outcome,
    Reason,
    SelectionResult,
)

__all__ = [
    "BONUS_CODES",
    "FLAG_CODES",
    "AcademicFormula",
    "Adjustment",
    "AdjustmentLine",
    "AllocationStrategy",
    "ApplicantInput",
    "ApplicantResult",
    "BonusState",
    "CallRules",
    "Candidate",
    "DepartmentRules",
    "EngineInputError",
    "Level",
    "Outcome",
    "Placement",
    "Reason",
    "Score",
    "Scorer",
    "SelectionResult",
    "academic_score",
    "adjustment_lines",
    "allocate",
    "call_places",
    "exclusion_reason",
    "final_score",
    "gpa_used",
    "language_score",
    "ranking_key",
    "round2",
    "run_selection",
]
