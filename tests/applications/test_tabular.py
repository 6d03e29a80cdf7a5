import io

import pytest

from applications.tabular import TableReadError, read_table
from tests.applications.helpers import xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")


def test_csv_bytes_with_bom():
    header, rows = read_table(b"\xef\xbb\xbfstudent_number,gpa\r\n1,3.5\r\n")

    assert header == ["student_number", "gpa"]
    assert rows == [["1", "3.5"]]


def test_short_rows_are_padded_and_long_rows_widen_the_table():
    header, rows = read_table(b"a,b\n1\n1,2,3\n")

    assert header == ["a", "b", ""]
    assert rows == [["1", None, None], ["1", "2", "3"]]


def test_xlsx_from_bytes_file_object_and_path(tmp_path):
    data = xlsx_bytes([[1, 3.5, None]], ["student_number", "gpa", "level"])
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)

    for source in (data, io.BytesIO(data), path, str(path)):
        assert read_table(source) == (["student_number", "gpa", "level"], [[1, 3.5, None]])


def test_text_file_object_is_read_as_csv():
    assert read_table(io.StringIO("a\n1\n")) == (["a"], [["1"]])


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "a.csv", "the file is empty"),
    (b"PK\x03\x04broken", "a.xlsx", "not a valid XLSX file"),
    (b"x", "a.ods", "unsupported file type"),
])
def test_unreadable_files(data, name, message):
    with pytest.raises(TableReadError, match=message):
        read_table(data, file_name=name)
