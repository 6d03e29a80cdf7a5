"""Calendars and offer timelines replayed through the contract's commands only, with every reason code."""
import pytest

from tests.internships.helpers import CALENDARS, csv_rows, offers, programme_file, run, students_file

pytestmark = pytest.mark.django_db

IN_WINDOW = "2024-02-01T10:00:00+03:00"
CLOSE = "2024-03-10T23:59:59+03:00"

STUDENTS = [
    "1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,3.10",
    "1002,Mehmet,Demir,mehmet@uni.example,BM,bachelor,2,2.00",
    "1003,Zeynep,Kaya,zeynep@uni.example,MM,bachelor,4,2.50",
    "1004,Ali,Çelik,ali@uni.example,ISL,associate,1,",
    "1005,Elif,Şahin,elif@uni.example,TIP,bachelor,3,3.50",
    "1006,Can,Öztürk,can@uni.example,BM,bachelor,1,3.00",
    "1007,Deniz,Aydın,deniz@uni.example,BM,bachelor,3,",
    "1008,Ece,Arslan,ece@uni.example,BM,bachelor,3,1.99",
    "1009,Burak,Koç,burak@uni.example,ISL,associate,2,2.40",
    "1010,Selin,Kurt,selin@uni.example,BM,bachelor,4,3.60",
]


@pytest.fixture
def programme(tmp_path):
    assert run("load_internship_programme", programme_file(tmp_path)).ok
    result = run("import_internship_students", "USP-2024", students_file(tmp_path, STUDENTS))
    assert result.ok, result.err
    return "USP-2024"


def complete(number, calendars="T20-5-1,T20-5-2", cities="06:Çankaya,Keçiören;34:*", at=IN_WINDOW):
    result = run("set_internship_choices", "USP-2024", number, "--calendars", calendars, "--cities", cities,
                 "--complete", "--at", at)
    assert result.ok, result.err


def offer(position, number, kind="primary", calendar="T20-5-1", at="2024-05-02T15:00:00+03:00", *extra):
    result = run("make_offer", "USP-2024", "--position", position, "--student", number, "--kind", kind,
                 "--calendar", calendar, "--at", at, *extra)
    assert result.ok, result.err
    return result.last_line


def test_the_calendars_command_gives_document_003s_end_dates(programme):
    rows = csv_rows("internship_calendars", "USP-2024")
    assert [r["code"] for r in rows] == [c["code"] for c in CALENDARS]
    assert [r["end"] for r in rows] == [
        "2024-08-12", "2024-09-02", "2024-09-16", "2024-08-07", "2024-08-27", "2024-09-11",
        "2024-08-26", "2024-09-16", "2024-08-19", "2024-09-09",
    ]
    assert rows[0] == {"code": "T20-5-1", "start": "2024-07-16", "end": "2024-08-12", "working_days": "20", "week": "5"}


def test_half_days_and_closed_days_move_the_end(tmp_path):
    eve = [{"code": "EVE", "start": "2024-04-08", "working_days": 20, "week": 5}]
    assert run("load_internship_programme", programme_file(tmp_path, calendars=eve)).ok
    working = csv_rows("internship_calendars", "USP-2024")[0]["end"]
    assert run("load_internship_programme", programme_file(tmp_path, calendars=eve, half_day="holiday")).ok
    holiday = csv_rows("internship_calendars", "USP-2024")[0]["end"]
    # 9 April (eve of Ramazan Bayramı from 13:00) is the second working day, or a holiday.
    assert (working, holiday) == ("2024-05-10", "2024-05-13")
    assert run("load_internship_programme", programme_file(tmp_path, calendars=eve, closed_days=["2024-04-15"])).ok
    assert csv_rows("internship_calendars", "USP-2024")[0]["end"] == "2024-05-13"


def test_a_calendar_starting_on_a_holiday_is_refused_and_nothing_is_saved(tmp_path):
    bad = [*CALENDARS[:2], {"code": "X", "start": "2024-07-15", "working_days": 20, "week": 5},
           {"code": "Y", "start": "2024-07-20", "working_days": 20, "week": 5}]
    result = run("load_internship_programme", programme_file(tmp_path, calendars=bad))
    assert not result.ok
    assert result.codes == ["start_not_working_day", "start_not_working_day"]
    assert "X" in result.err and "Y" in result.err
    assert run("internship_calendars", "USP-2024").codes == ["unknown_programme"]


