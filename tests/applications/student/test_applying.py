"""Drafts, submission, reopening and withdrawal, only inside the call's window (server-side instants)."""
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationSource, ApplicationStatus, OutcomeKind, OutcomeRecord
from applications.student.applying import ApplicationError, application_transition
from mobility.models import AuditEntry, CallStatus
from selection.models import SelectionResult
from selection.services import selection_run
from tests.applications.student.conftest import dept, draft_post, seconds
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def post_at(client, url, data, at):
    with mock.patch("portal.student_views.timezone.now", return_value=at):
        return client.post(url, data)


def test_draft_is_saved_then_submitted_and_only_submitted_are_evaluated(client, alice, call, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    response = client.post(reverse("applications:apply", args=[call.code]), draft_post(call))
    assert response.status_code == 302
    application = Application.objects.get(applicant__user=alice)
    assert (application.status, application.source, application.gpa) == (ApplicationStatus.DRAFT, ApplicationSource.STUDENT, Decimal("3.10"))
    assert not SelectionResult.objects.filter(run=selection_run(call=call)).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert [r.application_id for r in SelectionResult.objects.filter(run=selection_run(call=call))] == [application.pk]
    assert len(mailoutbox) == 1 and call.code in mailoutbox[0].subject
    assert "http://127.0.0.1:8000/calls/" in mailoutbox[0].body


def test_save_and_submit_in_one_request(client, alice, call):
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]), {**draft_post(call), "submit": "1"})
    assert Application.objects.get(applicant__user=alice).status == ApplicationStatus.SUBMITTED


def test_reopen_change_and_withdraw_until_the_close(client, alice, call):
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]), {**draft_post(call), "submit": "1"})
    application = Application.objects.get(applicant__user=alice)
    client.post(reverse("applications:reopen", args=[application.pk]))
    client.post(reverse("applications:apply", args=[call.code]), draft_post(call, "MIS", gpa="3.40"))
    application.refresh_from_db()
    assert (application.status, application.department.code, application.gpa) == ("draft", "MIS", Decimal("3.40"))
    client.post(reverse("applications:withdraw", args=[application.pk]), {"confirm": "yes"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="application.withdrawn", object_id=str(application.pk)).exists()


@pytest.mark.parametrize("data", [{}, {"confirm": "on"}, {"confirm": "no"}])
def test_a_withdrawal_without_confirm_yes_changes_nothing_and_shows_the_consequence(client, alice, call, data):
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]), {**draft_post(call), "submit": "1"})
    application = Application.objects.get(applicant__user=alice)
    url = reverse("applications:withdraw", args=[application.pk])
    before = (AuditEntry.objects.count(), application.updated_at)

    for response in (client.get(url, HTTP_ACCEPT_LANGUAGE="en"), client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")):
        page = response.content.decode()
        assert response.status_code == 200
        assert "costs 10 points in your later applications" in page
        assert 'name="confirm" value="yes"' in page and "<details" not in page  # a plain form: no script needed
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert (AuditEntry.objects.count(), application.updated_at) == before

    done = client.post(url, {"confirm": "yes"})
    application.refresh_from_db()
    assert done.status_code == 302 and application.status == ApplicationStatus.WITHDRAWN


@pytest.mark.parametrize("offset, allowed", [(-1, True), (0, False), (1, False)])
def test_the_close_instant_is_enforced_to_the_second(client, alice, call, offset, allowed):
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]), draft_post(call))
    application = Application.objects.get(applicant__user=alice)
    before = (application.status, application.updated_at, AuditEntry.objects.count())
    response = post_at(client, reverse("applications:submit", args=[application.pk]), {}, call.applications_close + seconds(offset))
    application.refresh_from_db()
    if allowed:
        assert application.status == ApplicationStatus.SUBMITTED
    else:
        assert (application.status, application.updated_at, AuditEntry.objects.count()) == before
        page = client.get(response["Location"])
        assert "Applications closed on" in page.content.decode()


