import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import BonusClaim
from mobility.models import AuditEntry
from selection.compare import runs_compare, what_if_budget
from selection.models import SelectionRun
from selection.services import selection_run
from selection.staleness import run_staleness
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(call):
    apply(call, "CENG", gpa="3.60", written="90", listening="80", number="1001")
    apply(call, "CENG", gpa="3.20", written="80", listening="60", number="1002")
    apply(call, "SENG", gpa="3.00", written="75", listening="60", number="2001")
    apply(call, "MIS", gpa="2.90", written="70", listening="60", number="3001")
    apply(call, "MIS", gpa="2.80", written="70", listening="60", number="3002")
    run = selection_run(call=call)
    return call, run


def test_a_fresh_run_is_not_stale(ranked):
    call, run = ranked
    assert run_staleness(call=call, run=run).stale is False


def test_a_budget_cut_makes_the_last_run_stale(ranked):
    call, run = ranked
    call.budget_eur = Decimal("1350")
    call.save()
    staleness = run_staleness(call=call, run=run)
    assert staleness.stale and "budget" in staleness.reasons


def test_an_import_after_the_run_makes_it_stale(ranked):
    call, run = ranked
    AuditEntry.objects.create(action="exam_results.imported", object_type="mobility.call", object_id=str(call.pk))
    assert "exam results imported" in run_staleness(call=call, run=run).reasons


def test_an_application_edit_after_the_run_makes_it_stale(ranked):
    call, run = ranked
    application = call.applications.get(applicant__student_number="1002")
    application.gpa = Decimal("3.90")
    application.save()
    assert "applications edited" in run_staleness(call=call, run=run).reasons


