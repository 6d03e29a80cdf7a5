"""The admin import: the command's messages, size limits, background imports, and a confirm step
that trusts only server-side state."""
import hashlib
import io
import secrets
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ImportJob, ImportJobStatus
from tests.applications.helpers import APPLICANT_HEADER, applicant_row, csv_bytes
from tests.factories import CallDepartmentFactory, CallFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CSV_FORMAT, XLSX_FORMAT = "0", "1"
IMPORT_URL = "admin:applications_application_import"
CONFIRM_URL = "admin:applications_application_process_import"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, call, data, name, file_format=CSV_FORMAT):
    return client.post(reverse(IMPORT_URL), {
        "call": call.pk, "format": file_format, "import_file": SimpleUploadedFile(name, data)})


def form_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("import_file", []))


@pytest.mark.parametrize(("data", "name", "file_format", "message"), [
    ("student_number,first_name\n700101,Ayşe Çağrı\n".encode("cp1254"), "a.csv", CSV_FORMAT, "Windows-1254"),
    (bytes(range(256)) * 40, "a.csv", CSV_FORMAT, "binary data"),
    (b"this is not a zip", "a.xlsx", XLSX_FORMAT, "not a valid XLSX file"),
    (b'student_number,first_name\n700101,"Ali\n', "a.csv", CSV_FORMAT, "never closed"),
    ("student_number;first_name\n700101;Ayşe\n".encode(), "a.csv", CSV_FORMAT, "separated by semicolons"),
])
def test_the_admin_says_what_is_wrong_with_the_file_as_the_command_does(admin_client, call, data, name, file_format, message):
    response = upload(admin_client, call, data, name, file_format)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert "ValueError" not in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_nul_byte_in_a_name_in_the_admin_is_a_row_error(admin_client, call):
    response = upload(admin_client, call, csv_bytes([applicant_row(700101, first_name="A\x00li")]), "a.csv")
    assert response.context["result"].invalid_rows[0].field_specific_errors == {
        "first_name (First name)": ["contains a control character (such as a NUL byte); remove it"]}
    assert "confirm_form" not in response.context


