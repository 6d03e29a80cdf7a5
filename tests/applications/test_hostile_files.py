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