def test_eligibility_with_every_reason_and_the_application_column(programme):
    complete("1001")
    assert run("set_internship_choices", "USP-2024", "1002", "--calendars", "T20-5-1", "--cities", "06:*",
               "--at", IN_WINDOW).ok
    rows = {r["student_number"]: r for r in csv_rows("export_internship_students", "USP-2024")}
    assert list(rows) == sorted(rows)
    assert {n: (r["eligible"], r["reason"]) for n, r in rows.items()} == {
        "1001": ("yes", ""), "1002": ("yes", ""), "1003": ("yes", ""), "1004": ("yes", ""),
        "1005": ("no", "department_excluded"), "1006": ("no", "year_not_eligible"), "1007": ("no", "no_gpa"),
        "1008": ("no", "gpa_below_minimum"), "1009": ("yes", ""), "1010": ("yes", ""),
    }
    assert rows["1001"] | {} == {"student_number": "1001", "department_code": "BM", "eligible": "yes", "reason": "",
                                 "application": "complete", "calendars": "T20-5-1;T20-5-2",
                                 "cities": "06:Çankaya,Keçiören;34:*"}
    assert (rows["1002"]["application"], rows["1003"]["application"]) == ("incomplete", "none")


def test_eligibility_follows_the_students_current_row(programme, tmp_path):
    assert run("import_internship_students", "USP-2024",
               students_file(tmp_path, ["1008,Ece,Arslan,ece@uni.example,BM,bachelor,3,2.05"])).ok
    rows = {r["student_number"]: r for r in csv_rows("export_internship_students", "USP-2024")}
    assert (rows["1008"]["eligible"], len(rows)) == ("yes", 10)


def test_a_student_file_with_bad_rows_changes_nothing_and_names_each(programme, tmp_path):
    result = run("import_internship_students", "USP-2024", students_file(tmp_path, [
        "2001,A,B,a@uni.example,BM,bachelor,3,3.00",
        "2002,A,B,b@uni.example,XX,bachelor,3,3.00",
        "2003,A,B,c@uni.example,BM,master,3,3.00",
        "2004,A,B,d@uni.example,BM,bachelor,7,3.00",
    ]))
    assert not result.ok
    assert result.codes == ["unknown_department", "bad_level", "bad_year"]
    assert "row 3" in result.err and "row 5" in result.err
    assert "2001" not in {r["student_number"] for r in csv_rows("export_internship_students", "USP-2024")}


def test_every_refusal_of_the_form(programme):
    def refused(number, calendars, cities, at=IN_WINDOW, *extra):
        result = run("set_internship_choices", "USP-2024", number, "--calendars", calendars, "--cities", cities,
                     "--at", at, *extra)
        assert not result.ok
        return result.codes

    assert refused("1001", "T20-5-1", "06:*", "2023-12-27T23:59:59+03:00") == ["applications_closed"]
    assert refused("1001", "T20-5-1", "06:*", CLOSE) == ["applications_closed"]
    assert run("set_internship_choices", "USP-2024", "1001", "--calendars", "T20-5-1", "--cities", "06:*",
               "--at", "2024-03-10T23:59:58+03:00").ok
    assert refused("1005", "T20-5-1", "06:*") == ["not_eligible"]
    assert refused("1001", "T30-5-1", "06:*") == ["wrong_length"]
    assert refused("1003", "T20-5-1", "06:*") == ["wrong_length"]
    assert refused("1001", "T20-5-1,T20-5-2,T20-5-3,T20-6-1", "06:*") == ["too_many_choices"]
    assert refused("1003", "T30-5-1,T30-5-2,T30-6-1", "06:*") == ["too_many_choices"]
    assert refused("1001", "", "06:*") == ["no_choice"]
    assert refused("1001", "T20-5-1", "") == ["no_city"]
    assert refused("1001", "T20-5-1", "01:*;02:*;03:*;04:*;05:*;06:*") == ["too_many_cities"]
    assert refused("1001", "T20-5-1", "82:*") == ["bad_city"]
    assert refused("1001", "T20-5-1", "06:*,Çankaya") == ["bad_city"]
    assert refused("1001", "NOPE", "06:*") == ["unknown_calendar"]
    assert refused("1001", "T20-5-1", "06:Çankaya,Keçiören,Mamak,Sincan,Etimesgut,Polatlı") == ["too_many_districts"]
    complete("1001")
    assert refused("1001", "T20-5-2,T20-5-1", "06:*") == ["locked"]
    assert refused("1001", "T20-5-1", "06:*") == ["locked"]
    # Cities stay open until the close; the same calendars in the same order are no change.
    assert run("set_internship_choices", "USP-2024", "1001", "--calendars", "T20-5-1,T20-5-2", "--cities", "35:Konak",
               "--at", "2024-03-01T10:00:00+03:00").ok
    rows = {r["student_number"]: r for r in csv_rows("export_internship_students", "USP-2024")}
    assert (rows["1001"]["cities"], rows["1001"]["application"]) == ("35:Konak", "complete")