def test_a_draft_saved_one_second_after_the_close_changes_nothing(client, alice, call):
    client.force_login(alice)
    response = post_at(client, reverse("applications:apply", args=[call.code]), draft_post(call), call.applications_close + seconds(1))
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_a_call_that_is_not_announced_takes_no_application(alice, call, now):
    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), status="draft", source="student")
    call.status = CallStatus.APPLICATIONS_CLOSED
    call.save()
    with pytest.raises(ApplicationError):
        application_transition(application=application, to="submitted", actor=alice, at=now)


def test_office_imported_values_cannot_be_changed_by_the_student(client, alice, call):
    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call, "SENG"), gpa=Decimal("2.90"))
    client.force_login(alice)
    client.post(reverse("applications:reopen", args=[application.pk]))
    client.post(reverse("applications:apply", args=[call.code]), draft_post(call, "CENG", gpa="4.00", level="master"))
    application.refresh_from_db()
    assert (application.department.code, application.gpa, application.level) == ("SENG", Decimal("2.90"), "bachelor")
    page = client.get(reverse("applications:call", args=[call.code])).content.decode()
    assert "come from the office's records" in page


def test_declarations_are_prefilled_from_history_and_cannot_go_below_it(client, alice, call):
    earlier_call = CallFactory(applications_open=call.applications_open - seconds(400 * 86400),
                               applications_close=call.applications_open - seconds(300 * 86400))
    earlier = ApplicationFactory(call=earlier_call, applicant=alice.applicant, department=dept(call))
    OutcomeRecord.objects.create(application=earlier, kind=OutcomeKind.PARTICIPATED)
    OutcomeRecord.objects.create(application=earlier, kind=OutcomeKind.MISSED_ORIENTATION)
    client.force_login(alice)
    page = client.get(reverse("applications:call", args=[call.code]))
    form = page.context["form"]
    assert form.initial["prior_participations"] == 1 and form.initial["missed_orientation"] is True
    assert form.initial["department"] == dept(call).pk  # from the office's earlier record
    client.post(reverse("applications:apply", args=[call.code]), draft_post(call, prior_participations="0"))
    application = Application.objects.get(call=call)
    assert application.prior_participations == 1 and application.missed_orientation


def test_a_department_outside_the_call_is_refused(client, alice, call):
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(code="PHYS")
    client.force_login(alice)
    response = client.post(reverse("applications:apply", args=[call.code]), {**draft_post(call), "department": other.pk})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_an_office_import_and_a_students_own_submission_give_the_same_application(client, alice, call, tmp_path):
    from django.core.management import call_command

    from applications.selectors import exam_session_for_call
    from tests.applications.helpers import applicant_row, write_csv
    from tests.factories import ExamResultFactory

    call_command("import_applicants", call.code, str(write_csv(tmp_path / "a.csv", [
        applicant_row(390001, gpa="3.10", prior_participations="1", missed_orientation="yes"),
    ])), stdout=None)
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]),
                {**draft_post(call, prior_participations="1", missed_orientation="on"), "submit": "1"})
    imported = Application.objects.get(applicant__student_number="390001")
    own = Application.objects.get(applicant__user=alice)
    fields = ["status", "department_id", "level", "gpa", "previous_degree_gpa", "prior_participations", "same_year_study_primary",
              "late_withdrawal", "non_prioritised_choice", "missed_orientation", "missed_exam", "disability",
              "martyr_veteran_relative", "protection_2828"]
    assert [getattr(imported, f) for f in fields] == [getattr(own, f) for f in fields]
    session = exam_session_for_call(call=call)
    for application in (imported, own):
        ExamResultFactory(session=session, applicant=application.applicant, written=Decimal("70"), listening=Decimal("60"))
    results = SelectionResult.objects.filter(run=selection_run(call=call))
    assert len({(r.final_score, tuple(map(str, r.adjustments))) for r in results}) == 1
