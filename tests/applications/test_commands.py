from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.models import Application
from tests.applications.helpers import applicant_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("command", ["import_applicants", "import_exam_results"])
def test_unknown_call_code_is_a_command_error(call, tmp_path, command):
    path = write_csv(tmp_path / "a.csv", [applicant_row(300001)])

    with pytest.raises(CommandError, match="unknown call code “NO-SUCH-CALL”"):
        call_command(command, "NO-SUCH-CALL", str(path), stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("command", ["import_applicants", "import_exam_results"])
def test_missing_file_is_a_command_error(call, tmp_path, command):
    with pytest.raises(CommandError, match="No such file"):
        call_command(command, call.code, str(tmp_path / "missing.csv"), stdout=StringIO(), stderr=StringIO())


def test_success_prints_one_summary_line_and_nothing_on_stderr(call, tmp_path):
    out, err = StringIO(), StringIO()

    call_command("import_applicants", call.code, str(write_csv(tmp_path / "a.csv", [applicant_row(300001)])),
                 stdout=out, stderr=err)

    assert out.getvalue().splitlines() == ["UZEM-2022-SMT-1: 1 applications imported (1 created, 0 updated, 0 unchanged)"]
    assert err.getvalue() == ""


def test_errors_are_one_stderr_line_per_bad_row_and_a_command_error(call, tmp_path):
    rows = [applicant_row(300001, gpa="4.5"), applicant_row(300002), applicant_row(300003, level="x", email="x")]
    err = StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_applicants", call.code, str(write_csv(tmp_path / "a.csv", rows)),
                     stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "row 2, column gpa: “4.5” is out of range: a GPA is between 0 and 4.00",
        "row 4, column email: “x” is not a valid email address; column level: “x” is not a level; "
        "use one of associate, bachelor, master, doctorate",
    ]
    assert str(exc.value).endswith("a.csv: 2 bad row(s); nothing was saved")
    assert not Application.objects.exists()


def test_command_error_exits_non_zero_from_the_command_line(call, tmp_path, capsys):
    path = write_csv(tmp_path / "a.csv", [applicant_row(300001, gpa="x")])
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_applicants", call.code, str(path)]).execute()

    assert exc.value.code != 0
    assert "row 2, column gpa: “x” is not a number" in capsys.readouterr().err


def test_file_that_is_not_a_table_is_a_command_error(call, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"not a zip")

    with pytest.raises(CommandError, match="not a valid XLSX file"):
        call_command("import_applicants", call.code, str(path), stdout=StringIO(), stderr=StringIO())


def test_csv_not_in_utf8_is_a_command_error(call, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("student_number,first_name\n1,Ay\u015fe\n".encode("iso-8859-9"))

    with pytest.raises(CommandError, match="not UTF-8 text \\(line 2\\)"):
        call_command("import_applicants", call.code, str(path), stdout=StringIO(), stderr=StringIO())


def test_an_archive_bomb_on_the_command_line_is_one_line(call, tmp_path):
    from tests.applications.test_hostile_files import bomb

    path = tmp_path / "a.xlsx"
    path.write_bytes(bomb(60 * 1024 * 1024))
    err = StringIO()
    with pytest.raises(CommandError, match="archive bomb"):
        call_command("import_applicants", call.code, str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
