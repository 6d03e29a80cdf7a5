from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.models import Applicant, Application, BonusClaim
from applications.services import TableImportError, applications_import
from mobility.models import AuditEntry
from tests.applications.helpers import APPLICANT_HEADER, applicant_row, csv_bytes, write_csv, xlsx_bytes
from tests.factories import ApplicantFactory, ApplicationFactory, CallDepartmentFactory, CallFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(call, path):
    out, err = StringIO(), StringIO()
    call_command("import_applicants", call.code, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(call_code, path):
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_applicants", call_code, str(path), stdout=StringIO(), stderr=err)
    return str(exc.value), err.getvalue().splitlines()


def test_valid_import_creates_applicants_and_applications(call, tmp_path):
    rows = [
        applicant_row(300001, gpa="3.45", department_code="SENG", level="master", prior_participations="2",
                      late_withdrawal="yes", disability="verified", protection_2828="claimed"),
        applicant_row(300002),
    ]
    out, _ = run(call, write_csv(tmp_path / "applicants.csv", rows))

    assert "2 created, 0 updated, 0 unchanged" in out
    application = Application.objects.select_related("applicant", "department").get(applicant__student_number="300001")
    assert application.call == call
    assert application.applicant.first_name == "Ayşe"
    assert application.applicant.email == "300001@ogr.example.edu.tr"
    assert application.department.code == "SENG"
    assert application.level == "master"
    assert application.gpa == Decimal("3.45")
    assert application.previous_degree_gpa is None
    assert application.prior_participations == 2
    assert application.late_withdrawal is True
    assert application.missed_exam is False
    assert application.disability == BonusClaim.VERIFIED
    assert application.protection_2828 == BonusClaim.CLAIMED
    assert application.martyr_veteran_relative == ""
    assert Applicant.objects.count() == 2


def test_import_writes_one_audit_entry(call, tmp_path, admin_user):
    applications_import(call=call, rows=[applicant_row(300001), applicant_row(300002)], actor=admin_user)

    entry = AuditEntry.objects.get(action="applications.imported")
    assert entry.actor == admin_user
    assert entry.object_id == str(call.pk)
    assert entry.data["created"] == 2
    assert entry.data["updated"] == 0


def test_reimport_updates_the_application_and_the_applicant(call, tmp_path):
    applications_import(call=call, rows=[applicant_row(300001), applicant_row(300002)])
    first_id = Application.objects.get(applicant__student_number="300001").pk

    report = applications_import(call=call, rows=[
        applicant_row(300001, gpa="2.75", last_name="Demir", email="ayse.demir@example.edu.tr", department_code="MIS"),
        applicant_row(300002),
        applicant_row(300003),
    ])

    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    application = Application.objects.select_related("applicant").get(applicant__student_number="300001")
    assert application.pk == first_id
    assert application.gpa == Decimal("2.75")
    assert application.department.code == "MIS"
    assert application.applicant.last_name == "Demir"
    assert application.applicant.email == "ayse.demir@example.edu.tr"
    assert Application.objects.filter(call=call).count() == 3
    assert Applicant.objects.count() == 3


def test_applicant_known_from_an_earlier_call_gets_a_new_application(call):
    earlier = ApplicationFactory(applicant=ApplicantFactory(student_number="300001", last_name="Old"))

    report = applications_import(call=call, rows=[applicant_row(300001, last_name="New")])

    assert report.created == 1
    assert Applicant.objects.count() == 1
    assert Application.objects.filter(applicant=earlier.applicant).count() == 2
    assert Applicant.objects.get().last_name == "New"


def test_optional_column_left_out_keeps_the_stored_value(call):
    applications_import(call=call, rows=[applicant_row(300001, prior_participations="3", disability="verified")])
    row = applicant_row(300001, gpa="3.90")
    del row["prior_participations"], row["disability"]

    applications_import(call=call, rows=[row])

    application = Application.objects.get()
    assert (application.gpa, application.prior_participations, application.disability) == (Decimal("3.90"), 3, "verified")


def test_csv_with_bom_is_accepted(call, tmp_path):
    path = write_csv(tmp_path / "bom.csv", [applicant_row(300001)], bom=True)

    run(call, path)

    assert Application.objects.get().applicant.student_number == "300001"


def test_xlsx_is_accepted_with_numbers_and_booleans_as_cells(call, tmp_path):
    header = ["student_number", "first_name", "last_name", "email", "department_code", "level", "gpa",
              "prior_participations", "missed_orientation", "missed_exam", "disability"]
    rows = [
        [300001, "Ali", "Kaya", "ali@example.edu.tr", "CENG", "Bachelor", 3.1, 1, True, "evet", "verified"],
        [300002, "Can", "Ak", "can@example.edu.tr", "MIS", "doctorate", None, None, False, 0, None],
    ]
    path = tmp_path / "applicants.xlsx"
    path.write_bytes(xlsx_bytes(rows, header))

    out, _ = run(call, path)

    assert "2 created" in out
    ali = Application.objects.get(applicant__student_number="300001")
    assert (ali.gpa, ali.prior_participations, ali.level) == (Decimal("3.10"), 1, "bachelor")
    assert ali.missed_orientation is True and ali.missed_exam is True
    can = Application.objects.get(applicant__student_number="300002")
    assert can.gpa is None and can.prior_participations == 0 and can.missed_exam is False


@pytest.mark.parametrize(("word", "expected"), [
    ("evet", True), ("Evet", True), ("EVET", True), ("hayır", False), ("Hayır", False), ("HAYIR", False),
    ("true", True), ("TRUE", True), ("false", False), ("1", True), ("0", False), ("yes", True), ("No", False),
    ("", False),
])
def test_booleans_accept_yes_no_true_false_1_0_evet_hayir(call, word, expected):
    applications_import(call=call, rows=[applicant_row(300001, non_prioritised_choice=word)])

    assert Application.objects.get().non_prioritised_choice is expected


def test_boolean_that_is_not_yes_or_no_is_an_error(call):
    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=[applicant_row(300001, missed_exam="maybe")])

    assert exc.value.lines() == [
        "row 2, column missed_exam: “maybe” is not a yes/no value (use yes/no, true/false, 1/0 or evet/hayır)"
    ]