def test_an_exam_result_edited_in_the_admin_after_the_run_makes_it_stale(ranked, admin_client):
    from applications.models import ExamResult

    call, run = ranked
    result = ExamResult.objects.get(applicant__student_number="1002")
    response = admin_client.post(reverse("admin:applications_examresult_change", args=[result.pk]), {
        "session": result.session_id, "applicant": result.applicant_id, "written": "95", "listening": "60",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "exam results edited" in run_staleness(call=call, run=run).reasons


def test_after_the_final_list_no_run_is_stale(ranked):
    from selection.publication import run_publish

    call, run = ranked
    run_publish(call=call, stage="final", at=timezone.now(), confirmed=True)
    call.refresh_from_db()
    call.budget_eur = Decimal("1350")
    AuditEntry.objects.create(action="exam_results.imported", object_type="mobility.call", object_id=str(call.pk))
    assert run_staleness(call=call, run=run).stale is False


def test_a_new_run_is_fresh_again(ranked):
    call, run = ranked
    call.budget_eur = Decimal("1350")
    call.save()
    assert run_staleness(call=call, run=selection_run(call=call)).stale is False


def test_compare_says_who_moved_and_that_their_own_input_changed(ranked):
    call, older = ranked
    application = call.applications.get(applicant__student_number="3002")
    application.gpa = Decimal("3.95")
    application.save()
    newer = selection_run(call=call)
    moves = {m.student_number: m for m in runs_compare(older=older, newer=newer)["moves"]}
    assert "3002" in moves and "GPA" in moves["3002"].why[0]
    assert "3001" in moves and "others" in moves["3001"].why[0]
    assert "1001" not in moves


def test_compare_names_a_budget_change_for_students_whose_inputs_did_not_change(ranked):
    call, older = ranked
    call.budget_eur = Decimal("1350")
    call.save()
    newer = selection_run(call=call)
    result = runs_compare(older=older, newer=newer)
    assert "budget" in result["rules"]
    assert result["moves"] and all("rules changed" in m.why[0] for m in result["moves"])


def test_what_if_a_smaller_budget_gives_fewer_primaries_and_stores_nothing(ranked):
    call, run = ranked
    result = what_if_budget(call=call, budget="1350", last_run=run)
    assert result["places"] == 1 and result["count"] == 1
    assert [r.student_number for r in result["primaries"]] == ["1001"]
    assert result["changes"]
    assert SelectionRun.objects.count() == 1
    call.refresh_from_db()
    assert call.budget_eur == Decimal("5400.00")


def test_run_pages_open_and_compare_and_what_if_render(client, staff, ranked):
    call, run = ranked
    selection_run(call=call)
    client.force_login(staff)
    for url in (
        reverse("office:runs", args=[call.code]),
        reverse("office:run", args=[call.code, run.pk]) + "?department=CENG",
        reverse("office:compare", args=[call.code]),
        reverse("office:what_if", args=[call.code]) + "?budget=2700",
        reverse("office_call_detail", args=[call.code]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
    page = client.get(reverse("office:run", args=[call.code, run.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call-wide order in which primary places are given" in page  # the legend of the two orders


def test_running_while_applications_are_open_asks_first_and_marks_the_run(client, staff, call, django_capture_on_commit_callbacks):
    apply(call, "CENG", number="1001")
    client.force_login(staff)
    url = reverse("office:run_start", args=[call.code])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "still open" in page
    client.post(url)  # without the confirmation nothing starts
    assert not SelectionRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "yes"})
    run = SelectionRun.objects.get()
    assert run.before_close is True


def test_a_run_after_the_close_is_not_marked(call):
    call.applications_open = timezone.now() - dt.timedelta(days=20)
    call.applications_close = timezone.now() - dt.timedelta(days=1)
    call.save()
    apply(call, "CENG", number="1001")
    assert selection_run(call=call).before_close is False


def test_a_coordinator_sees_the_run_of_their_department_without_scores_or_bonuses(client, coordinator, call):
    apply(call, "CENG", number="1001", disability=BonusClaim.VERIFIED)
    apply(call, "MIS", number="3001")
    run = selection_run(call=call)
    coordinator.departments.add(call.call_departments.get(department__code="CENG").department)
    client.force_login(coordinator)
    page = client.get(reverse("office:run", args=[call.code, run.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1001" in page and "Bonus" not in page and "disability" not in page.lower() and "Final score" not in page
    assert client.get(reverse("office:run", args=[call.code, run.pk]) + "?department=MIS").status_code == 404


@pytest.mark.parametrize("budget", ["NaN", "Infinity", "-Infinity", "1e400", "sNaN", "12e3", "1,2,3"])
def test_what_if_answers_nan_infinity_and_exponents_with_one_line_not_a_500(client, staff, ranked, budget):
    call, _run = ranked
    client.force_login(staff)
    response = client.get(reverse("office:what_if", args=[call.code]), {"budget": budget}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Enter the budget as a number" in response.content.decode()


def test_what_if_takes_a_turkish_amount_and_refuses_one_beyond_the_budget_field(ranked):
    call, run = ranked
    assert what_if_budget(call=call, budget="2.700,00", last_run=run)["places"] == 2
    with pytest.raises(Exception, match="less than"):
        what_if_budget(call=call, budget="99999999999", last_run=run)


def test_the_run_page_says_why_each_student_is_excluded(client, staff, call):
    apply(call, "CENG", gpa="3.60", written="90", number="1001")
    apply(call, "CENG", gpa="1.50", written="90", number="1002")  # below the minimum GPA
    run = selection_run(call=call)
    result = run.results.get(student_number="1002")
    assert result.outcome == "excluded" and result.reason
    client.force_login(staff)
    page = client.get(reverse("office:run", args=[call.code, run.pk]) + "?department=CENG", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-reason="{result.reason}"' in page and str(result.get_reason_display()) in page


def test_what_if_and_compare_say_outcomes_in_the_pages_language_not_codes(client, staff, ranked):
    call, run = ranked
    staff.language = "tr"
    staff.save(update_fields=["language"])
    client.force_login(staff)
    page = client.get(reverse("office:what_if", args=[call.code]), {"budget": "1350"}).content.decode()
    changes = page[page.index("<h3>"):]
    assert "Yedek" in changes or "Asil" in changes
    assert "→ reserve" not in changes and "→ primary" not in changes and "Reserve (yedek)" not in changes
    call.budget_eur = Decimal("1350")
    call.save()
    newer = selection_run(call=call)
    page = client.get(reverse("office:compare", args=[call.code]), {"a": run.pk, "b": newer.pk}).content.decode()
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert "primary," not in body and "reserve," not in body
