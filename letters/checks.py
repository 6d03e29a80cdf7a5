"""Checks of a letter's structured data (contract placement-files §3), shared by the page and the import.

Each problem is (reason code, message); the codes are the contract's and never change.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from letters.grants import funded_days, grant_amount, mobility_days, monthly_amount
from letters.models import REFUSED_HOST_TYPES, HostType
from mobility.grants import default_country_groups
from mobility.iso3166 import country_name


@dataclass(frozen=True)
class LetterData:
    host_name: str
    host_type: str
    country: str
    city: str
    start_date: dt.date | None
    end_date: dt.date | None
    submitted_at: dt.datetime
    address: str = ""
    contact_person: str = ""


@dataclass(frozen=True)
class GrantPreview:
    days: int
    funded_days: int
    monthly_rate: Decimal
    grant: Decimal
    top_up: Decimal


def country_rates(call) -> dict[str, Decimal]:
    """Country code → monthly rate of its group for the call (the portal's defaults when none are set)."""
    groups = [(g.monthly_rate_eur, g.country_codes) for g in call.country_groups.all()]
    if not groups:
        groups = [(g["monthly_rate_eur"], g["countries"]) for g in default_country_groups(call.programme)]
    rates: dict[str, Decimal] = {}
    for rate, countries in groups:
        for country in countries:
            rates.setdefault(country.upper(), rate)
    return rates


def letter_problems(*, call, data: LetterData, rates: dict[str, Decimal], days_left: int | None = None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not data.host_name.strip():
        problems.append(("missing_value", _("the host organisation's name is required")))
    if not data.city.strip():
        problems.append(("missing_value", _("the city is required")))
    if data.host_type in REFUSED_HOST_TYPES:
        problems.append(("host_not_eligible", _("%(type)s cannot host an Erasmus+ traineeship") % {"type": REFUSED_HOST_TYPES[data.host_type]}))
    elif data.host_type not in HostType.values:
        problems.append(("bad_host_type", _("“%(value)s” is not a type of host; use one of %(types)s") % {
            "value": data.host_type, "types": ", ".join(HostType.values)}))
    if data.country.upper() not in rates:
        problems.append(("country_not_eligible", _("%(country)s is not in the call's country groups") % {"country": country_name(data.country)}))
    if data.start_date is None or data.end_date is None:
        problems.append(("bad_date", _("start and end dates are required, as YYYY-MM-DD")))
    else:
        window_start, window_end = call.mobility_start, call.mobility_end
        if data.end_date < data.start_date:
            problems.append(("outside_window", _("the end date is before the start date")))
        elif (window_start and data.start_date < window_start) or (window_end and data.end_date > window_end):
            problems.append(("outside_window", _("the dates must lie between %(start)s and %(end)s") % {
                "start": window_start or "…", "end": window_end or "…"}))
        else:
            days = mobility_days(data.start_date, data.end_date)
            if days < call.min_days:
                problems.append(("too_short", _("%(days)s days; at least %(min)s days are required (months count 30 days)") % {
                    "days": days, "min": call.min_days}))
            elif days_left is not None and days > days_left:
                problems.append(("too_long", _("%(days)s days; only %(left)s days of Erasmus+ mobility are left in your study cycle") % {
                    "days": days, "left": days_left}))
    if call.letter_deadline is not None and data.submitted_at >= call.letter_deadline:
        problems.append(("after_deadline", _("the letter deadline was %(deadline)s") % {
            "deadline": call.letter_deadline.isoformat()}))
    return problems


def grant_preview(*, call, data: LetterData, rates: dict[str, Decimal], fewer_opportunities: bool = False) -> GrantPreview | None:
    """What the letter would give (§5), or None when its country or dates cannot be counted."""
    rate = rates.get((data.country or "").upper())
    if rate is None or data.start_date is None or data.end_date is None or data.end_date < data.start_date:
        return None
    days = mobility_days(data.start_date, data.end_date)
    funded = funded_days(days, call.funded_months)
    top_up = monthly_amount(call.fewer_opportunities_top_up_eur, funded) if fewer_opportunities else Decimal("0.00")
    return GrantPreview(
        days=days, funded_days=funded, monthly_rate=rate,
        grant=grant_amount(rate=rate, days=days, funded_months=call.funded_months), top_up=top_up,
    )
