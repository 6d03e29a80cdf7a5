"""Timelines replayed through the contract commands only (placement-files.md), from load_call to export.

Final list of the fixture: primaries 1001 (CENG, order 1), 2001 (SENG, 2), 3001 (MIS, 3), 1002 (CENG, 4);
reserves 2002 (SENG, 5), 1003 (CENG, 6), 2003 (SENG, 7), 1004 (CENG, 8). Budget €5,400, planning €1,350,
so the free budget is 0 after publication. A letter of 1 Jul–30 Aug 2023 in Germany (group 2, €750) is
60 days and gives €1,500.
"""
import pytest
from django.core.management import CommandError, call_command

from applications.models import OutcomeKind, OutcomeRecord
from tests.letters.timeline import CODE, Timeline, letter

pytestmark = pytest.mark.django_db

BEFORE = "2023-02-01T10:00:00+03:00"
LATER = "2023-02-10T10:00:00+03:00"
DEADLINE = "2023-03-15T16:00:00+03:00"
AFTER = "2023-03-16T10:00:00+03:00"


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path)
    timeline.publish()
    return timeline


def test_final_publication_makes_primaries_hold_the_planning_amount_and_reserves_wait(t):
    rows = t.export()
    assert [(n, r["order"], r["status"], r["held_eur"]) for n, r in rows.items()] == [
        ("1001", "1", "primary", "1350.00"), ("2001", "2", "primary", "1350.00"), ("3001", "3", "primary", "1350.00"),
        ("1002", "4", "primary", "1350.00"), ("2002", "5", "reserve", "0.00"), ("1003", "6", "reserve", "0.00"),
        ("2003", "7", "reserve", "0.00"), ("1004", "8", "reserve", "0.00"),
    ]
    assert {r["letter"] for r in rows.values()} == {"none"}
    assert {(r["promoted"], r["promotion_seq"], r["penalty"], r["grant_eur"]) for r in rows.values()} == {("no", "", "no", "")}


def test_department_first_promotes_the_first_reserve_of_the_department_that_left_a_place(t):
    t.run("withdraw", CODE, "1002", at=BEFORE)  # CENG leaves; 2002 (SENG) is first overall, 1003 first in CENG
    rows = t.export()
    assert rows["1002"]["status"] == "withdrawn" and rows["1002"]["held_eur"] == "0.00"
    assert (rows["1003"]["status"], rows["1003"]["promoted"], rows["1003"]["promotion_seq"], rows["1003"]["held_eur"]) == (
        "primary", "yes", "1", "1350.00")
    assert rows["2002"]["status"] == "reserve"


def test_department_first_without_a_reserve_in_that_department_takes_the_first_of_the_call(t):
    t.run("withdraw", CODE, "3001", at=BEFORE)  # MIS has no reserve
    assert t.statuses()["2002"] == "primary"
    assert t.export()["2002"]["promotion_seq"] == "1"


def test_allocation_order_takes_the_first_reserve_of_the_call(tmp_path):
    t = Timeline(tmp_path, promotion_order="allocation_order")
    t.publish()
    t.run("withdraw", CODE, "1002", at=BEFORE)
    statuses = t.statuses()
    assert statuses["2002"] == "primary" and statuses["1003"] == "reserve"


def test_global_allocation_defaults_to_allocation_order(tmp_path):
    t = Timeline(tmp_path, allocation="global")
    t.publish()
    data = t.run("dump_call", CODE)
    assert '"promotion_order": "allocation_order"' in data


def test_oldest_open_place_comes_first_and_promotions_are_numbered_over_the_call(t):
    t.run("set_budget", CODE, "4050.00", at=BEFORE)  # lowering takes no place away; free is now -1350
    assert t.statuses()["1001"] == "primary"
    t.run("withdraw", CODE, "2001", at=BEFORE)  # SENG place open, free 0: covers nobody
    t.run("withdraw", CODE, "1002", at=LATER)  # CENG place open, free 1350: oldest open place is SENG's
    rows = t.export()
    assert (rows["2002"]["status"], rows["2002"]["promotion_seq"]) == ("primary", "1")
    assert rows["1003"]["status"] == "reserve"
    t.run("set_budget", CODE, "5400.00", at=LATER)  # the CENG place is next
    rows = t.export()
    assert (rows["1003"]["status"], rows["1003"]["promotion_seq"]) == ("primary", "2")
    assert rows["2003"]["status"] == "reserve"