def test_every_refusal_of_an_offer(programme):
    complete("1001")
    complete("1002")
    complete("1010", calendars="T20-5-3")
    assert run("set_internship_choices", "USP-2024", "1009", "--calendars", "T20-5-1", "--cities", "06:*",
               "--at", IN_WINDOW).ok

    def refused(position, number, kind="primary", calendar="T20-5-1"):
        result = run("make_offer", "USP-2024", "--position", position, "--student", number, "--kind", kind,
                     "--calendar", calendar, "--at", "2024-05-02T15:00:00+03:00")
        assert not result.ok
        return result.codes

    assert refused("P1", "1009") == ["incomplete"]
    assert refused("P1", "1003") == ["incomplete"]
    # Complete, then the office's list says the student is no longer eligible.
    assert refused("P1", "1001", calendar="T20-5-3") == ["calendar_not_chosen"]
    assert refused("P1", "1001", kind="reserve") == ["no_primary"]
    offer("P1", "1001")
    assert refused("P1", "1002") == ["primary_exists"]
    assert refused("P1", "1001", kind="reserve") == ["duplicate"]
    offer("P1", "1002", "reserve")


def test_not_eligible_after_a_new_list(programme, tmp_path):
    complete("1001")
    assert run("import_internship_students", "USP-2024",
               students_file(tmp_path, ["1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,1.50"])).ok
    result = run("make_offer", "USP-2024", "--position", "P1", "--student", "1001", "--kind", "primary",
                 "--calendar", "T20-5-1", "--at", "2024-05-02T15:00:00+03:00")
    assert result.codes == ["not_eligible"]


def test_primary_declines_reserve_holds_with_a_fresh_window_accepts_and_starts(programme):
    complete("1001")
    complete("1002")
    complete("1010", calendars="T20-5-1")
    primary = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T15:00:00+03:00")
    reserve = offer("P1", "1002", "reserve", "T20-5-1", "2024-05-02T16:00:00+03:00")
    second = offer("P1", "1010", "reserve", "T20-5-1", "2024-05-02T16:30:00+03:00", "--answer-by", "2024-05-20T12:00:00+03:00")
    state = offers()
    assert (state[primary]["seq"], state[reserve]["seq"], state[second]["seq"]) == ("1", "2", "3")
    assert [state[o]["holds"] for o in (primary, reserve, second)] == ["yes", "no", "no"]
    assert state[primary]["answer_by"] == "2024-05-05T15:00:00+03:00"
    assert state[second]["answer_by"] == "2024-05-20T12:00:00+03:00"
    assert run("answer_offer", "USP-2024", primary, "decline", "--at", "2024-05-04T10:00:00+03:00").ok
    state = offers()
    assert (state[primary]["status"], state[primary]["holds"]) == ("declined", "no")
    assert (state[reserve]["holds"], state[reserve]["answer_by"]) == ("yes", "2024-05-07T10:00:00+03:00")
    assert run("answer_offer", "USP-2024", primary, "accept", "--at", "2024-05-04T10:00:01+03:00").codes == ["not_open"]
    assert run("answer_offer", "USP-2024", reserve, "accept", "--at", "2024-05-07T09:59:59+03:00").ok
    assert run("start_internship", "USP-2024", reserve, "--at", "2024-07-16T09:00:00+03:00").codes == ["no_insurance"]
    assert run("record_insurance", "USP-2024", reserve, "--at", "2024-07-10T09:00:00+03:00").ok
    assert run("start_internship", "USP-2024", reserve, "--at", "2024-07-16T09:00:00+03:00").ok
    state = offers()
    assert (state[reserve]["status"], state[reserve]["insured"], state[reserve]["holds"]) == ("started", "yes", "yes")
    assert state[second]["holds"] == "no"


