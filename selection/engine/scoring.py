"""Eligibility, scores and adjustments of a single applicant (domain-rules §2–4).

Every score is rounded half-up to two decimals as it is computed (contract §5, Rounding):
ratio, academic, language and the Erasmus+ score. The final score is the rounded Erasmus+ score
plus the adjustment points, which is exact (document 001 applies deductions and bonuses to the
Erasmus+ score): it is never rounded again, so a score below zero cannot round away from the rule. Callers should run these under
``engine_context()`` so that a caller's altered decimal context cannot change results.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from .types import ENGINE_CONTEXT, AcademicFormula, Adjustment, AdjustmentLine, ApplicantInput, BonusState, CallRules, Level, Reason

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TWENTY_FIVE = Decimal(25)

_GRADUATE = frozenset({Level.MASTER, Level.DOCTORATE})


def engine_context():
    """Context manager: compute in the engine's decimal context."""
    return localcontext(ENGINE_CONTEXT)


def round2(value: Decimal) -> Decimal:
    """Round half-up to two decimals, as the published lists do."""
    return value.quantize(CENT, ROUND_HALF_UP)


def gpa_used(applicant: ApplicantInput) -> Decimal | None:
    """The GPA that counts: the own GPA (None or 0 = none) or, for a graduate without one,
    the previous degree's GPA from the transcript (None or 0 = not handed in)."""
    gpa = applicant.gpa
    if gpa:
        return gpa
    if applicant.level in _GRADUATE and applicant.previous_degree_gpa:
        return applicant.previous_degree_gpa
    return None


def sat_exam(applicant: ApplicantInput) -> bool:
    """True when there is a written score to use: an exam result, not absent, written given."""
    return applicant.has_exam_result and not applicant.absent and applicant.written is not None


def exclusion_reason(
    applicant: ApplicantInput, minimum_gpa: Decimal, written_min: Decimal | None
) -> Reason | None:
    """The first exclusion reason that applies (contract §5 order), or None when eligible."""
    return first_reason(applicant, gpa_used(applicant), sat_exam(applicant), minimum_gpa, written_min)


def first_reason(
    applicant: ApplicantInput, used: Decimal | None, sat: bool, minimum_gpa: Decimal, written_min: Decimal | None
) -> Reason | None:
    """``exclusion_reason`` given the applicant's ``gpa_used`` and ``sat_exam`` (the Scorer has both)."""
    if used is None:
        return Reason.MISSING_TRANSCRIPT if applicant.level in _GRADUATE else Reason.NO_GPA
    if used < minimum_gpa:
        return Reason.GPA_BELOW_MINIMUM
    if not sat:
        return Reason.ABSENT_EXAM
    if written_min is not None and applicant.written < written_min:
        return Reason.WRITTEN_BELOW_MINIMUM
    return None


def language_score(written: Decimal, listening: Decimal | None, rules: CallRules) -> Decimal:
    """written × written_weight + listening × listening_weight (listening None = 0), rounded."""
    if listening is None:
        return round2(written * rules.written_weight)
    return round2(written * rules.written_weight + listening * rules.listening_weight)


def academic_score(
    gpa: Decimal, rules: CallRules, gpa_average: Decimal | None = None
) -> tuple[Decimal, Decimal | None]:
    """(academic score, ratio). gpa_x25: GPA × 25. department_relative: ratio = GPA / average
    (rounded), academic = GPA × (25 + ratio) (rounded); 3.15 / 2.89 → 1.09 → 82.18."""
    if rules.academic_formula is AcademicFormula.GPA_X25:
        return round2(gpa * TWENTY_FIVE), None
    if gpa_average is None:
        raise ValueError("department_relative scoring needs the department's gpa_average")
    ratio = round2(gpa / gpa_average)
    return round2(gpa * (TWENTY_FIVE + ratio)), ratio


def erasmus_score(academic: Decimal, language: Decimal, rules: CallRules) -> Decimal:
    """academic × academic_weight + language × language_weight, rounded."""
    return round2(academic * rules.academic_weight + language * rules.language_weight)


