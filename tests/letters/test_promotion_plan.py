"""The pure promotion plan (§7), table-driven, without a database."""
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letters.promotion import PromotionState, Seat, free_budget, is_eligible, promotion_plan
from tests.hypothesis_profiles import examples

DEADLINE = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(seconds=1)
P = D("1350.00")


def seat(key, dept, status="reserve", letter="none", would=P, held=None, before=True):
    if held is None:
        held = would if status == "primary" else D("0")
    return Seat(key=key, order=key, department=dept, status=status, held=held, would_hold=would, letter=letter,
                letter_before_deadline=before and letter != "none")


BASE = (seat(1, "A", "primary"), seat(2, "B", "primary"), seat(3, "A", "withdrawn", held=D("0")))
RESERVES = (seat(4, "B"), seat(5, "A"), seat(6, "C"), seat(7, "A"))


@pytest.mark.parametrize(
    "name, budget, open_places, order, at, reserves, expected",
    [
        ("dept first: first reserve of the open place's department", D("4050"), ("A",), "department_first", BEFORE, RESERVES, [5]),
        ("allocation order: first reserve of the call", D("4050"), ("A",), "allocation_order", BEFORE, RESERVES, [4]),
        ("dept first, no reserve there: first of the call", D("4050"), ("D",), "department_first", BEFORE, RESERVES, [4]),
        ("dept first, no open place (budget raise): first of the call", D("4050"), (), "department_first", BEFORE, RESERVES, [4]),
        ("two open places, oldest first", D("5400"), ("C", "A"), "department_first", BEFORE, RESERVES, [6, 5]),
        ("budget not covering: nobody", D("4049.99"), ("A",), "department_first", BEFORE, RESERVES, []),
        ("exactly covered", D("2700") + P, ("A",), "department_first", BEFORE, RESERVES, [5]),
        ("candidate not covered stops: nobody further down",
         D("4050"), (), "allocation_order", BEFORE, (seat(4, "B", would=D("1500")), seat(5, "A")), []),
        ("free below zero: nobody", D("2000"), ("A",), "department_first", BEFORE, RESERVES, []),
        ("after the deadline: only reserves with letters",
         D("4050"), ("A",), "department_first", DEADLINE,
         (seat(4, "B"), seat(5, "A", letter="rejected"), seat(6, "C", letter="waiting")), [6]),
        ("after the deadline: approved letter holds its grant",
         D("3900"), (), "allocation_order", DEADLINE, (seat(4, "B", letter="approved", would=D("1200")),), [4]),
        ("after the deadline: nobody with a letter", D("9999"), ("A",), "department_first", DEADLINE, RESERVES, []),
        ("at the deadline counts as after", D("4050"), (), "allocation_order", DEADLINE, (seat(4, "B"), seat(5, "A", letter="waiting")), [5]),
        ("big budget: everyone in order", D("99999"), (), "allocation_order", BEFORE, RESERVES, [4, 5, 6, 7]),
        ("dept first then allocation order when places run out", D("99999"), ("A",), "department_first", BEFORE, RESERVES, [5, 4, 6, 7]),
    ],
)
def test_promotion_plan(name, budget, open_places, order, at, reserves, expected):
    state = PromotionState(budget=budget, seats=BASE + tuple(reserves), open_places=open_places, at=at,
                           deadline=DEADLINE, promotion_order=order)
    assert [p.key for p in promotion_plan(state)] == expected, name


def test_promotions_close_open_places_while_there_are_any():
    state = PromotionState(budget=D("99999"), seats=BASE + RESERVES, open_places=("A",), at=BEFORE, deadline=DEADLINE)
    assert [p.closes_open_place for p in promotion_plan(state)] == [True, False, False, False]


def test_no_deadline_means_every_waiting_reserve_is_eligible():
    assert is_eligible(seat(4, "A"), at=DEADLINE + dt.timedelta(days=99), deadline=None)
    assert not is_eligible(seat(4, "A", "primary"), at=BEFORE, deadline=DEADLINE)


@settings(max_examples=examples(200), deadline=None)
@given(
    budget=st.decimals(min_value=0, max_value=20000, places=2),
    wants=st.lists(st.sampled_from([D("1350.00"), D("1500.00"), D("1200.00"), D("600.00")]), min_size=0, max_size=8),
    depts=st.lists(st.sampled_from("ABC"), min_size=8, max_size=8),
    open_places=st.lists(st.sampled_from("ABCD"), max_size=4),
    order=st.sampled_from(["department_first", "allocation_order"]),
)
def test_never_beyond_budget_each_reserve_at_most_once(budget, wants, depts, open_places, order):
    reserves = tuple(seat(10 + i, depts[i], would=w) for i, w in enumerate(wants))
    state = PromotionState(budget=budget, seats=BASE + reserves, open_places=tuple(open_places), at=BEFORE,
                           deadline=DEADLINE, promotion_order=order)
    plan = promotion_plan(state)
    keys = [p.key for p in plan]
    assert len(keys) == len(set(keys))
    spent = sum((p.holds for p in plan), D("0"))
    assert spent <= max(free_budget(state), D("0"))
    # With allocation order, promotion is a prefix of the reserve list, stopped by the first not covered.
    if order == "allocation_order":
        assert keys == [s.key for s in reserves[: len(keys)]]
        if len(plan) < len(reserves):
            assert reserves[len(keys)].would_hold > free_budget(state) - spent


@settings(max_examples=examples(200), deadline=None)
@given(
    budget=st.decimals(min_value=0, max_value=20000, places=2),
    statuses=st.lists(st.sampled_from(["primary", "reserve", "withdrawn", "lost_place", "reserve_expired"]), max_size=10),
    helds=st.lists(st.sampled_from([D("0"), D("600.00"), D("1350.00"), D("1500.00")]), min_size=10, max_size=10),
    letters=st.lists(st.sampled_from(["none", "waiting", "approved", "rejected"]), min_size=10, max_size=10),
    open_places=st.lists(st.sampled_from("ABC"), max_size=3),
    at=st.sampled_from([BEFORE, DEADLINE]),
)
def test_listing_only_the_reserves_with_the_others_money_summed_gives_the_same_plan(budget, statuses, helds, letters, open_places, at):
    # What the service does (letters/services/promotion.py) against the plain way: every seat listed.
    seats = tuple(
        seat(i + 1, "ABC"[i % 3], status, letter=letters[i], held=helds[i] if status != "reserve" else D("0"))
        for i, status in enumerate(statuses)
    )
    every_seat = PromotionState(budget=budget, seats=seats, open_places=tuple(open_places), at=at, deadline=DEADLINE)
    reserves = tuple(s for s in seats if s.status == "reserve")
    elsewhere = sum((s.held for s in seats if s.status != "reserve"), D("0"))
    listed = PromotionState(budget=budget, seats=reserves, open_places=tuple(open_places), at=at, deadline=DEADLINE,
                            held_elsewhere=elsewhere)
    assert promotion_plan(listed) == promotion_plan(every_seat)
    assert free_budget(listed) == free_budget(every_seat)
