"""Files an office or an attacker may hand in: each gets one clear message, before anything heavy runs."""
import io
import zipfile

import pytest

from applications.tabular import TableReadError, read_table
from tests.applications.helpers import APPLICANT_HEADER, applicant_row, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")

TURKISH_CSV = "student_number,first_name\n700101,Ayşe Çağrı Öğüt\n"


@pytest.mark.parametrize(("data", "name", "message"), [
    (TURKISH_CSV.encode("cp1254"), "a.csv", r"not UTF-8 text \(line 2\): it is in the Turkish Windows encoding \(Windows-1254\)"),
    (bytes(range(256)) * 40, "a.csv", "not text but binary data"),
    (b"this is not a zip", "a.xlsx", "not a valid XLSX file"),
    (b'student_number,first_name\n700101,"Ay\xc5\x9fe\n700102,Ali\n', "a.csv", "quotation mark .* never closed"),
    ("student_number;first_name;last_name\n700101;Ayşe;Yılmaz\n".encode(), "a.csv", "separated by semicolons"),
    (b"student_number\tfirst_name\n700101\tAli\n", "a.csv", "separated by tabs"),
])
def test_unreadable_files_say_what_is_wrong(data, name, message):
    with pytest.raises(TableReadError, match=message):
        read_table(data, file_name=name)


def test_an_xlsx_chosen_as_csv_is_read_as_xlsx():
    data = xlsx_bytes([["700101", "Ali"]], ["student_number", "first_name"])
    assert read_table(data, file_name="upload.csv")[1] == [["700101", "Ali"]]


def bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return out.getvalue()


def test_an_archive_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl was asked to expand the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    data = bomb(60 * 1024 * 1024)
    assert len(data) < 200_000
    with pytest.raises(TableReadError, match="archive bomb"):
        read_table(data, file_name="a.xlsx")


def test_an_xlsx_expanding_beyond_the_limit_is_refused(settings):
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED = 1024 * 1024
    data = xlsx_bytes([[str(700000 + i), "x" * 50] for i in range(30_000)], ["student_number", "first_name"])
    with pytest.raises(TableReadError, match="archive bomb"):
        read_table(data, file_name="a.xlsx")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_at_the_cell_limit(settings, kind):
    settings.IMPORT_MAX_CELLS = len(APPLICANT_HEADER) * 3
    rows = [applicant_row(700100 + i) for i in range(5)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes([list(r.values()) for r in rows], APPLICANT_HEADER)
    with pytest.raises(TableReadError, match="more than 51 cells"):
        read_table(data, file_name=f"a.{kind}")


def _xlsx_with_sheet(xml: bytes) -> bytes:
    """A real XLSX whose first worksheet is replaced by `xml`."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["700101", "Ali"]], ["student_number", "first_name"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in original.infolist():
            archive.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else original.read(item))
    return out.getvalue()


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'
ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>%s</t></is></c></row>'


@pytest.mark.parametrize("xml", [
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]>' + SHEET % (ROW % b"student_number"),
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + SHEET % (ROW % b"&b;"),
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SHEET % (ROW % b"&x;"),
    SHEET % (ROW % b"student_number") + b"<unclosed",
    SHEET % (ROW % b"&undefined;"),
])
def test_an_xlsx_with_a_dtd_entities_or_broken_xml_gets_one_clear_line(xml):
    with pytest.raises(TableReadError) as refused:
        read_table(_xlsx_with_sheet(xml), file_name="a.xlsx")
    message = str(refused.value)
    assert message.startswith("the XLSX file is damaged or holds XML") and "\n" not in message
    assert "line 1" not in message and "column" not in message  # no parser text


def test_a_hostile_xlsx_in_the_admin_import_is_one_message_and_saves_nothing(admin_client, call):
    from django.urls import reverse

    from applications.models import Application

    xml = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "x">]>' + SHEET % (ROW % b"&a;")
    upload = io.BytesIO(_xlsx_with_sheet(xml))
    upload.name = "applicants.xlsx"
    response = admin_client.post(
        reverse("admin:applications_application_import"),
        {"call": call.pk, "kind": "applicants", "import_file": upload, "format": "1", "resource": "0"},
    )
    assert response.status_code == 200
    assert "the XLSX file is damaged" in response.content.decode() and "Traceback" not in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["Ay\nşe", "Ay\rşe", "Ay\r\nşe"])
def test_a_line_break_inside_a_name_is_refused_at_import_and_nothing_is_saved(call, tmp_path, kind, name):
    from django.core.management import CommandError, call_command

    from applications.models import Applicant

    rows = [applicant_row("700101"), applicant_row("700102", first_name=name)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes([list(r.values()) for r in rows], APPLICANT_HEADER)
    path = tmp_path / f"applicants.{kind}"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_applicants", call.code, str(path), stdout=io.StringIO(), stderr=err)
    assert "line break" in err.getvalue() and "first_name" in err.getvalue()
    assert not Applicant.objects.exists()


@pytest.mark.django_db
def test_a_letter_row_with_a_line_break_in_the_host_is_refused_with_bad_text(tmp_path):
    from letters.models import Letter
    from tests.letters.timeline import Timeline, letter

    t = Timeline(tmp_path)
    t.publish()
    err, _error = t.letters([letter("1001", host_name="Host\nGmbH")], at="2023-02-01T10:00:00+03:00", fail=True)
    assert "bad_text" in err and not Letter.objects.exists()