def test_a_candidate_the_budget_does_not_cover_stops_promotion_nobody_further_down_is_tried(t):
    # 2002 (SENG, first reserve) has an approved letter worth 1500; the freed 1350 does not cover it,
    # although it would cover 1003's planning amount.
    t.letters([letter("2002", decision="approved")], at=BEFORE)
    t.run("withdraw", CODE, "2001", at=LATER)
    rows = t.export()
    assert rows["2002"]["status"] == "reserve" and rows["2002"]["grant_eur"] == "1500.00"
    assert rows["1003"]["status"] == "reserve"
    assert t.free() == 1350
    out = t.run("set_budget", CODE, "5550.00", at=LATER)
    assert "promoted: 2002" in out
    rows = t.export()
    assert (rows["2002"]["status"], rows["2002"]["held_eur"], rows["2002"]["promotion_seq"]) == ("primary", "1500.00", "1")


def test_approving_a_primary_is_never_refused_and_free_below_zero_blocks_promotion(t):
    t.letters([letter("1001")], at=BEFORE)
    t.run("decide_letter", CODE, "1001", "approved", at=BEFORE)
    rows = t.export()
    assert (rows["1001"]["letter"], rows["1001"]["grant_eur"], rows["1001"]["held_eur"]) == ("approved", "1500.00", "1500.00")
    assert t.free() == -150
    t.run("set_budget", CODE, "6000.00", at=LATER)  # free 450: covers nobody
    assert t.statuses()["2002"] == "reserve"


def test_a_shorter_letter_frees_budget_on_approval(t):
    # 1 Jul – 15 Sep 2023 is 75 days, capped at 60 funded days (€1,500) ... and 1 Jul – 30 Aug is exactly 60.
    t.run("set_budget", CODE, "6900.00", at=BEFORE)  # free 1500: 2002 promoted at once (planning 1350)
    assert t.export()["2002"]["promotion_seq"] == "1"


def test_after_the_deadline_only_reserves_with_letters_are_promoted(t):
    t.letters([letter("1003", submitted_at="2023-03-10T09:00:00+03:00")], at="2023-03-10T09:00:00+03:00")
    t.run("withdraw", CODE, "2001", at=AFTER)  # SENG place; SENG reserves have no letter
    rows = t.export()
    assert (rows["1003"]["status"], rows["1003"]["promotion_seq"]) == ("primary", "1")
    assert rows["2002"]["status"] == "reserve"


def test_before_the_deadline_reserves_without_letters_are_promoted(t):
    t.run("withdraw", CODE, "2001", at="2023-03-15T15:59:59+03:00")
    assert t.statuses()["2002"] == "primary"


def test_deadline_job_loses_places_expires_reserves_then_promotes_and_is_safe_to_repeat(t):
    t.letters([letter(n) for n in ("1001", "2001", "3001")] + [letter("2003")], at="2023-03-01T10:00:00+03:00")
    t.letters([letter("1004", submitted_at="2023-03-15T15:59:59+03:00")], at="2023-03-15T15:59:59+03:00")
    t.run("decide_letter", CODE, "3001", "rejected", "--reason", "no stamp", at="2023-03-02T10:00:00+03:00")
    out = t.run("run_deadlines", CODE, at=DEADLINE)
    assert "lost_place: 3001, 1002" in out and "reserve_expired: 2002, 1003" in out
    rows = t.export()
    # Open places in allocation order: MIS (3001), then CENG (1002). MIS has no reserve: 2003 (first of
    # the call with a letter) takes it; CENG's place goes to 1004.
    assert [(n, r["status"], r["promotion_seq"]) for n, r in rows.items()] == [
        ("1001", "primary", ""), ("2001", "primary", ""), ("3001", "lost_place", ""), ("1002", "lost_place", ""),
        ("2002", "reserve_expired", ""), ("1003", "reserve_expired", ""), ("2003", "primary", "1"), ("1004", "primary", "2"),
    ]
    assert {r["penalty"] for r in rows.values()} == {"no"}
    first = t.run("export_placements", CODE)
    again = t.run("run_deadlines", CODE, at=DEADLINE)
    t.run("run_deadlines", at="2023-03-20T10:00:00+03:00")
    assert "lost_place: -; reserve_expired: -; promoted: -" in again
    assert t.run("export_placements", CODE) == first