def final_score(academic: Decimal, language: Decimal, adjustments_total: Decimal, rules: CallRules) -> Decimal:
    """The rounded Erasmus+ score plus the adjustments (two decimals each, so the sum is exact)."""
    return erasmus_score(academic, language, rules) + adjustments_total


def adjustment_lines(applicant: ApplicantInput, rules: CallRules) -> tuple[tuple[AdjustmentLine, ...], Decimal]:
    """The itemised deductions and bonuses, in code order, and the total of the applied points.

    prior_participation counts once per earlier participation (1 → -10, 2 → -20, 3 → -30);
    each flag once; a bonus only when ``verified`` — a ``claimed`` bonus is listed with
    points 0 and applied False so the list can say that the document was not accepted.
    """
    lines: list[AdjustmentLine] = []
    total = ZERO
    count = applicant.prior_participations
    if count:
        points = rules.points(Adjustment.PRIOR_PARTICIPATION) * count
        lines.append(AdjustmentLine(Adjustment.PRIOR_PARTICIPATION, round2(points), count, True))
        total += points
    flags = applicant.flags
    bonuses = dict(applicant.bonuses)
    for code, points in rules.adjustment_points:
        if code in flags:
            lines.append(AdjustmentLine(code, round2(points), 1, True))
            total += points
        elif code in bonuses:
            if bonuses[code] is BonusState.VERIFIED:
                lines.append(AdjustmentLine(code, round2(points), 1, True))
                total += points
            else:
                lines.append(AdjustmentLine(code, ZERO, 1, False))
    return tuple(lines), round2(total)


class Score(NamedTuple):
    """Everything scoring knows about one applicant (allocation adds rank, round, order)."""

    reason: Reason | None
    gpa_used: Decimal | None
    ratio: Decimal | None
    academic_score: Decimal | None
    language_score: Decimal | None
    adjustments: tuple[AdjustmentLine, ...]
    adjustments_total: Decimal
    final_score: Decimal | None


_new_score = tuple.__new__  # Score(...) without the generated __new__'s argument parsing


class Scorer:
    """Scores applicants under one call's rules; the engine's hot path (what ``run_selection`` runs).

    Every rule is stated once, in the small functions above; the Scorer only calls them in
    order and computes each identical set of adjustments once. Call it inside
    ``engine_context()``. Under department_relative without a ``gpa_average`` the academic
    (and final) score is left None; ``run_selection`` refuses that for an eligible applicant.
    """

    __slots__ = ("_adjustments", "_minimum", "_relative", "_rules")

    def __init__(self, rules: CallRules) -> None:
        self._rules = rules
        self._minimum = dict(rules.min_gpa)
        self._relative = rules.academic_formula is AcademicFormula.DEPARTMENT_RELATIVE
        self._adjustments: dict[tuple, tuple[tuple[AdjustmentLine, ...], Decimal]] = {}

    def __call__(self, applicant: ApplicantInput, written_min: Decimal | None, gpa_average: Decimal | None) -> Score:
        rules = self._rules
        used = gpa_used(applicant)
        sat = sat_exam(applicant)
        reason = first_reason(applicant, used, sat, self._minimum[applicant.level], written_min)

        academic = ratio = None
        if used is not None and (gpa_average is not None or not self._relative):
            academic, ratio = academic_score(used, rules, gpa_average)

        language = None
        if sat:
            language = language_score(applicant.written, applicant.listening, rules)

        cache_key = (applicant.prior_participations, applicant.flags, applicant.bonuses)
        adjustments = self._adjustments.get(cache_key)
        if adjustments is None:
            adjustments = self._adjustments[cache_key] = adjustment_lines(applicant, rules)
        lines, total = adjustments

        final = None
        if academic is not None and language is not None:
            final = final_score(academic, language, total, rules)
        return _new_score(Score, (reason, used, ratio, academic, language, lines, total, final))
