"""The pure rules: calendars (document 003's ten 2024 calendars), eligibility, points, cities, holders."""
import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from internships.places import district_lists, provinces
from internships.rules.calendar import CalendarRuleError, calendar_span
from internships.rules.cities import CityError, cities_check, cities_parse, cities_text
from internships.rules.competence import DEFAULT_POINTS, AcceptedDocument, points_per_heading
from internships.rules.eligibility import EligibilityRules, StudentFacts, ineligibility
from internships.rules.holidays_tr import turkish_holidays
from internships.rules.offers import OfferState, answerable, holder_index, renewed_deadline
from tests.tools import tool_missing

D = dt.date
HOLIDAYS_2024 = turkish_holidays([2024])

# Document 003 (Ulusal Staj Programı, 2024): start, working days, days a week, end.
DOCUMENT_003 = [
    (D(2024, 7, 16), 20, 5, D(2024, 8, 12)),
    (D(2024, 8, 5), 20, 5, D(2024, 9, 2)),
    (D(2024, 8, 19), 20, 5, D(2024, 9, 16)),
    (D(2024, 7, 16), 20, 6, D(2024, 8, 7)),
    (D(2024, 8, 5), 20, 6, D(2024, 8, 27)),
    (D(2024, 8, 19), 20, 6, D(2024, 9, 11)),
    (D(2024, 7, 16), 30, 5, D(2024, 8, 26)),
    (D(2024, 8, 5), 30, 5, D(2024, 9, 16)),
    (D(2024, 7, 16), 30, 6, D(2024, 8, 19)),
    (D(2024, 8, 5), 30, 6, D(2024, 9, 9)),
]


@pytest.mark.parametrize(("start", "days", "week", "end"), DOCUMENT_003)
def test_document_003_calendars_end_where_the_university_said(start, days, week, end):
    span = calendar_span(start=start, working_days=days, week=week, holidays=HOLIDAYS_2024)
    assert span.end == end


def test_victory_day_is_named_among_the_skipped_days():
    span = calendar_span(start=D(2024, 8, 19), working_days=20, week=5, holidays=HOLIDAYS_2024)
    assert [(h.day, h.name) for h in span.skipped] == [(D(2024, 8, 30), "Zafer Bayramı")]


def test_a_half_day_eve_counts_as_working_only_when_the_programme_says_so():
    # 2024-04-09 (Tuesday) is the eve of Ramazan Bayramı from 13:00; 10–12 April are holidays.
    working = calendar_span(start=D(2024, 4, 8), working_days=2, week=5, holidays=HOLIDAYS_2024)
    assert working.end == D(2024, 4, 9) and [h.day for h in working.half_days_counted] == [D(2024, 4, 9)]
    holiday = calendar_span(start=D(2024, 4, 8), working_days=2, week=5, holidays=HOLIDAYS_2024, half_day_working=False)
    assert holiday.end == D(2024, 4, 15)
    with pytest.raises(CalendarRuleError) as err:
        calendar_span(start=D(2024, 4, 9), working_days=2, week=5, holidays=HOLIDAYS_2024, half_day_working=False)
    assert err.value.code == "start_not_working_day"


def test_closed_days_are_not_counted():
    span = calendar_span(start=D(2024, 7, 16), working_days=20, week=5, holidays=HOLIDAYS_2024, closed={D(2024, 7, 17)})
    assert span.end == D(2024, 8, 13)


@pytest.mark.parametrize("start", [D(2024, 7, 15), D(2024, 7, 20), D(2024, 7, 21)])
def test_a_calendar_cannot_start_on_a_holiday_or_outside_its_week(start):
    with pytest.raises(CalendarRuleError) as err:
        calendar_span(start=start, working_days=20, week=5, holidays=HOLIDAYS_2024)
    assert err.value.code == "start_not_working_day"


def test_saturday_is_a_working_day_in_a_six_day_week():
    assert calendar_span(start=D(2024, 7, 20), working_days=1, week=6, holidays=HOLIDAYS_2024).end == D(2024, 7, 20)


def test_the_holiday_source_agrees_with_the_reference_list():
    # The reference list lives beside the project (../shared); a worktree sits one level deeper.
    root = Path(__file__).resolve().parents[2]
    name = Path("shared", "external", "data", "tr_public_holidays_2023_2027.csv")
    found = [p for p in (root.parent / name, root.parent.parent / name) if p.exists()]
    if not found:
        tool_missing("the reference holiday list ../shared/external/data/tr_public_holidays_2023_2027.csv")
    path = found[0]
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ours = turkish_holidays(range(2023, 2028))
    theirs = {dt.date.fromisoformat(r["date"]): r for r in rows}
    assert set(ours) == set(theirs)
    for day, row in theirs.items():
        assert ours[day].half == (row["category"] == "half_day"), day
        assert ours[day].name == row["name_tr"]