def test_deadline_job_before_the_deadline_changes_nothing(t):
    before = t.run("export_placements", CODE)
    t.run("run_deadlines", CODE, at="2023-03-15T15:59:59+03:00")
    assert t.run("export_placements", CODE) == before


def test_letter_deadline_to_the_second_in_turkish_time(t):
    t.letters([letter("1001", submitted_at="2023-03-15T15:59:59+03:00")], at="2023-03-15T15:59:59+03:00")
    assert t.export()["1001"]["letter"] == "waiting"
    before = t.run("export_placements", CODE)
    err, exc = t.letters([letter("1002", submitted_at="2023-03-15T16:00:00+03:00")], at=AFTER, fail=True)
    assert "after_deadline" in err and "row 2" in err
    # The same instant written in UTC, and an empty submitted_at with --at at the deadline.
    err, _ = t.letters([letter("1002", submitted_at="2023-03-15T13:00:00Z")], at=AFTER, fail=True)
    assert "after_deadline" in err
    err, _ = t.letters([letter("1002")], at=DEADLINE, fail=True)
    assert "after_deadline" in err
    assert t.run("export_placements", CODE) == before


def test_every_reason_code_names_its_row_and_nothing_is_saved(t):
    rows = [
        letter("1001"),  # fine, but the file fails as a whole
        letter("9999"),
        letter("1002", host_type="eu_agency"),
        letter("2001", host_type="hotel"),
        letter("3001", country="GB"),
        letter("2002", start_date="2023-06-30"),
        letter("1003", start_date="2023-07-01", end_date="2023-08-29"),
        letter("2003", submitted_at="2023-03-15T16:00:00+03:00"),
        letter("1004", host_type="eu_institution", country="TR", end_date="2023-06-01"),
    ]
    err, exc = t.letters(rows, at=BEFORE, fail=True)
    lines = err.splitlines()
    assert len(lines) == 8
    expected = {
        "row 3 (9999)": ["no_place"], "row 4 (1002)": ["host_not_eligible"], "row 5 (2001)": ["bad_host_type"],
        "row 6 (3001)": ["country_not_eligible"], "row 7 (2002)": ["outside_window"], "row 8 (1003)": ["too_short"],
        "row 9 (2003)": ["after_deadline"], "row 10 (1004)": ["host_not_eligible", "country_not_eligible", "outside_window"],
    }
    for line, (prefix, codes) in zip(lines, expected.items()):
        assert line.startswith(prefix)
        for code in codes:
            assert code in line
    assert "nothing was saved" in exc
    assert {r["letter"] for r in t.export().values()} == {"none"}


def test_national_agency_is_refused(t):
    err, _ = t.letters([letter("1001", host_type="national_agency")], at=BEFORE, fail=True)
    assert "host_not_eligible" in err


def test_a_rejected_letter_is_replaced_by_a_new_row(t):
    t.letters([letter("1001")], at=BEFORE)
    t.run("decide_letter", CODE, "1001", "rejected", "--reason", "not signed", at=BEFORE)
    assert t.export()["1001"]["letter"] == "rejected"
    t.letters([letter("1001", host_name="Other host AG", country="AT")], at=LATER)
    assert t.export()["1001"]["letter"] == "waiting"
    t.run("decide_letter", CODE, "1001", "approved", at=LATER)
    row = t.export()["1001"]
    assert (row["letter"], row["grant_eur"], row["held_eur"]) == ("approved", "1500.00", "1500.00")