def test_an_upload_above_the_size_limit_is_refused(admin_client, call, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    response = upload(admin_client, call, csv_bytes([applicant_row(700100 + i) for i in range(20)]), "a.csv")
    assert "at most" in form_errors(response) and "MB can be uploaded" in form_errors(response)
    assert not ImportJob.objects.exists()


def test_an_archive_bomb_is_refused_in_the_admin(admin_client, call):
    from tests.applications.test_hostile_files import bomb

    response = upload(admin_client, call, bomb(60 * 1024 * 1024), "a.xlsx", XLSX_FORMAT)
    assert "archive bomb" in form_errors(response)


def preview_token(client, call, rows) -> str:
    preview = upload(client, call, csv_bytes(rows), "a.csv")
    return preview.context["confirm_form"].initial["token"]


def test_the_confirm_form_carries_only_a_token(admin_client, call):
    preview = upload(admin_client, call, csv_bytes([applicant_row(700101)]), "a.csv")
    assert list(preview.context["confirm_form"].fields) == ["token"]
    html = preview.content.decode()
    assert 'name="import_file_name"' not in html and 'name="call"' not in html.split("confirm")[-1]


def test_confirming_with_another_calls_id_and_a_crafted_file_name_imports_what_was_shown(admin_client, call):
    other = CallFactory(code="OTHER-CALL")
    CallDepartmentFactory(call=other, department__code="XENG")
    preview = upload(admin_client, call, csv_bytes([applicant_row(700101)]), "a.csv")
    # Another file in the server's temporary folder, e.g. someone else's upload.
    elsewhere = Path(tempfile.gettempdir()) / f"elsewhere-{secrets.token_hex(8)}.csv"
    elsewhere.write_bytes(csv_bytes([applicant_row(666666, department_code="XENG")]))
    try:
        data = dict(preview.context["confirm_form"].initial.items())
        data.update({"call": other.pk, "import_file_name": elsewhere.name, "original_file_name": "x.csv"})
        done = admin_client.post(reverse(CONFIRM_URL), data)
    finally:
        elsewhere.unlink(missing_ok=True)

    assert done.status_code == 302
    assert list(Application.objects.values_list("call__code", "applicant__student_number")) == [(call.code, "700101")]
    assert ImportJob.objects.get().status == ImportJobStatus.DONE


@pytest.mark.parametrize("token", ["", "made-up-token", "../../etc/passwd"])
def test_an_unknown_token_imports_nothing(admin_client, call, token):
    preview_token(admin_client, call, [applicant_row(700101)])
    assert admin_client.post(reverse(CONFIRM_URL), {"token": token}).status_code == 404
    assert not Application.objects.exists()


def test_another_users_token_imports_nothing(client, admin_client, call):
    token = preview_token(admin_client, call, [applicant_row(700101)])
    other_admin = UserFactory(role="admin")
    client.force_login(other_admin)
    assert client.post(reverse(CONFIRM_URL), {"token": token}).status_code == 404
    assert not Application.objects.exists()


def test_a_token_is_used_once(admin_client, call):
    token = preview_token(admin_client, call, [applicant_row(700101)])
    assert admin_client.post(reverse(CONFIRM_URL), {"token": token}).status_code == 302
    assert admin_client.post(reverse(CONFIRM_URL), {"token": token}).status_code == 404
    assert Application.objects.count() == 1


def test_a_stored_file_changed_after_the_preview_is_not_imported(admin_client, call):
    token = preview_token(admin_client, call, [applicant_row(700101)])
    job = ImportJob.objects.get(token=token)
    with default_storage.open(job.file, "wb") as handle:
        handle.write(csv_bytes([applicant_row(999999)]))
    assert hashlib.sha256(default_storage.open(job.file).read()).hexdigest() != job.sha256

    done = admin_client.post(reverse(CONFIRM_URL), {"token": token}, follow=True)

    assert "changed since it was checked" in done.content.decode()
    assert not Application.objects.exists()


def test_a_large_file_is_checked_and_imported_in_the_background_with_progress(
        admin_client, call, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_BYTES = 500
    rows = [applicant_row(700100 + i) for i in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, call, csv_bytes(rows), "big.csv")

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/import/job/{job.token}/")
    assert job.status == ImportJobStatus.CHECKED and job.rows_total == 30
    page = admin_client.get(response.url).content.decode()
    assert "30 created, 0 updated, 0 unchanged" in page and "Confirm import" in page
    assert not Application.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(response.url, {"confirm": "1"})

    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Application.objects.filter(call=call).count() == 30
    assert not default_storage.exists(job.file)
    assert "Imported" in admin_client.get(response.url).content.decode()


def test_a_running_job_page_refreshes_itself_and_shows_progress(admin_client, call, admin_user):
    from applications.imports import import_job_create

    job = import_job_create(call=call, kind="applications", data=csv_bytes([applicant_row(700101)]),
                            original_name="big.csv", status=ImportJobStatus.CHECKING, actor=admin_user)
    ImportJob.objects.filter(pk=job.pk).update(stage="checking the rows", rows_total=152000, rows_done=40000)
    page = admin_client.get(reverse("admin:applications_application_import_job", args=[job.token])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "40000 of 152000 rows" in page and "<progress" in page


def test_a_large_file_with_bad_rows_lists_them_and_offers_no_confirm(
        admin_client, call, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_BYTES = 500
    rows = [applicant_row(700100 + i) for i in range(30)] + [applicant_row(700200, gpa="5")]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, call, csv_bytes(rows), "big.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.INVALID
    page = admin_client.get(response.url).content.decode()
    assert "row 32, column gpa" in page and "Confirm import" not in page
    assert admin_client.post(response.url, {"confirm": "1"}).status_code == 302
    assert not Application.objects.exists()


def test_a_header_only_file_in_the_admin_is_an_error(admin_client, call):
    response = upload(admin_client, call, csv_bytes([], APPLICANT_HEADER), "a.csv")
    assert "confirm_form" not in response.context
    assert not ImportJob.objects.exists()


def test_unconfirmed_and_stalled_jobs_expire_and_their_files_go(call, admin_user):
    import datetime as dt

    from django.utils import timezone

    from applications.imports import expire_import_jobs, import_job_create

    data = csv_bytes([applicant_row(700101)])
    now = timezone.now()
    jobs = {
        status: import_job_create(call=call, kind="applications", data=data, original_name="a.csv", status=status, actor=admin_user)
        for status in (ImportJobStatus.CHECKED, ImportJobStatus.CHECKING)
    }
    fresh = import_job_create(call=call, kind="applications", data=data, original_name="a.csv",
                              status=ImportJobStatus.CHECKED, actor=admin_user)
    ImportJob.objects.filter(pk=jobs[ImportJobStatus.CHECKED].pk).update(updated_at=now - dt.timedelta(days=2))
    ImportJob.objects.filter(pk=jobs[ImportJobStatus.CHECKING].pk).update(updated_at=now - dt.timedelta(hours=2))

    assert expire_import_jobs.delay().get() == 2

    for job in jobs.values():
        job.refresh_from_db()
        assert job.status == ImportJobStatus.FAILED and job.errors
        assert not default_storage.exists(job.file)
    fresh.refresh_from_db()
    assert fresh.status == ImportJobStatus.CHECKED and default_storage.exists(fresh.file)
    assert expire_import_jobs.delay().get() == 0


def test_the_preview_leaves_no_copy_in_the_temporary_folder(admin_client, call, monkeypatch):
    import os

    from import_export.tmp_storages import TempFolderStorage

    from applications.admin import CallImportAdmin

    written = []

    class Recording(TempFolderStorage):
        def save(self, data):
            super().save(data)
            written.append(self.get_full_path())

    monkeypatch.setattr(CallImportAdmin, "get_tmp_storage_class", lambda self: Recording)
    upload(admin_client, call, csv_bytes([applicant_row(700101)]), "a.csv")
    upload(admin_client, call, csv_bytes([applicant_row(700101, gpa="9")]), "b.csv")
    assert len(written) == 2
    assert not any(os.path.exists(path) for path in written)


def test_the_import_page_offers_sample_files_that_import_cleanly_and_keeps_errors_on_screen(admin_client, call, tmp_path):
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse

    page = admin_client.get(reverse("admin:applications_application_import")).content.decode()
    assert "samples/applicants.csv" in page and "samples/exam_results.csv" in page and "admin_import.css" in page
    root = Path(settings.BASE_DIR) / "static" / "samples"
    css = (Path(settings.BASE_DIR) / "static" / "css" / "admin_import.css").read_text()
    assert "opacity: 1" in css  # errors shown without hovering
    call_command("import_applicants", call.code, str(root / "applicants.csv"), stdout=io.StringIO())
    call_command("import_exam_results", call.code, str(root / "exam_results.csv"), stdout=io.StringIO())


@pytest.mark.parametrize(("language", "worker", "said", "not_said"), [
    ("en", "tr", "row 32, column gpa", "satır"),
    ("tr", "en", "32. satır, gpa", "row 32"),
])
def test_a_background_check_writes_its_errors_in_the_admins_language(
        client, call, settings, django_capture_on_commit_callbacks, language, worker, said, not_said):
    """The worker runs in the site's language: the admin's language travels with the task."""
    from django.utils import translation

    settings.IMPORT_BACKGROUND_BYTES = 500
    client.force_login(UserFactory(role="admin", is_superuser=True, is_staff=True, language=language))
    rows = [applicant_row(700100 + i) for i in range(30)] + [applicant_row(700200, gpa="5")]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, call, csv_bytes(rows), "big.csv")
    with translation.override(worker):  # the worker, in another language than the admin
        for task in queued:
            task()
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.INVALID
    errors = " ".join(job.errors)
    assert said in errors and not_said not in errors, errors
    assert said in client.get(response.url).content.decode()


def test_an_expired_job_says_why_in_its_admins_language(call):
    import datetime as dt

    from django.utils import timezone, translation

    from applications.imports import import_job_create, import_jobs_expire

    admin = UserFactory(role="admin", is_superuser=True, is_staff=True, language="en")
    job = import_job_create(call=call, kind="applications", data=csv_bytes([applicant_row(700101)]), original_name="a.csv",
                            status=ImportJobStatus.CHECKED, actor=admin)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    with translation.override("tr"):  # the scheduler, in the site's language
        import_jobs_expire(at=timezone.now())
    job.refresh_from_db()
    assert job.errors == ["not confirmed within a day; upload the file again"]
