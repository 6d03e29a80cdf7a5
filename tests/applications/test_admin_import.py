from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ExamResult
from applications.resources import ApplicationResource
from applications.services import applications_import
from mobility.models import AuditEntry
from tests.applications.helpers import APPLICANT_HEADER, applicant_row, csv_bytes, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(admin_client, model, call, data, name, file_format=CSV_FORMAT):
    return admin_client.post(reverse(f"admin:applications_{model}_import"), {
        "call": call.pk,
        "format": file_format,
        "import_file": SimpleUploadedFile(name, data),
    })


def confirm(admin_client, model, preview):
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form.initial.get(name, "") for name in confirm_form.fields}
    return admin_client.post(reverse(f"admin:applications_{model}_process_import"), data)


def test_import_page_offers_the_call_and_the_contract_columns(admin_client, call):
    response = admin_client.get(reverse("admin:applications_application_import"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="call"' in content
    assert "department_code" in content and "protection_2828" in content


def test_admin_import_previews_then_confirms(admin_client, call, admin_user):
    data = csv_bytes([applicant_row(300001), applicant_row(300002, department_code="MIS", gpa="0")], bom=True)

    preview = upload(admin_client, "application", call, data, "applicants.csv")

    assert preview.status_code == 200
    assert preview.context["result"].totals["new"] == 2
    assert "confirm_form" in preview.context
    assert "300002" in preview.content.decode()
    assert not Application.objects.exists()  # the preview saves nothing

    done = confirm(admin_client, "application", preview)

    assert done.status_code == 302
    assert done.url == reverse("admin:applications_application_changelist")
    assert Application.objects.filter(call=call).count() == 2
    assert Application.objects.get(applicant__student_number="300002").gpa is None
    entry = AuditEntry.objects.get(action="applications.imported")
    assert entry.actor == admin_user and entry.data["created"] == 2


def test_admin_reimport_preview_shows_updates(admin_client, call):
    applications_import(call=call, rows=[applicant_row(300001, gpa="2.50"), applicant_row(300002)])
    data = csv_bytes([applicant_row(300001, gpa="3.75"), applicant_row(300002)])

    preview = upload(admin_client, "application", call, data, "applicants.csv")

    result = preview.context["result"]
    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    assert "2.50 → 3.75" in preview.content.decode()
    confirm(admin_client, "application", preview)
    assert Application.objects.get(applicant__student_number="300001").gpa == Decimal("3.75")


def test_admin_import_accepts_xlsx(admin_client, call):
    rows = [list(applicant_row(300001).values())]
    data = xlsx_bytes(rows, APPLICANT_HEADER)

    preview = upload(admin_client, "application", call, data, "applicants.xlsx", XLSX_FORMAT)
    confirm(admin_client, "application", preview)

    assert Application.objects.get().applicant.student_number == "300001"


def test_admin_import_shows_the_same_errors_as_the_command_and_no_confirm(admin_client, call):
    data = csv_bytes([applicant_row(300001), applicant_row(300002, department_code="XYZ"), applicant_row(300001)])

    preview = upload(admin_client, "application", call, data, "applicants.csv")

    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    result = preview.context["result"]
    assert [row.number for row in result.invalid_rows] == [3, 4]
    assert result.invalid_rows[0].field_specific_errors == {
        "department_code (Department code)": ["“XYZ” is not a department of call UZEM-2022-SMT-1 (its departments: CENG, MIS, SENG)"],
    }
    assert "student number 300001 is already on row 2" in preview.content.decode()
    assert not Application.objects.exists()


def test_admin_import_reports_header_errors(admin_client, call):
    data = csv_bytes([{"student_number": "1", "colour": "red"}])

    preview = upload(admin_client, "application", call, data, "applicants.csv")

    errors = preview.context["result"].invalid_rows[0]
    assert errors.number == 1
    assert errors.field_specific_errors["colour"] == ["unknown column"]
    assert errors.field_specific_errors["email (E-mail)"] == ["required column is missing"]


def test_admin_import_needs_a_call(admin_client, call):
    response = admin_client.post(reverse("admin:applications_application_import"), {
        "format": CSV_FORMAT, "import_file": SimpleUploadedFile("a.csv", csv_bytes([applicant_row(1)])),
    })

    assert response.status_code == 200
    assert "call" in response.context["form"].errors
    assert not Application.objects.exists()


def test_admin_confirm_that_no_longer_passes_saves_nothing(admin_client, call):
    preview = upload(admin_client, "application", call, csv_bytes([applicant_row(300001, department_code="MIS")]), "a.csv")
    call.call_departments.filter(department__code="MIS").delete()  # changed between preview and confirm

    done = confirm(admin_client, "application", preview)

    assert done.status_code == 302
    assert done.url == reverse("admin:applications_application_import")
    assert not Application.objects.exists()


def test_admin_exam_result_import_previews_then_confirms(admin_client, call, applications):
    data = csv_bytes([{"student_number": "300101", "written": "90", "listening": "", "absent": "hayır"}])

    preview = upload(admin_client, "examresult", call, data, "exam.csv")
    assert preview.context["result"].totals["new"] == 1
    confirm(admin_client, "examresult", preview)

    result = ExamResult.objects.get()
    assert (result.written, result.listening, result.absent) == (Decimal("90"), Decimal("0"), False)


def test_exported_applications_can_be_imported_again_unchanged(call):
    applications_import(call=call, rows=[applicant_row(300001, disability="verified", missed_exam="evet"),
                                         applicant_row(300002, gpa="")])
    dataset = ApplicationResource().export()

    assert dataset.headers == APPLICANT_HEADER
    first = dict(zip(dataset.headers, dataset[0]))
    assert (first["gpa"], first["missed_exam"], first["disability"]) == ("3.10", "yes", "verified")
    report = applications_import(call=call, headers=dataset.headers, rows=list(dataset))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("model", ["applicant", "application", "examsession", "examresult", "outcomerecord"])
def test_admin_changelists_render(admin_client, call, applications, model):
    response = admin_client.get(reverse(f"admin:applications_{model}_changelist"), {"q": "300101"})

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["application", "examresult"])
def test_admin_add_forms_render(admin_client, model):
    assert admin_client.get(reverse(f"admin:applications_{model}_add")).status_code == 200