def test_an_approved_letter_is_locked_to_its_host_and_country(t):
    t.letters([letter("1001", decision="approved")], at=BEFORE)
    err, _ = t.letters([letter("1001", host_name="Another host")], at=LATER, fail=True)
    assert "letter_locked" in err
    err, _ = t.letters([letter("1001", country="FR")], at=LATER, fail=True)
    assert "letter_locked" in err
    # The same host with other dates is the same letter, still approved.
    t.letters([letter("1001", start_date="2023-08-01", end_date="2023-09-30")], at=LATER)
    row = t.export()["1001"]
    assert (row["letter"], row["grant_eur"]) == ("approved", "1500.00")


def test_a_waiting_letter_may_be_replaced_with_another_host(t):
    t.letters([letter("1001")], at=BEFORE)
    t.letters([letter("1001", host_name="Second GmbH", country="NL")], at=LATER)
    assert t.export()["1001"]["letter"] == "waiting"


def test_a_rejection_after_the_deadline_loses_the_place_at_once_and_promotes(t):
    t.letters([letter("1001"), letter("2002")], at=BEFORE)
    t.run("decide_letter", CODE, "1001", "rejected", at=AFTER)
    rows = t.export()
    assert rows["1001"]["status"] == "lost_place" and rows["1001"]["held_eur"] == "0.00"
    assert (rows["2002"]["status"], rows["2002"]["promotion_seq"]) == ("primary", "1")
    t.run("decide_letter", CODE, "2002", "rejected", at=AFTER)  # now a primary: loses the place too
    assert t.statuses()["2002"] == "lost_place"


def test_a_reserve_rejected_after_the_deadline_expires(t):
    t.letters([letter("1003")], at=BEFORE)
    t.run("decide_letter", CODE, "1003", "rejected", at=AFTER)
    assert t.statuses()["1003"] == "reserve_expired"


def test_withdrawal_after_a_letter_is_a_penalty_recorded_for_the_next_call(t):
    t.letters([letter("1001"), letter("2001"), letter("3001")], at=BEFORE)
    t.run("decide_letter", CODE, "3001", "rejected", at=BEFORE)
    t.run("withdraw", CODE, "1001", at=LATER)
    t.run("withdraw", CODE, "2001", "--force-majeure", at=LATER)
    t.run("withdraw", CODE, "3001", at=LATER)
    t.run("withdraw", CODE, "1002", at=LATER)  # no letter
    rows = t.export()
    assert {n: rows[n]["penalty"] for n in ("1001", "2001", "3001", "1002")} == {"1001": "yes", "2001": "no", "3001": "no", "1002": "no"}
    recorded = set(OutcomeRecord.objects.filter(kind=OutcomeKind.WITHDREW_LATE).values_list("application__applicant__student_number", flat=True))
    assert recorded == {"1001"}
    # 4 places open, 4 reserves, free 5400: all promoted, numbered in order of promotion
    assert [rows[n]["promotion_seq"] for n in ("2002", "1003", "2003", "1004")] == ["2", "1", "3", "4"]


def test_a_reserve_may_withdraw_and_an_outsider_may_not(t):
    t.run("withdraw", CODE, "2002", at=BEFORE)
    assert t.statuses()["2002"] == "withdrawn"
    with pytest.raises(CommandError, match="not a primary or a waiting reserve"):
        t.run("withdraw", CODE, "2002", at=LATER)
    with pytest.raises(CommandError, match="not a primary or a waiting reserve"):
        t.run("withdraw", CODE, "9999", at=LATER)


def test_decide_letter_without_a_waiting_letter_is_an_error(t):
    with pytest.raises(CommandError, match="no letter waiting"):
        t.run("decide_letter", CODE, "1001", "approved", at=BEFORE)
    t.letters([letter("1001", decision="approved")], at=BEFORE)
    with pytest.raises(CommandError, match="no letter waiting"):
        t.run("decide_letter", CODE, "1001", "rejected", at=BEFORE)


