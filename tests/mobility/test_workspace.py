import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ApplicationStatus, BonusClaim
from portal.workspace import call_workspace
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(call):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from applications.models import Document, DocumentKind

    mine = apply(call, "CENG", number="1001", disability=BonusClaim.CLAIMED)
    Document.objects.create(
        application=mine, kind=DocumentKind.DISABILITY, file=ContentFile(b"%PDF-1.4", name="x.pdf"), original_name="x.pdf",
        content_type="application/pdf", size=8, uploaded_at=timezone.now(),
    )
    # A claim without a document waits for the student, not for the office.
    apply(call, "CENG", number="1002", exam=False, martyr_veteran_relative=BonusClaim.CLAIMED)
    apply(call, "MIS", number="3001", status=ApplicationStatus.WITHDRAWN)
    apply(call, "MIS", number="3002")
    return call


def test_the_workspace_counts_the_pipeline_and_says_what_needs_attention(busy):
    ws = call_workspace(call=busy, departments=None, include_sensitive=True)
    assert ws.applications == {"submitted": 3, "withdrawn": 1}
    assert ws.documents_waiting == 1
    assert (ws.exams_imported, ws.exams_missing) == (2, 1)
    assert {"exams_missing", "documents_waiting", "no_run"} <= set(ws.attention)
    selection_run(call=busy)
    ws = call_workspace(call=busy, departments=None, include_sensitive=True)
    assert "no_run" not in ws.attention and "before_close" in ws.attention
    assert ws.outcomes_by_department["CENG"]["excluded"] == 1
    assert sum(ws.scores_by_department["CENG"]) == 1


def test_a_coordinator_counts_only_their_departments_and_no_documents(busy):
    ws = call_workspace(call=busy, departments=["MIS"], include_sensitive=False)
    assert ws.applications == {"submitted": 1, "withdrawn": 1}
    assert ws.documents_waiting is None
    assert (ws.exams_imported, ws.exams_missing) == (1, 0)


def test_the_call_page_shows_the_workspace_with_charts_and_links_to_the_imports(client, staff, busy):
    selection_run(call=busy)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("office_call_detail", args=[busy.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<svg" in page and "Primary, reserve and excluded per department" in page
    assert reverse("admin:applications_examresult_import") in page
    assert "1 document waits for a decision." in page
    assert len(ctx.captured_queries) < 40


def test_a_coordinator_sees_their_departments_and_no_status_buttons(client, coordinator, busy):
    coordinator.departments.add(busy.call_departments.get(department__code="MIS").department)
    selection_run(call=busy)
    client.force_login(coordinator)
    page = client.get(reverse("office_call_detail", args=[busy.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 submitted" not in page and "1 submitted" in page
    assert "document waits" not in page and "Documents waiting" not in page
    assert reverse("office:transition", args=[busy.code, "applications_closed"]) not in page


def test_amounts_have_thousands_separators_in_both_languages(client, staff, call):
    # Signed-in pages follow the language on the user's profile.
    staff.language = "tr"
    staff.save(update_fields=["language"])
    client.force_login(staff)
    assert "€5.400,00" in client.get(reverse("office_call_detail", args=[call.code]), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    staff.language = "en"
    staff.save(update_fields=["language"])
    assert "€5,400.00" in client.get(reverse("office_call_detail", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_call_page_makes_as_many_queries_for_1000_applications_as_for_10(client, staff, call):
    def count():
        selection_run(call=call)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("office_call_detail", args=[call.code])).status_code == 200
        return len(ctx.captured_queries)

    for i in range(10):
        apply(call, "CENG" if i % 2 else "MIS", number=f"5{i:05d}")
    client.force_login(staff)
    small = count()
    for i in range(10, 1000):
        apply(call, ("CENG", "MIS", "SENG")[i % 3], number=f"5{i:05d}")
    assert count() == small
