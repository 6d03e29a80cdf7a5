"""Türkiye's public holidays from the `holidays` package (Law 2429 and each year's religious holidays).

The package marks the eves of Ramazan and Kurban Bayramı and 28 October as half days (from 13:00);
whether they count as working days is the programme's choice (`half_day`).
"""
from datetime import date
from functools import lru_cache

import holidays as holidays_lib

from .calendar import Holiday


@lru_cache(maxsize=32)
def _year(year: int, language: str) -> tuple[Holiday, ...]:
    public = holidays_lib.country_holidays("TR", years=year, categories=("public",), language=language)
    half = holidays_lib.country_holidays("TR", years=year, categories=("half_day",), language=language)
    days = {day: Holiday(day, name, False) for day, name in public.items()}
    for day, name in half.items():
        days.setdefault(day, Holiday(day, name, True))
    return tuple(sorted(days.values(), key=lambda h: h.day))


def turkish_holidays(years, *, language: str = "tr") -> dict[date, Holiday]:
    language = "tr" if language == "tr" else "en_US"
    return {h.day: h for year in sorted(set(years)) for h in _year(year, language)}