def test_an_import_is_one_action_promotion_after_the_last_row(t):
    t.run("set_budget", CODE, "6600.00", at=BEFORE)  # free 1200: covers nobody
    # Row 1 approves 1001 in Poland (group 3, €600: 1200), which alone would free 1350 for 2002;
    # row 2 approves 2002's own letter (1500), so after the file 2002 is not covered.
    out = t.letters([letter("1001", country="PL", decision="approved"), letter("2002", decision="approved")], at=BEFORE)
    assert "2 letters imported (2 new, 0 replaced, 2 approved, 0 rejected); promoted: -" in out
    rows = t.export()
    assert rows["1001"]["grant_eur"] == "1200.00" and rows["2002"]["status"] == "reserve"


def test_reserves_still_waiting_expire_at_the_end_of_the_reserve_list(tmp_path):
    t = Timeline(tmp_path, reserve_list_end="2023-03-01T00:00:00+03:00")
    t.publish()
    t.letters([letter("2002")], at=BEFORE)
    t.run("run_deadlines", CODE, at="2023-02-28T23:59:59+03:00")
    assert t.statuses()["2002"] == "reserve"
    t.run("run_deadlines", CODE, at="2023-03-01T00:00:00+03:00")
    statuses = t.statuses()
    assert [statuses[n] for n in ("2002", "1003", "2003", "1004")] == ["reserve_expired"] * 4


def test_set_budget_refuses_a_bad_amount(t):
    for bad in ("-1", "abc", "10.001"):
        with pytest.raises(CommandError):
            t.run("set_budget", CODE, bad, at=BEFORE)


def test_commands_refuse_an_at_without_offset(t):
    with pytest.raises(CommandError, match="--at"):
        t.run("withdraw", CODE, "1001", at="2023-02-01T10:00:00")


def test_export_to_a_file(t, tmp_path):
    target = tmp_path / "out.csv"
    call_command("export_placements", CODE, "--output", str(target))
    assert target.read_text().splitlines()[0] == "student_number,department_code,order,status,promoted,promotion_seq,letter,grant_eur,held_eur,penalty,actual_days,final_grant_eur"


def test_the_fewer_opportunities_top_up_is_added_to_the_grant_and_held(t):
    from letters.models import Placement
    from letters.services.top_up import placement_top_up_set
    from tests.letters.timeline import TR_AT

    t.letters([letter("1001", decision="approved")], at=BEFORE)
    placement_top_up_set(placement=Placement.objects.get(student_number="1001"), value=True, at=TR_AT)
    row = t.export()["1001"]
    assert (row["grant_eur"], row["held_eur"]) == ("1500.00", "2000.00")  # 2 months × €250 on top, shown apart


def test_a_letter_longer_than_the_erasmus_days_left_is_refused(t):
    from letters.models import Placement

    Placement.objects.filter(student_number="1001").update(erasmus_days_left=59)
    err, _ = t.letters([letter("1001")], at=BEFORE, fail=True)
    assert "too_long" in err
    Placement.objects.filter(student_number="1001").update(erasmus_days_left=60)
    t.letters([letter("1001")], at=BEFORE)


def test_letters_from_an_xlsx_file(t, tmp_path):
    from tests.applications.helpers import xlsx_bytes
    from tests.letters.timeline import LETTER_HEADER

    row = letter("1001", decision="approved")
    path = tmp_path / "letters.xlsx"
    path.write_bytes(xlsx_bytes([[row[c] for c in LETTER_HEADER]], LETTER_HEADER))
    t.run("import_letters", CODE, str(path), at=BEFORE)
    assert t.export()["1001"]["letter"] == "approved"


def test_a_row_with_a_bad_instant_or_decision_still_names_its_other_problems(t):
    err, _ = t.letters([letter("1001", submitted_at="2023-03-01 10:00", country="GB"), letter("1002", decision="maybe", host_type="x")],
                       at=BEFORE, fail=True)
    first, second = err.splitlines()
    assert "bad_instant" in first and "country_not_eligible" in first and "after_deadline" not in first
    assert "bad_decision" in second and "bad_host_type" in second


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e400", "5,4,0"])
def test_set_budget_refuses_nan_infinity_and_exponents_in_one_line(tmp_path, amount):
    t = Timeline(tmp_path)
    t.publish()
    _err, error = t.fails("set_budget", CODE, amount, at=LATER)
    assert "not an amount" in error and "\n" not in error.strip()