def test_an_answer_at_the_deadline_second_is_expired(programme):
    complete("1001")
    made = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00", "--answer-by", "2024-05-03T15:00:00+03:00")
    assert run("answer_offer", "USP-2024", made, "accept", "--at", "2024-05-03T15:00:00+03:00").codes == ["expired"]
    assert run("answer_offer", "USP-2024", made, "accept", "--at", "2024-05-03T14:59:59+03:00").ok


def test_the_deadline_job_expires_all_at_once_passes_positions_on_and_is_safe_to_repeat(programme):
    complete("1001")
    complete("1002")
    complete("1010", calendars="T20-5-1")
    p1 = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00")
    r1 = offer("P1", "1002", "reserve", "T20-5-1", "2024-05-02T12:00:00+03:00")
    r2 = offer("P1", "1010", "reserve", "T20-5-1", "2024-05-02T12:00:00+03:00", "--answer-by", "2024-05-30T12:00:00+03:00")
    # All deadlines are 2024-05-05T12:00 except r2's; the job runs late, at 13:00.
    result = run("run_internship_deadlines", "USP-2024", "--at", "2024-05-05T13:00:00+03:00")
    assert result.ok and f"{p1}, {r1}" in result.out
    state = offers()
    assert (state[p1]["status"], state[r1]["status"], state[r2]["status"]) == ("expired", "expired", "open")
    # r2 came to hold at 13:00 but its own deadline is later: it keeps it.
    assert (state[r2]["holds"], state[r2]["answer_by"]) == ("yes", "2024-05-30T12:00:00+03:00")
    before = offers()
    again = run("run_internship_deadlines", "--at", "2024-05-05T13:00:00+03:00")
    assert again.ok and "expired: -" in again.out
    assert offers() == before


def test_a_reserve_accepted_early_stands_by_then_holds_without_a_new_window(programme):
    complete("1001")
    complete("1002")
    p1 = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00")
    r1 = offer("P1", "1002", "reserve", "T20-5-1", "2024-05-02T12:00:00+03:00")
    assert run("answer_offer", "USP-2024", r1, "accept", "--at", "2024-05-03T12:00:00+03:00").ok
    assert run("record_insurance", "USP-2024", r1, "--at", "2024-05-03T12:00:00+03:00").codes == ["not_holding"]
    assert run("start_internship", "USP-2024", r1, "--at", "2024-05-03T12:00:00+03:00").codes == ["not_holding"]
    assert run("answer_offer", "USP-2024", p1, "decline", "--at", "2024-05-04T12:00:00+03:00").ok
    state = offers()
    assert (state[r1]["status"], state[r1]["holds"], state[r1]["answer_by"]) == ("accepted", "yes", "2024-05-05T12:00:00+03:00")


