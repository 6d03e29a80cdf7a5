"""The admin import names each contract column with its label in the reader's language; the headers stay the contract's."""
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application
from applications.services import APPLICANT_COLUMNS, EXAM_COLUMNS, TableImportError, applications_import
from tests.applications.helpers import applicant_row, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, admin_user):
    def sign_in(language: str):
        admin_user.language = language
        admin_user.save(update_fields=["language"])
        client.force_login(admin_user)
        return client
    return sign_in


def upload(client, call, data: bytes):
    return client.post(reverse("admin:applications_application_import"), {
        "call": call.pk, "format": "0", "import_file": SimpleUploadedFile("a.csv", data),
    })


@pytest.mark.parametrize("language, shown, absent", [
    ("tr", ["Öğrenci numarası", "Bölüm kodu", "Öğrenim düzeyi"], ["Student number", "Department code"]),
    ("en", ["Student number", "Department code", "Level of study"], ["Öğrenci numarası", "Bölüm kodu"]),
])
def test_the_import_page_explains_each_contract_column_in_the_readers_language(office, call, language, shown, absent):
    page = office(language).get(reverse("admin:applications_application_import")).content.decode()
    table = page[page.index('class="import-columns"'):page.index("</table>", page.index('class="import-columns"'))]
    for column in APPLICANT_COLUMNS:
        assert f"<code>{column.name}</code>" in table
    for words in shown:
        assert words in table
    for words in absent:
        assert words not in table
    assert "samples/applicants.csv" in page


def test_the_exam_import_page_lists_the_exam_columns(office, call):
    page = office("tr").get(reverse("admin:applications_examresult_import")).content.decode()
    assert "<code>written</code>" in page and "Yazılı sınav puanı" in page and "<code>gpa</code>" not in page


def test_the_sample_files_keep_the_contracts_headers():
    samples = Path(settings.BASE_DIR) / "static" / "samples"
    for name, columns in (("applicants.csv", APPLICANT_COLUMNS), ("exam_results.csv", EXAM_COLUMNS)):
        header = next(csv.reader(io.StringIO((samples / name).read_text("utf-8-sig"))))
        assert set(header) <= {column.name for column in columns}
        assert {column.name for column in columns if column.required} <= set(header)


@pytest.mark.parametrize("language, key, message", [
    ("tr", "department_code (Bölüm kodu)", "department_code (Bölüm kodu)"),
    ("en", "department_code (Department code)", "department_code (Department code)"),
])
def test_row_errors_name_the_column_and_its_label(office, call, language, key, message):
    response = upload(office(language), call, csv_bytes([applicant_row(300001, department_code="XYZ")]))
    row = response.context["result"].invalid_rows[0]
    assert list(row.field_specific_errors) == [key]
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_a_turkish_header_is_answered_with_the_contracts_header_and_nothing_is_imported(office, call):
    row = applicant_row(300001)
    row["Öğrenci No"] = row.pop("student_number")
    response = upload(office("tr"), call, csv_bytes([row]))
    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert any("student_number" in message for message in errors["öğrenci no"])
    assert "confirm_form" not in response.context
    assert not Application.objects.exists()


@pytest.mark.parametrize("header", ["Öğrenci No", "ÖĞRENCİ NUMARASI", "Student number"])
def test_the_command_names_the_contracts_header_for_a_label_too(call, header):
    row = applicant_row(300001)
    row[header] = row.pop("student_number")
    with pytest.raises(TableImportError) as raised:
        applications_import(call=call, rows=[row])
    assert any(error.column == header.lower() and "student_number" in error.message for error in raised.value.errors)


def test_an_unrelated_unknown_column_stays_an_unknown_column(call, settings):
    settings.LANGUAGE_CODE = "en"
    row = {**applicant_row(300001), "colour": "red"}
    with pytest.raises(TableImportError) as raised:
        applications_import(call=call, rows=[row])
    assert [error.message for error in raised.value.errors if error.column == "colour"] == ["unknown column"]


def test_a_confirm_that_no_longer_passes_says_the_column_with_its_label(office, call):
    client = office("tr")
    preview = upload(client, call, csv_bytes([applicant_row(300001, department_code="MIS")]))
    call.call_departments.filter(department__code="MIS").delete()  # changed between preview and confirm
    form = preview.context["confirm_form"]
    done = client.post(reverse("admin:applications_application_process_import"),
                       {name: form.initial.get(name, "") for name in form.fields}, follow=True)
    lines = [str(message) for message in done.context["messages"]]
    assert any("department_code (Bölüm kodu)" in line for line in lines), lines
    assert not Application.objects.exists()