RULES = EligibilityRules(
    min_gpa=Decimal("2.00"), years={"associate": [1, 2], "bachelor": [2, 3, 4]}, gpa_exempt={("associate", 1)},
)


@pytest.mark.parametrize(("facts", "reason"), [
    (StudentFacts("bachelor", 3, Decimal("2.00"), False), None),
    (StudentFacts("bachelor", 3, Decimal("1.99"), False), "gpa_below_minimum"),
    (StudentFacts("bachelor", 1, Decimal("3.50"), False), "year_not_eligible"),
    (StudentFacts("bachelor", 5, Decimal("3.50"), False), "year_not_eligible"),
    (StudentFacts("bachelor", 3, None, False), "no_gpa"),
    (StudentFacts("bachelor", 3, Decimal("3.00"), True), "department_excluded"),
    (StudentFacts("bachelor", 1, None, True), "department_excluded"),
    (StudentFacts("associate", 1, None, False), None),
    (StudentFacts("associate", 1, Decimal("1.00"), False), None),
    (StudentFacts("associate", 2, None, False), "no_gpa"),
    (StudentFacts("associate", 3, Decimal("3.00"), False), "year_not_eligible"),
])
def test_eligibility_gives_the_first_reason_that_applies(facts, reason):
    assert ineligibility(RULES, facts) == reason


def test_only_accepted_documents_count_per_heading():
    points = points_per_heading(
        [AcceptedDocument("professional", "publication"), AcceptedDocument("professional", "certificate"),
         AcceptedDocument("sports", "licensed_athlete"), AcceptedDocument("social", "unknown_kind")],
        DEFAULT_POINTS,
    )
    assert points == {"professional": Decimal("20"), "social": Decimal("0"), "sports": Decimal("10")}


def test_provinces_and_districts_data():
    assert len(provinces()) == 81
    assert sum(len(d) for d in district_lists().values()) == 973
    assert provinces()["06"][0] == "Ankara" and "Çankaya" in provinces()["06"][1]
    assert provinces()["34"][0] == "İstanbul" and "Eyüpsultan" in provinces()["34"][1]


@pytest.mark.parametrize(("text", "code"), [
    ("", "no_city"),
    ("01:*;02:*;03:*;04:*;05:*;06:*", "too_many_cities"),
    ("99:*", "bad_city"),
    ("6:Çankaya", "bad_city"),
    ("06:*,Çankaya", "bad_city"),
    ("06:Nowhere", "bad_city"),
    ("06", "bad_city"),
    ("06:Çankaya,Keçiören,Mamak,Sincan,Etimesgut,Polatlı", "too_many_districts"),
])
def test_city_choices_are_refused_with_the_contract_code(text, code):
    with pytest.raises(CityError) as err:
        cities_check(cities_parse(text), district_lists())
    assert err.value.code == code


def test_city_choices_round_trip():
    choices = cities_check(cities_parse("06:Çankaya,Keçiören;34:*"), district_lists())
    assert cities_text(choices) == "06:Çankaya,Keçiören;34:*"


TR = dt.timezone(dt.timedelta(hours=3))
T0 = dt.datetime(2024, 5, 1, 15, 0, tzinfo=TR)


def test_the_first_offer_not_fallen_holds():
    offers = [OfferState(2, "open", T0), OfferState(1, "declined", T0), OfferState(3, "accepted", T0)]
    assert holder_index(offers) == 1  # seq 2
    assert holder_index([OfferState(1, "expired", T0), OfferState(2, "released", T0)]) is None


def test_a_reserve_that_comes_to_hold_gets_a_fresh_window_only_if_later():
    reserve = OfferState(2, "open", T0)
    assert renewed_deadline(reserve, became_holder_at=T0, answer_days=3) == T0 + dt.timedelta(days=3)
    late = OfferState(2, "open", T0 + dt.timedelta(days=10))
    assert renewed_deadline(late, became_holder_at=T0, answer_days=3) == late.answer_by
    accepted = OfferState(2, "accepted", T0)
    assert renewed_deadline(accepted, became_holder_at=T0, answer_days=3) == T0


def test_an_answer_at_the_deadline_second_is_late():
    offer = OfferState(1, "open", T0)
    assert answerable(offer, T0 - dt.timedelta(seconds=1)) is None
    assert answerable(offer, T0) == "expired"
    assert answerable(OfferState(1, "declined", T0), T0 - dt.timedelta(days=1)) == "not_open"
