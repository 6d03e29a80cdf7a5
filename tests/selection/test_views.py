import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selection.models import RunStatus, SelectionRun
from selection.services import SelectionNeedsConfirmation, selection_run, selection_run_enqueue, selection_run_start
from selection.views import PAGE_SIZE
from tests.selection.helpers import apply, apply_many

pytestmark = pytest.mark.django_db


def test_a_student_cannot_open_or_start_the_selection(client, student, call):
    client.force_login(student)
    assert client.get(reverse("selection:page", args=[call.code])).status_code == 403
    assert client.post(reverse("selection:start", args=[call.code])).status_code == 403
    assert client.get(reverse("selection:download", args=[call.code, "csv"])).status_code == 403
    assert not SelectionRun.objects.exists()


def test_staff_start_a_run_from_the_page_and_see_the_ranked_list(client, staff, call, django_capture_on_commit_callbacks):
    apply(call, "CENG", gpa="3.60", number="1001")
    apply(call, "CENG", gpa=None, number="1002")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        # Applications are still open: the staff member confirms (the confirmation page's checkbox).
        response = client.post(reverse("selection:start", args=[call.code]), {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    run = SelectionRun.objects.get()
    assert run.status == RunStatus.FINISHED and run.started_by == staff
    page = client.get(reverse("selection:page", args=[call.code]) + "?department=CENG", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1001" in page and "No GPA yet" in page and "Primary" in page


def test_neither_door_starts_a_run_while_applications_are_open_without_a_confirmation(client, staff, call):
    client.force_login(staff)
    response = client.post(reverse("selection:start", args=[call.code]))
    assert response.status_code == 302 and response["Location"] == reverse("office:run_start", args=[call.code])
    page = client.post(reverse("office:run_start", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    assert not SelectionRun.objects.exists()


def test_the_service_refuses_an_unconfirmed_run_while_applications_are_open(call):
    with pytest.raises(SelectionNeedsConfirmation):
        selection_run_enqueue(call=call)
    assert not SelectionRun.objects.exists()
    run = selection_run_enqueue(call=call, early_confirmed=True)
    assert run.before_close


def test_starting_while_a_run_is_active_shows_a_clear_message(client, staff, call):
    selection_run_start(call=call)
    client.force_login(staff)
    response = client.post(reverse("selection:start", args=[call.code]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already running" in response.content.decode()
    assert SelectionRun.objects.count() == 1


def test_the_status_box_polls_while_busy_and_refreshes_when_done(client, staff, call):
    run = selection_run_start(call=call)
    client.force_login(staff)
    busy = client.get(reverse("selection:status", args=[call.code]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in busy
    from selection.services import selection_run_execute

    selection_run_execute(run_id=run.pk)
    done = client.get(reverse("selection:status", args=[call.code]) + "?was=busy", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 2s" not in done.content.decode()


def test_a_coordinator_sees_only_their_departments_and_cannot_run(client, coordinator, call):
    apply(call, "CENG", number="1001")
    apply(call, "MIS", number="3001")
    selection_run(call=call)
    coordinator.departments.add(call.call_departments.get(department__code="MIS").department)
    client.force_login(coordinator)
    page = client.get(reverse("selection:page", args=[call.code])).content.decode()
    assert "3001" in page and "1001" not in page
    assert client.get(reverse("selection:page", args=[call.code]) + "?department=CENG").status_code == 404
    assert client.post(reverse("selection:start", args=[call.code])).status_code == 403
    assert client.get(reverse("selection:download", args=[call.code, "csv"])).status_code == 404


def test_downloads_give_the_contract_files(client, staff, call):
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    client.force_login(staff)
    response = client.get(reverse("selection:download", args=[call.code, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[1].startswith("1001,CENG,1,primary,1,")
    assert client.get(reverse("selection:download", args=[call.code, "pdf"])).content[:4] == b"%PDF"
    assert client.get(reverse("selection:download", args=[call.code, "xlsx"])).content[:2] == b"PK"


def _numbers(response, prefix: str) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(rf"\b{prefix}\d{{5}}\b", response.content.decode()))


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_selection_page_query_count_does_not_grow_with_rows_or_pages(client, request, call, role):
    user = request.getfixturevalue(role)
    if role == "coordinator":
        user.departments.add(call.call_departments.get(department__code="CENG").department)
    apply_many(call, "CENG", 10, prefix="C")
    apply_many(call, "MIS", 10, prefix="M")
    selection_run(call=call)
    client.force_login(user)
    url = reverse("selection:page", args=[call.code]) + "?department=CENG"
    client.get(url)  # sessions, permissions and content types are cached from here on
    cache.clear()  # the rows and counts of a finished run are cached: measure what a first view costs
    with CaptureQueriesContext(connection) as ten:
        assert len(_numbers(client.get(url), "C")) == 10

    apply_many(call, "CENG", 990, prefix="C", start=10)
    apply_many(call, "MIS", 990, prefix="M", start=10)
    selection_run(call=call)
    with CaptureQueriesContext(connection) as first_page:
        first = _numbers(client.get(url), "C")
    cache.clear()
    with CaptureQueriesContext(connection) as second_page:
        second = _numbers(client.get(url + "&page=2"), "C")

    assert len(first) == len(second) == PAGE_SIZE and not first & second
    assert len(first_page) == len(ten), "\n".join(q["sql"] for q in first_page.captured_queries)
    assert len(second_page) == len(ten), "\n".join(q["sql"] for q in second_page.captured_queries)


def test_the_status_box_is_for_the_office_only(client, student, call):
    url = reverse("selection:status", args=[call.code])
    assert client.get(url).status_code in (302, 403)  # anonymous: to the login page or refused
    client.force_login(student)
    assert client.get(url).status_code == 403


def test_a_coordinator_sees_the_totals_of_their_departments_only(client, coordinator, staff, call):
    """Point 11: the run box and the run table showed a coordinator call-wide totals."""
    apply(call, "CENG", number="1001")
    apply(call, "CENG", gpa=None, number="1002")
    apply(call, "MIS", number="3001")
    selection_run(call=call)
    call_wide, mis_only = "2 primary, 0 reserve, 1 excluded", "1 primary, 0 reserve, 0 excluded"
    call_wide_row = '<td class="num">2</td><td class="num">0</td><td class="num">1</td>'
    mis_row = '<td class="num">1</td><td class="num">0</td><td class="num">0</td>'

    coordinator.departments.add(call.call_departments.get(department__code="MIS").department)
    client.force_login(coordinator)
    page = client.get(reverse("selection:page", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    box = client.get(reverse("selection:status", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mis_only in page and mis_only in box and mis_row in page
    assert call_wide not in page + box and call_wide_row not in page

    client.force_login(staff)
    page = client.get(reverse("selection:page", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert call_wide in page and call_wide_row in page


def test_the_result_pages_never_load_run_snapshots(client, staff, coordinator, call):
    """Point 10: each request loaded the whole inputs snapshot of the run, several times."""
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    selection_run(call=call)
    coordinator.departments.add(call.call_departments.get(department__code="CENG").department)
    pages = [
        reverse("selection:page", args=[call.code]) + "?department=CENG",
        reverse("selection:status", args=[call.code]),
        reverse("selection:download", args=[call.code, "csv"]),
    ]
    for user in (staff, coordinator):
        client.force_login(user)
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            loaded = [q["sql"] for q in queries if "_snapshot" in q["sql"]]
            assert loaded == [], (user, url)


def test_selection_page_query_count_is_the_same_for_10_and_150_rows_and_on_the_second_page(client, staff, call):
    for i in range(10):
        apply(call, "CENG", number=f"1{i:03d}")
    selection_run(call=call)
    client.force_login(staff)
    url = reverse("selection:page", args=[call.code]) + "?department=CENG"
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ten:
        client.get(url)
    for i in range(10, 150):
        apply(call, "CENG", number=f"1{i:03d}")
    selection_run(call=call)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as second:
        page_two = client.get(url + "&page=2")
    assert first.status_code == page_two.status_code == 200
    assert "department=CENG&amp;page=1" in page_two.content.decode()  # really the second page
    assert len(ten) == len(many) == len(second)


def test_a_finished_runs_page_seen_again_reads_no_result_rows(client, staff, call):
    """A finished run never changes: its page's rows and the department's count come from the cache."""
    for i in range(10):
        apply(call, "CENG", number=f"1{i:03d}")
    selection_run(call=call)
    client.force_login(staff)
    url = reverse("selection:page", args=[call.code]) + "?department=CENG"
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(url).content.decode()
    ranking = re.compile(r'<table class="ranking">.*?</table>', re.S)
    assert ranking.search(first)[0] == ranking.search(second)[0] and "1009" in second
    assert not [q["sql"] for q in again.captured_queries if "selection_selectionresult" in q["sql"]]
    selection_run(call=call)  # a new run: its own rows, read once
    with CaptureQueriesContext(connection) as new_run:
        assert "1009" in client.get(url).content.decode()
    assert [q["sql"] for q in new_run.captured_queries if "selection_selectionresult" in q["sql"]]


def test_while_applications_are_open_the_run_button_asks_first(client, staff, call):
    """The call fixture is still open: the button leads to the confirmation, not straight to a run."""
    client.force_login(staff)
    page = client.get(reverse("selection:page", args=[call.code])).content.decode()
    assert reverse("office:run_start", args=[call.code]) in page
    assert f'action="{reverse("selection:start", args=[call.code])}"' not in page


def test_a_coordinator_gets_download_links_for_their_departments(client, coordinator, call):
    apply(call, "MIS", number="3001")
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    coordinator.departments.add(call.call_departments.get(department__code="MIS").department)
    client.force_login(coordinator)
    page = client.get(reverse("selection:page", args=[call.code])).content.decode()
    link = reverse("office:list_download", args=[call.code, "office", "csv"])
    assert link in page
    text = client.get(link).content.decode()
    assert "3001" in text and "1001" not in text
