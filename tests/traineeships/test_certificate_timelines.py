"""Certificates replayed through the contract commands only (placement-files §13), as a test
outside the project would: shorter, longer, below the minimum with and without force majeure,
before the end refused; the ledger, promotion and export_placements follow.

Fixture (tests/letters/timeline.py): primaries 1001, 2001, 3001, 1002 hold €1,350 each of €5,400;
reserves 2002, 1003, 2003, 1004 in that order. Germany is group 2 at €750 a month. Here the call funds 4 months.
"""
import pytest

from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.django_db

BEFORE = "2023-02-01T10:00:00+03:00"
AFTER_END = "2023-11-02T10:00:00+03:00"


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path, funded_months=4)
    timeline.publish()
    # 1 Jul – 30 Sep: 90 days (30-day months) → €2,250; the budget is raised so that nothing is free.
    # Reserve 2002 hands in a letter before the deadline, so stays eligible for promotion after it (§7.1).
    timeline.letters([{"student_number": "1001", "end_date": "2023-09-30", "decision": "approved"},
                      {"student_number": "2002"}], at=BEFORE)
    timeline.run("set_budget", CODE, "6300.00", at=BEFORE)
    return timeline


def certificate(t, number, start, end, *extra, at=AFTER_END):
    return t.run("record_certificate", CODE, number, "--start", start, "--end", end, *extra, at=at)


def test_planned_state_has_empty_certificate_columns_at_the_end_of_export_placements(t):
    text = t.run("export_placements", CODE)
    assert text.splitlines()[0].endswith(",penalty,actual_days,final_grant_eur")
    row = t.export()["1001"]
    assert (row["status"], row["grant_eur"], row["held_eur"], row["actual_days"], row["final_grant_eur"]) == (
        "primary", "2250.00", "2250.00", "", "")
    assert t.free() + 900 == 0  # budget 6300 in the call, the fixture's 5400 in Timeline.free()


def test_a_shorter_traineeship_holds_its_final_grant_and_frees_the_rest(t):
    out = certificate(t, "1001", "2023-07-01", "2023-08-30")  # 60 days
    assert "1500.00" in out
    row = t.export()["1001"]
    assert (row["status"], row["actual_days"], row["final_grant_eur"], row["held_eur"], row["grant_eur"]) == (
        "completed", "60", "1500.00", "1500.00", "2250.00")
    assert t.statuses()["2002"] == "reserve"  # €750 free does not cover a reserve's €1,350


def test_money_freed_by_a_short_traineeship_with_force_majeure_promotes_the_next_reserve(t):
    certificate(t, "1001", "2023-07-01", "2023-07-30", "--force-majeure")  # 30 days: €750, €1,500 freed
    rows = t.export()
    assert (rows["1001"]["final_grant_eur"], rows["1001"]["held_eur"]) == ("750.00", "750.00")
    assert (rows["2002"]["status"], rows["2002"]["promoted"], rows["2002"]["promotion_seq"]) == ("primary", "yes", "1")


def test_below_the_minimum_without_force_majeure_the_final_grant_is_zero(t):
    certificate(t, "1001", "2023-07-01", "2023-08-20")  # 50 days < 60
    row = t.export()["1001"]
    assert (row["status"], row["actual_days"], row["final_grant_eur"], row["held_eur"]) == ("completed", "50", "0.00", "0.00")
    assert t.statuses()["2002"] == "primary"  # €2,250 freed covers one reserve


def test_below_the_minimum_with_force_majeure_the_formula_applies(t):
    certificate(t, "1001", "2023-07-01", "2023-08-20", "--force-majeure")  # 50 days → 750 + 750 × 20/30
    assert t.export()["1001"]["final_grant_eur"] == "1250.00"


def test_a_longer_traineeship_is_capped_by_the_letters_funded_days(t):
    certificate(t, "1001", "2023-07-01", "2023-10-30")  # 120 days, the letter funds 90
    row = t.export()["1001"]
    assert (row["actual_days"], row["final_grant_eur"], row["held_eur"]) == ("120", "2250.00", "2250.00")


def test_a_certificate_before_the_end_is_refused_and_changes_nothing(t):
    before = t.run("export_placements", CODE)
    err, error = t.fails("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-30",
                         at="2023-08-29T23:59:59+03:00")
    assert "before_end" in err + error
    assert t.run("export_placements", CODE) == before
    certificate(t, "1001", "2023-07-01", "2023-08-30", at="2023-08-30T18:00:00+03:00")  # on the last day: issued
    assert t.statuses()["1001"] == "completed"


def test_a_second_certificate_replaces_the_first(t):
    certificate(t, "1001", "2023-07-01", "2023-08-20")
    certificate(t, "1001", "2023-07-01", "2023-09-30")
    row = t.export()["1001"]
    assert (row["status"], row["actual_days"], row["final_grant_eur"], row["held_eur"]) == ("completed", "90", "2250.00", "2250.00")


@pytest.mark.parametrize(("number", "start", "end", "code"), [
    ("2001", "2023-07-01", "2023-08-30", "no_mobility"),  # a primary without a letter
    ("2002", "2023-07-01", "2023-08-30", "no_mobility"),  # a reserve
    ("9999", "2023-07-01", "2023-08-30", "no_mobility"),  # not in the call
    ("1001", "2023-06-20", "2023-08-30", "outside_window"),
    ("1001", "2023-09-01", "2023-11-05", "outside_window"),
    ("1001", "2023-08-30", "2023-07-01", "outside_window"),
])
def test_each_refusal_names_its_reason_code(t, number, start, end, code):
    before = t.run("export_placements", CODE)
    err, error = t.fails("record_certificate", CODE, number, "--start", start, "--end", end, at="2023-11-10T10:00:00+03:00")
    assert f"{number}: {code}" in err + error
    assert t.run("export_placements", CODE) == before


def test_bad_dates_and_instants_are_one_line_each(t):
    _err, error = t.fails("record_certificate", CODE, "1001", "--start", "1 July", "--end", "2023-08-30")
    assert "--start" in error
    _err, error = t.fails("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-30", at="yesterday")
    assert "--at" in error