def test_gpa_zero_is_stored_as_no_gpa(call):
    applications_import(call=call, rows=[applicant_row(300001, gpa="0"), applicant_row(300002, gpa="0.00"),
                                         applicant_row(300003, gpa="")])

    assert list(Application.objects.values_list("gpa", flat=True)) == [None, None, None]


def test_previous_degree_gpa_is_stored_for_graduate_students(call):
    applications_import(call=call, rows=[applicant_row(300001, level="master", gpa="", previous_degree_gpa="3.20")])

    application = Application.objects.get()
    assert (application.gpa, application.previous_degree_gpa) == (None, Decimal("3.20"))


@pytest.mark.parametrize(("column", "value", "message"), [
    ("gpa", "4.01", "“4.01” is out of range: a GPA is between 0 and 4.00"),
    ("gpa", "-1", "“-1” is out of range: a GPA is between 0 and 4.00"),
    ("gpa", "3,45", "“3,45” is not a number: use a dot for decimals, e.g. 3.45"),
    ("gpa", "3.456", "“3.456” has more than two decimal places"),
    ("gpa", "good", "“good” is not a number"),
    ("previous_degree_gpa", "5", "“5” is out of range: a GPA is between 0 and 4.00"),
    ("prior_participations", "-1", "“-1” is not a whole number from 0 to 20"),
    ("prior_participations", "1.5", "“1.5” is not a whole number from 0 to 20"),
    ("prior_participations", "1000", "“1000” is not a whole number from 0 to 20"),
    ("student_number", "=1+2", "“=1+2” is not a student number: use letters and digits, with - or / only between them"),
    ("student_number", "+700102", "“+700102” is not a student number: use letters and digits, with - or / only between them"),
    ("student_number", "@700103", "“@700103” is not a student number: use letters and digits, with - or / only between them"),
    ("student_number", "700104-", "“700104-” is not a student number: use letters and digits, with - or / only between them"),
    ("first_name", "Ay\x00şe", "contains a control character (such as a NUL byte); remove it"),
    ("level", "phd", "“phd” is not a level; use one of associate, bachelor, master, doctorate"),
    ("level", "", "required"),
    ("email", "not-an-email", "“not-an-email” is not a valid email address"),
    ("first_name", "", "required"),
    ("student_number", "", "required"),
    ("disability", "yes", "“yes” is not allowed; use verified, claimed or leave it empty"),
])
def test_bad_value_is_reported_with_row_and_column(call, column, value, message):
    rows = [applicant_row(300001), applicant_row(300002, **{column: value})]

    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=rows)

    assert exc.value.lines() == [f"row 3, column {column}: {message}"]
    assert not Application.objects.exists()


