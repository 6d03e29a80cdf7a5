"""Value types of the selection engine: enums, inputs, outputs and the input error.

Everything here is immutable (frozen, slotted dataclasses) and uses ``Decimal`` for
scores and GPAs; floats are refused so that no binary rounding can creep in.
The rules come from the domain rules §2–5 (docs/rules.md) and the call contract
(``docs/selection-files.md``); the contract's defaults live in ``defaults.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from types import MappingProxyType
from typing import Any

from . import defaults


class EngineInputError(ValueError):
    """The engine was given inputs it cannot score (unknown department, duplicate key, ...)."""


class Level(enum.StrEnum):
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class AcademicFormula(enum.StrEnum):
    GPA_X25 = "gpa_x25"
    DEPARTMENT_RELATIVE = "department_relative"


class AllocationStrategy(enum.StrEnum):
    DEPARTMENT_ROUND_ROBIN = "department_round_robin"
    GLOBAL = "global"


class Outcome(enum.StrEnum):
    PRIMARY = "primary"
    RESERVE = "reserve"
    EXCLUDED = "excluded"


class Reason(enum.StrEnum):
    """Exclusion reasons, declared in the order of precedence (the first that applies wins)."""

    NO_GPA = "no_gpa"
    MISSING_TRANSCRIPT = "missing_transcript"
    GPA_BELOW_MINIMUM = "gpa_below_minimum"
    ABSENT_EXAM = "absent_exam"
    WRITTEN_BELOW_MINIMUM = "written_below_minimum"


class Adjustment(enum.StrEnum):
    """Deduction and bonus codes, in the order adjustment lines are listed."""

    PRIOR_PARTICIPATION = "prior_participation"
    SAME_YEAR_STUDY_PRIMARY = "same_year_study_primary"
    LATE_WITHDRAWAL = "late_withdrawal"
    NON_PRIORITISED_CHOICE = "non_prioritised_choice"
    MISSED_ORIENTATION = "missed_orientation"
    MISSED_EXAM = "missed_exam"
    DISABILITY = "disability"
    MARTYR_VETERAN_RELATIVE = "martyr_veteran_relative"
    PROTECTION_2828 = "protection_2828"


class BonusState(enum.StrEnum):
    VERIFIED = "verified"  # document accepted by the office: the bonus counts
    CLAIMED = "claimed"  # declared but not accepted: no bonus


#: Boolean deductions an applicant can carry in ``ApplicantInput.flags``.
FLAG_CODES: frozenset[Adjustment] = frozenset(
    {
        Adjustment.SAME_YEAR_STUDY_PRIMARY,
        Adjustment.LATE_WITHDRAWAL,
        Adjustment.NON_PRIORITISED_CHOICE,
        Adjustment.MISSED_ORIENTATION,
        Adjustment.MISSED_EXAM,
    }
)
#: Bonuses that need an accepted document (``ApplicantInput.bonuses``).
BONUS_CODES: frozenset[Adjustment] = frozenset(
    {Adjustment.DISABILITY, Adjustment.MARTYR_VETERAN_RELATIVE, Adjustment.PROTECTION_2828}
)

#: Decimal context the engine computes in, whatever the caller's thread context is.
ENGINE_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

_ADJUSTMENT_ORDER = {code: i for i, code in enumerate(Adjustment)}
_LEVEL_ORDER = {level: i for i, level in enumerate(Level)}

DEFAULT_MIN_GPA: tuple[tuple[Level, Decimal], ...] = (
    (Level.ASSOCIATE, defaults.MIN_GPA["bachelor"]),
    *((Level(level), value) for level, value in defaults.MIN_GPA.items()),
)

DEFAULT_ADJUSTMENT_POINTS: tuple[tuple[Adjustment, Decimal], ...] = tuple(
    (Adjustment(code), points) for code, points in defaults.ADJUSTMENT_POINTS.items()
)


# --------------------------------------------------------------------------- coercion helpers


def _decimal(value: Any, what: str, *, optional: bool = False) -> Decimal | None:
    """Coerce ``value`` (Decimal, int or numeric string) to a finite Decimal; floats are refused."""
    if value is None or (optional and isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise EngineInputError(f"{what} is required")
    if isinstance(value, bool) or isinstance(value, float):
        raise EngineInputError(f"{what} must be a Decimal, int or numeric string, not {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise EngineInputError(f"{what} is not a number: {value!r}") from None
    else:
        raise EngineInputError(f"{what} must be a Decimal, int or numeric string, not {value!r}")
    if not result.is_finite():
        raise EngineInputError(f"{what} must be a finite number, not {value!r}")
    return result


def _non_negative(value: Any, what: str, *, optional: bool = False) -> Decimal | None:
    result = _decimal(value, what, optional=optional)
    if result is not None and result < 0:
        raise EngineInputError(f"{what} must not be negative, got {result}")
    return result


def _enum(cls: type[enum.StrEnum], value: Any, what: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise EngineInputError(f"{what}: {value!r} is not one of {allowed}") from None


def _bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise EngineInputError(f"{what} must be True or False, not {value!r}")
    return value


def _int(value: Any, what: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EngineInputError(f"{what} must be an int, not {value!r}")
    if minimum is not None and value < minimum:
        raise EngineInputError(f"{what} must be at least {minimum}, got {value}")
    return value


def _pairs(value: Any, what: str) -> list[tuple[Any, Any]]:
    """A mapping or an iterable of (key, value) pairs, as a list of pairs."""
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (str, bytes)):
        raise EngineInputError(f"{what} must be a mapping or pairs, not a string")
    try:
        pairs = [tuple(p) for p in value]
    except TypeError:
        raise EngineInputError(f"{what} must be a mapping or (key, value) pairs") from None
    if any(len(p) != 2 for p in pairs):
        raise EngineInputError(f"{what} must be a mapping or (key, value) pairs")
    return pairs


def _at_most_two_decimals(value: Decimal) -> bool:
    if value.as_tuple().exponent >= -2:
        return True
    with localcontext(ENGINE_CONTEXT):
        try:
            return value == value.quantize(Decimal("0.01"))
        except InvalidOperation:
            return False


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRules:
    """Per-call scoring and allocation rules.

    ``min_gpa`` and ``adjustment_points`` accept a mapping or (code, value) pairs; they are
    normalised to a full tuple of pairs (omitted entries take the contract's defaults; the
    associate minimum follows the bachelor minimum unless given). ``places`` is the number
    of primary places, ``defaults.call_places(...)`` (floor(budget / planning amount)), computed by the caller.
    """

    places: int
    academic_formula: AcademicFormula = AcademicFormula(defaults.ACADEMIC_FORMULA)
    academic_weight: Decimal = defaults.ACADEMIC_WEIGHT
    language_weight: Decimal = defaults.LANGUAGE_WEIGHT
    written_weight: Decimal = defaults.WRITTEN_WEIGHT
    listening_weight: Decimal = defaults.LISTENING_WEIGHT
    min_gpa: tuple[tuple[Level, Decimal], ...] = DEFAULT_MIN_GPA
    allocation: AllocationStrategy = AllocationStrategy(defaults.ALLOCATION)
    adjustment_points: tuple[tuple[Adjustment, Decimal], ...] = DEFAULT_ADJUSTMENT_POINTS

    def __post_init__(self) -> None:
        _set(self, "places", _int(self.places, "places", minimum=0))
        _set(self, "academic_formula", _enum(AcademicFormula, self.academic_formula, "academic_formula"))
        _set(self, "allocation", _enum(AllocationStrategy, self.allocation, "allocation"))
        for name in ("academic_weight", "language_weight", "written_weight", "listening_weight"):
            _set(self, name, _non_negative(getattr(self, name), name))

        given: dict[Level, Decimal] = {}
        for raw_level, raw_value in _pairs(self.min_gpa, "min_gpa"):
            level = _enum(Level, raw_level, "min_gpa level")
            if level in given:
                raise EngineInputError(f"min_gpa: level {level} given twice")
            given[level] = _non_negative(raw_value, f"min_gpa[{level}]")
        defaults = dict(DEFAULT_MIN_GPA)
        bachelor = given.get(Level.BACHELOR, defaults[Level.BACHELOR])
        full = {
            Level.ASSOCIATE: given.get(Level.ASSOCIATE, bachelor),
            Level.BACHELOR: bachelor,
            Level.MASTER: given.get(Level.MASTER, defaults[Level.MASTER]),
            Level.DOCTORATE: given.get(Level.DOCTORATE, defaults[Level.DOCTORATE]),
        }
        _set(self, "min_gpa", tuple(sorted(full.items(), key=lambda p: _LEVEL_ORDER[p[0]])))

        points = dict(DEFAULT_ADJUSTMENT_POINTS)
        seen: set[Adjustment] = set()
        for raw_code, raw_points in _pairs(self.adjustment_points, "adjustment_points"):
            code = _enum(Adjustment, raw_code, "adjustment code")
            if code in seen:
                raise EngineInputError(f"adjustment_points: {code} given twice")
            seen.add(code)
            value = _decimal(raw_points, f"adjustment_points[{code}]")
            if not _at_most_two_decimals(value):
                raise EngineInputError(f"adjustment_points[{code}] has more than two decimals: {value}")
            points[code] = value
        _set(self, "adjustment_points", tuple(sorted(points.items(), key=lambda p: _ADJUSTMENT_ORDER[p[0]])))

    def points(self, code: Adjustment | str) -> Decimal:
        """Points added to the final score for one occurrence of ``code`` (negative = deduction)."""
        code = _enum(Adjustment, code, "adjustment code")
        for candidate, value in self.adjustment_points:
            if candidate is code:
                return value
        raise AssertionError("adjustment_points is always complete")  # pragma: no cover, no mutate (unreachable)

    def minimum_gpa(self, level: Level | str) -> Decimal:
        """The minimum GPA for ``level`` (associate falls back to the bachelor minimum)."""
        level = _enum(Level, level, "level")
        for candidate, value in self.min_gpa:
            if candidate is level:
                return value
        raise AssertionError("min_gpa is always complete")  # pragma: no cover, no mutate (unreachable)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CallRules:
        """Build from a plain dict, e.g. the call JSON of the contract (``load_call``).

        Reads ``places`` (or, when absent, floor(``budget_eur`` / ``planning_amount_eur``)),
        ``allocation``, ``min_gpa``, ``adjustments`` (or ``adjustment_points``) and the
        ``scoring`` block (``academic``, ``*_weight``); the same scoring keys are also accepted
        at top level (``academic_formula`` for ``academic``). Other top-level keys of the call
        file (code, title, departments, ...) are ignored; unknown keys inside ``scoring`` are errors.
        """
        if not isinstance(data, Mapping):
            raise EngineInputError("call rules must be a mapping")
        scoring = data.get("scoring") or {}
        if not isinstance(scoring, Mapping):
            raise EngineInputError("scoring must be a mapping")
        weights = ("academic_weight", "language_weight", "written_weight", "listening_weight")
        unknown = set(scoring) - {"academic", *weights}
        if unknown:
            raise EngineInputError(f"scoring: unknown keys {sorted(unknown)}")

        kwargs: dict[str, Any] = {}
        formula = scoring.get("academic", data.get("academic_formula"))
        if formula is not None:
            kwargs["academic_formula"] = formula
        for name in weights:
            value = scoring.get(name, data.get(name))
            if value is not None:
                kwargs[name] = value
        if data.get("allocation") is not None:
            kwargs["allocation"] = data["allocation"]
        if data.get("min_gpa") is not None:
            kwargs["min_gpa"] = data["min_gpa"]
        if "adjustments" in data and "adjustment_points" in data:
            raise EngineInputError("give either adjustments or adjustment_points, not both")
        adjustments = data.get("adjustments", data.get("adjustment_points"))
        if adjustments is not None:
            kwargs["adjustment_points"] = adjustments

        if data.get("places") is not None:
            kwargs["places"] = data["places"]
        elif data.get("budget_eur") is not None and data.get("planning_amount_eur") is not None:
            budget = _non_negative(data["budget_eur"], "budget_eur")
            planning = _non_negative(data["planning_amount_eur"], "planning_amount_eur")
            if planning == 0:
                raise EngineInputError("planning_amount_eur must be positive")
            kwargs["places"] = defaults.call_places(budget_eur=budget, planning_amount_eur=planning)
        else:
            raise EngineInputError("places is required (or budget_eur and planning_amount_eur)")
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class DepartmentRules:
    """A department of the call: its written-exam minimum and (for department_relative) GPA average."""

    code: str
    written_min: Decimal | None = None
    gpa_average: Decimal | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code:
            raise EngineInputError(f"department code must be a non-empty string, not {self.code!r}")
        _set(self, "written_min", _non_negative(self.written_min, f"{self.code}: written_min", optional=True))
        average = _decimal(self.gpa_average, f"{self.code}: gpa_average", optional=True)
        if average is not None and average <= 0:
            raise EngineInputError(f"{self.code}: gpa_average must be positive, got {average}")
        _set(self, "gpa_average", average)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DepartmentRules:
        """Build from a department entry of the call JSON (``name`` and other keys are ignored)."""
        if not isinstance(data, Mapping) or "code" not in data:
            raise EngineInputError(f"department must be a mapping with a code, not {data!r}")
        return cls(data["code"], data.get("written_min"), data.get("gpa_average"))


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantInput:
    """One application with its exam result, as the engine needs it.

    ``gpa`` None or 0 means no GPA. ``listening`` None counts as 0. ``written`` None means
    no written score (scored as absent). ``flags`` holds the boolean deductions; ``bonuses``
    (mapping or pairs) the disability / martyr_veteran_relative / protection_2828 claims.
    ``sequence`` orders applications by time (smaller = earlier) for the final tie-break.
    """

    key: str
    student_number: str
    department_code: str
    level: Level
    gpa: Decimal | None = None
    previous_degree_gpa: Decimal | None = None
    written: Decimal | None = None
    listening: Decimal | None = None
    absent: bool = False
    has_exam_result: bool = True
    prior_participations: int = 0
    flags: frozenset[Adjustment] = frozenset()
    bonuses: tuple[tuple[Adjustment, BonusState], ...] = ()
    sequence: int = 0

    def __post_init__(self) -> None:
        if self._canonical():
            return  # already what the checks below would make of it (loading 50,000 rows: ~5x faster)
        self._normalise()

    @classmethod
    def from_canonical(
        cls, key: str, student_number: str, department_code: str, level: Level, gpa: Decimal | None,
        previous_degree_gpa: Decimal | None, written: Decimal | None, listening: Decimal | None, absent: bool,
        has_exam_result: bool, prior_participations: int, flags: frozenset[Adjustment],
        bonuses: tuple[tuple[Adjustment, BonusState], ...], sequence: int,
    ) -> ApplicantInput:
        """Build from field values in declaration order that are already canonical, skipping the checks.

        For a caller whose values come from typed storage (the portal's database adapter): Decimal
        values that are finite and not negative, a Level, bools, ints, a frozenset of flag codes and
        bonuses as normalising leaves them. Tests compare its results with the checked constructor's.

        The fields are written into a draft with the same slots, which then becomes an
        ApplicantInput (the engine's results are made the same way, see runner._Draft): plain
        attribute writes cost a third of fourteen ``object.__setattr__`` calls.
        """
        if cls is not ApplicantInput:  # a subclass may have other slots: set the fields one by one
            applicant = object.__new__(cls)
            for set_slot, value in zip(_INPUT_SLOTS, (
                key, student_number, department_code, level, gpa, previous_degree_gpa, written, listening, absent,
                has_exam_result, prior_participations, flags, bonuses, sequence,
            )):
                set_slot(applicant, value)
            return applicant
        applicant = object.__new__(_InputDraft)
        applicant.key = key
        applicant.student_number = student_number
        applicant.department_code = department_code
        applicant.level = level
        applicant.gpa = gpa
        applicant.previous_degree_gpa = previous_degree_gpa
        applicant.written = written
        applicant.listening = listening
        applicant.absent = absent
        applicant.has_exam_result = has_exam_result
        applicant.prior_participations = prior_participations
        applicant.flags = flags
        applicant.bonuses = bonuses
        applicant.sequence = sequence
        applicant.__class__ = ApplicantInput
        return applicant

    def _canonical(self) -> bool:
        """True when every field already has the type and form the checks below produce."""
        for value in (self.gpa, self.previous_degree_gpa, self.written, self.listening):
            if value is not None and (type(value) is not Decimal or not value.is_finite() or value < _ZERO):
                return False
        if not (type(self.key) is str and type(self.student_number) is str and type(self.department_code) is str):
            return False
        if type(self.level) is not Level or type(self.absent) is not bool or type(self.has_exam_result) is not bool:
            return False
        if type(self.prior_participations) is not int or self.prior_participations < 0 or type(self.sequence) is not int:
            return False
        flags = self.flags
        if type(flags) is not frozenset or (flags and not (all(type(f) is Adjustment for f in flags) and flags <= FLAG_CODES)):
            return False
        return not self.bonuses or _canonical_bonuses(self.bonuses)

    def _normalise(self) -> None:
        for name in ("key", "student_number", "department_code"):
            if not isinstance(getattr(self, name), str):
                raise EngineInputError(f"applicant {name} must be a string, not {getattr(self, name)!r}")
        who = f"applicant {self.key!r}"
        _set(self, "level", _enum(Level, self.level, f"{who}: level"))
        for name in ("gpa", "previous_degree_gpa", "written", "listening"):
            _set(self, name, _non_negative(getattr(self, name), f"{who}: {name}", optional=True))
        _bool(self.absent, f"{who}: absent")
        _bool(self.has_exam_result, f"{who}: has_exam_result")
        _int(self.prior_participations, f"{who}: prior_participations", minimum=0)
        _int(self.sequence, f"{who}: sequence")

        if isinstance(self.flags, (str, bytes)):
            raise EngineInputError(f"{who}: flags must be a collection of codes, not a string")
        flags = frozenset(_enum(Adjustment, f, f"{who}: flag") for f in self.flags)
        if not flags <= FLAG_CODES:
            bad = ", ".join(sorted(flags - FLAG_CODES))
            raise EngineInputError(f"{who}: {bad} cannot be a flag (flags: {', '.join(sorted(FLAG_CODES))})")
        _set(self, "flags", flags)

        bonuses: dict[Adjustment, BonusState] = {}
        for raw_code, raw_state in _pairs(self.bonuses, f"{who}: bonuses"):
            if raw_state is None or raw_state == "":
                continue  # empty cell: no claim
            code = _enum(Adjustment, raw_code, f"{who}: bonus")
            if code not in BONUS_CODES:
                raise EngineInputError(f"{who}: {code} is not a bonus")
            if code in bonuses:
                raise EngineInputError(f"{who}: bonus {code} given twice")
            bonuses[code] = _enum(BonusState, raw_state, f"{who}: bonus {code}")
        _set(self, "bonuses", tuple(sorted(bonuses.items(), key=lambda p: _ADJUSTMENT_ORDER[p[0]])))


_ZERO = Decimal(0)


def _canonical_bonuses(bonuses: Any) -> bool:
    """A tuple of (bonus code, state) pairs in code order, each code once: what normalising gives."""
    if type(bonuses) is not tuple:
        return False
    last = -1
    for pair in bonuses:
        if type(pair) is not tuple or len(pair) != 2:
            return False
        code, state = pair
        if type(code) is not Adjustment or code not in BONUS_CODES or type(state) is not BonusState:
            return False
        order = _ADJUSTMENT_ORDER[code]
        if order <= last:
            return False
        last = order
    return True


_INPUT_SLOTS = tuple(getattr(ApplicantInput, name).__set__ for name in ApplicantInput.__slots__)


class _InputDraft:
    """ApplicantInput's slots, writable: what ``from_canonical`` fills before it becomes an ApplicantInput."""

    __slots__ = ApplicantInput.__slots__


_layout_check = object.__new__(_InputDraft)
_layout_check.__class__ = ApplicantInput  # raises TypeError at import when the layouts differ
del _layout_check


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class AdjustmentLine:
    """One deduction or bonus of an applicant. ``applied`` False: claimed bonus without accepted document."""

    code: Adjustment
    points: Decimal
    count: int
    applied: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantResult:
    key: str
    student_number: str
    department_code: str
    eligible: bool
    reason: Reason | None
    gpa_used: Decimal | None
    ratio: Decimal | None
    academic_score: Decimal | None
    language_score: Decimal | None
    adjustments: tuple[AdjustmentLine, ...]
    adjustments_total: Decimal
    final_score: Decimal | None
    department_rank: int | None
    allocation_round: int | None
    order: int | None
    outcome: Outcome


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectionResult:
    """All results, sorted for the export: department, then rank, excluded last by student number."""

    results: tuple[ApplicantResult, ...]
    places: int
    primaries: int
    reserves: int
    excluded: int
    _index: Mapping[str, ApplicantResult] | None = field(default=None, init=False, repr=False, compare=False)

    def by_key(self) -> Mapping[str, ApplicantResult]:
        """Read-only mapping from the caller's applicant key to its result (built on first use)."""
        index = self._index
        if index is None:
            index = MappingProxyType({r.key: r for r in self.results})
            _set(self, "_index", index)
        return index

    def in_allocation_order(self) -> tuple[ApplicantResult, ...]:
        """Eligible results by ``order``: the primaries, then the reserves in promotion order."""
        return tuple(sorted((r for r in self.results if r.order is not None), key=lambda r: r.order))
