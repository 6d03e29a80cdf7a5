"""Working-day arithmetic of internship calendars (contract §1).

A working day is a day of the calendar's week (5: Monday–Friday, 6: Monday–Saturday) that is not a
public holiday and not a day the university closed. A half-day holiday (the eve of a religious
holiday from 13:00, and 28 October) is a working day when `half_day_working` is true.
"""
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKS = (5, 6)
# No internship calendar spans more than a year; this bounds the loop on absurd input.
_MAX_SPAN_DAYS = 400


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    half: bool = False


@dataclass(frozen=True)
class CalendarSpan:
    start: date
    end: date
    working_days: int
    week: int
    # Holidays and closed days inside the span that fell on a day of the week and were skipped.
    skipped: tuple[Holiday, ...] = field(default_factory=tuple)
    # Half-day holidays inside the span that were counted as working days.
    half_days_counted: tuple[Holiday, ...] = field(default_factory=tuple)


class CalendarRuleError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def is_working_day(day: date, *, week: int, holidays: Mapping[date, Holiday], closed: Collection[date] = (),
                   half_day_working: bool = True) -> bool:
    if day.weekday() >= week:  # Monday = 0; a 5-day week stops before Saturday (5)
        return False
    if day in closed:
        return False
    holiday = holidays.get(day)
    if holiday is None:
        return True
    return holiday.half and half_day_working


def calendar_span(*, start: date, working_days: int, week: int, holidays: Mapping[date, Holiday],
                  closed: Collection[date] = (), half_day_working: bool = True) -> CalendarSpan:
    """The end of a calendar: its `working_days`-th working day from `start` (counted as the first)."""
    if week not in WEEKS:
        raise CalendarRuleError("bad_week")
    if working_days < 1:
        raise CalendarRuleError("bad_working_days")
    kwargs = {"week": week, "holidays": holidays, "closed": closed, "half_day_working": half_day_working}
    if not is_working_day(start, **kwargs):
        raise CalendarRuleError("start_not_working_day")
    skipped: list[Holiday] = []
    halves: list[Holiday] = []
    day, counted = start, 0
    for _ in range(_MAX_SPAN_DAYS):
        if is_working_day(day, **kwargs):
            counted += 1
            if day in holidays and holidays[day].half:
                halves.append(holidays[day])
            if counted == working_days:
                return CalendarSpan(start, day, working_days, week, tuple(skipped), tuple(halves))
        elif day.weekday() < week:
            skipped.append(holidays.get(day) or Holiday(day, "closed", False))
        day += timedelta(days=1)
    raise CalendarRuleError("bad_working_days")