def test_one_start_a_year_releases_the_other_offers_and_their_positions_pass_on(programme):
    complete("1001", calendars="T20-5-1,T20-5-2")
    complete("1002", calendars="T20-5-2")
    a = offer("PA", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00")
    b = offer("PB", "1001", "primary", "T20-5-2", "2024-05-02T12:00:00+03:00")
    b_reserve = offer("PB", "1002", "reserve", "T20-5-2", "2024-05-02T12:00:00+03:00")
    assert run("answer_offer", "USP-2024", a, "accept", "--at", "2024-05-03T12:00:00+03:00").ok
    assert run("answer_offer", "USP-2024", b, "accept", "--at", "2024-05-03T12:00:00+03:00").ok
    assert run("record_insurance", "USP-2024", a, "--at", "2024-07-01T12:00:00+03:00").ok
    assert run("record_insurance", "USP-2024", b, "--at", "2024-07-01T12:00:00+03:00").ok
    assert run("start_internship", "USP-2024", a, "--at", "2024-07-16T09:00:00+03:00").ok
    state = offers()
    assert (state[b]["status"], state[b]["holds"], state[b]["insured"]) == ("released", "no", "yes")
    assert (state[b_reserve]["holds"], state[b_reserve]["answer_by"]) == ("yes", "2024-07-19T09:00:00+03:00")
    assert run("start_internship", "USP-2024", b, "--at", "2024-07-16T09:00:00+03:00").codes == ["already_started"]
    result = run("make_offer", "USP-2024", "--position", "PC", "--student", "1001", "--kind", "primary",
                 "--calendar", "T20-5-2", "--at", "2024-07-17T09:00:00+03:00")
    assert result.codes == ["already_started"]


def test_a_cancellation_without_excuse_leaves_a_note_and_the_position_passes_on(programme):
    complete("1001")
    complete("1002")
    p1 = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00")
    r1 = offer("P1", "1002", "reserve", "T20-5-1", "2024-05-02T12:00:00+03:00", "--answer-by", "2024-07-30T12:00:00+03:00")
    assert run("cancel_internship", "USP-2024", p1, "--at", "2024-05-03T12:00:00+03:00").codes == ["not_started"]
    assert run("answer_offer", "USP-2024", p1, "accept", "--at", "2024-05-03T12:00:00+03:00").ok
    assert run("record_insurance", "USP-2024", p1, "--at", "2024-07-10T12:00:00+03:00").ok
    assert run("start_internship", "USP-2024", p1, "--at", "2024-07-16T09:00:00+03:00").ok
    assert run("cancel_internship", "USP-2024", p1, "--at", "2024-07-17T09:00:00+03:00").ok
    state = offers()
    assert (state[p1]["status"], state[p1]["insured"], state[p1]["note"], state[p1]["holds"]) == ("cancelled", "yes", "yes", "no")
    assert (state[r1]["holds"], state[r1]["note"], state[r1]["answer_by"]) == ("yes", "no", "2024-07-30T12:00:00+03:00")
    # A cancelled internship does not count: the student may start another.
    p2 = offer("P2", "1001", "primary", "T20-5-2", "2024-07-18T09:00:00+03:00")
    assert offers()[p2]["note"] == "yes"


def test_an_excused_cancellation_leaves_no_note(programme):
    complete("1001")
    p1 = offer("P1", "1001", "primary", "T20-5-1", "2024-05-02T12:00:00+03:00")
    for command in (("answer_offer", "USP-2024", p1, "accept"), ("record_insurance", "USP-2024", p1),
                    ("start_internship", "USP-2024", p1), ("cancel_internship", "USP-2024", p1, "--excuse")):
        assert run(*command, "--at", "2024-05-03T12:00:00+03:00").ok
    assert offers()[p1]["note"] == "no"


def test_the_programme_cannot_change_once_an_offer_exists(programme, tmp_path):
    complete("1001")
    assert run("load_internship_programme", programme_file(tmp_path, title="Yeni")).ok
    offer("P1", "1001")
    assert run("load_internship_programme", programme_file(tmp_path, title="Yeni")).codes == ["offers_exist"]


def test_the_offer_export_is_sorted_by_position_then_order(programme):
    complete("1001")
    complete("1002")
    offer("Z9", "1001")
    offer("A1", "1002")
    offer("A1", "1001", "reserve")
    rows = csv_rows("export_internship_offers", "USP-2024")
    assert [(r["position"], r["seq"], r["kind"]) for r in rows] == [("A1", "1", "primary"), ("A1", "2", "reserve"), ("Z9", "1", "primary")]
    assert list(rows[0]) == ["offer_id", "position", "student_number", "calendar", "kind", "seq", "status", "holds",
                             "answer_by", "insured", "note"]