def test_unknown_department_is_an_error(call, tmp_path):
    CallDepartmentFactory(call=CallFactory(), department__code="EEE")  # a department, but not of this call
    path = write_csv(tmp_path / "a.csv", [applicant_row(300001), applicant_row(300002, department_code="EEE")])

    reason, lines = run_failing(call.code, path)

    assert lines == ["row 3, column department_code: “EEE” is not a department of call UZEM-2022-SMT-1 "
                     "(its departments: CENG, MIS, SENG)"]
    assert "nothing was saved" in reason
    assert not Application.objects.exists()


def test_department_code_is_matched_without_regard_to_case(call):
    applications_import(call=call, rows=[applicant_row(300001, department_code=" ceng ")])

    assert Application.objects.get().department.code == "CENG"


def test_duplicate_student_number_is_an_error_on_the_second_row(call):
    rows = [applicant_row(300001), applicant_row(300002), applicant_row(300001)]

    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=rows)

    assert exc.value.lines() == ["row 4, column student_number: student number 300001 is already on row 2"]


def test_unknown_column_is_an_error_of_the_header(call, tmp_path):
    rows = [applicant_row(300001, nickname="Ayşo"), applicant_row(300002, nickname="")]

    reason, lines = run_failing(call.code, write_csv(tmp_path / "a.csv", rows))

    assert lines == ["row 1, column nickname: unknown column"]
    assert not Application.objects.exists()


def test_missing_required_column_is_reported_once_for_the_header(call, tmp_path):
    header = [column for column in APPLICANT_HEADER if column != "email"]
    path = write_csv(tmp_path / "a.csv", [applicant_row(n) for n in range(300001, 300011)], header)

    _, lines = run_failing(call.code, path)

    assert lines == ["row 1, column email: required column is missing"]


def test_header_is_case_and_order_insensitive(call, tmp_path):
    header = list(reversed([column.upper() for column in APPLICANT_HEADER]))
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([{c.upper(): v for c, v in applicant_row(300001).items()}], header))

    run(call, path)

    assert Application.objects.count() == 1


def test_empty_lines_are_skipped_and_row_numbers_stay_the_lines_of_the_file(call, tmp_path):
    path = tmp_path / "a.csv"
    data = csv_bytes([applicant_row(300001), {}, applicant_row(300002, gpa="9")])
    path.write_bytes(data)

    _, lines = run_failing(call.code, path)

    assert lines == ["row 4, column gpa: “9” is out of range: a GPA is between 0 and 4.00"]


def test_one_bad_row_among_3000_is_named_and_nothing_is_saved(call, tmp_path):
    rows = [applicant_row(310000 + n, department_code=("CENG", "SENG", "MIS")[n % 3]) for n in range(3000)]
    rows[2345]["level"] = "postdoc"
    path = write_csv(tmp_path / "big.csv", rows)

    reason, lines = run_failing(call.code, path)

    assert lines == ["row 2347, column level: “postdoc” is not a level; use one of associate, bachelor, master, doctorate"]
    assert "1 bad row(s); nothing was saved" in reason
    assert not Applicant.objects.exists()
    assert not Application.objects.exists()
    assert not AuditEntry.objects.filter(action="applications.imported").exists()


def test_valid_rows_of_a_bad_file_do_not_update_existing_applications(call):
    applications_import(call=call, rows=[applicant_row(300001, gpa="3.00")])

    with pytest.raises(TableImportError):
        applications_import(call=call, rows=[applicant_row(300001, gpa="3.50"), applicant_row(300002, level="x")])

    assert Application.objects.get().gpa == Decimal("3.00")


def test_several_problems_in_one_row_make_one_line(call):
    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=[applicant_row(300001, gpa="5", level="x")])

    assert len(exc.value.lines()) == 1
    line = exc.value.lines()[0]
    assert line.startswith("row 2, column level: ")
    assert "; column gpa: “5” is out of range" in line


def test_dry_run_reports_and_saves_nothing(call):
    applications_import(call=call, rows=[applicant_row(300001)])

    report = applications_import(call=call, rows=[applicant_row(300001, gpa="2.50"), applicant_row(300002)], dry_run=True)

    assert (report.created, report.updated) == (1, 1)
    assert Application.objects.count() == 1
    assert Application.objects.get().gpa == Decimal("3.10")


def test_rows_can_be_sequences_with_headers(call):
    row = applicant_row(300001)
    report = applications_import(call=call, headers=list(row), rows=[list(row.values())])

    assert report.created == 1
