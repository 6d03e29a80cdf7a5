import datetime as dt

import pytest

from applications.history import application_prefill_from_history, history_adjustments
from applications.models import OutcomeKind, OutcomeRecord
from selection.services import selection_run
from tests.factories import ApplicantFactory, ApplicationFactory, CallDepartmentFactory, CallFactory

pytestmark = pytest.mark.django_db


def _call(code, year):
    call = CallFactory(
        code=code,
        applications_open=dt.datetime(year, 12, 5, tzinfo=dt.UTC),
        applications_close=dt.datetime(year, 12, 20, tzinfo=dt.UTC),
        letter_deadline=dt.datetime(year + 1, 3, 15, tzinfo=dt.UTC),
    )
    CallDepartmentFactory(call=call, department__code="CENG")
    return call


def test_earlier_outcomes_prefill_the_next_calls_deductions():
    student = ApplicantFactory()
    for year, kinds in ((2020, [OutcomeKind.PARTICIPATED]), (2021, [OutcomeKind.PARTICIPATED, OutcomeKind.MISSED_ORIENTATION])):
        call = _call(f"C{year}", year)
        application = ApplicationFactory(call=call, applicant=student, department=call.call_departments.get().department)
        for kind in kinds:
            OutcomeRecord.objects.create(application=application, kind=kind)
    current = _call("C2022", 2022)
    assert history_adjustments(applicant=student, before_call=current) == {
        "prior_participations": 2, "late_withdrawal": False, "missed_orientation": True, "missed_exam": False,
    }
    application = ApplicationFactory(call=current, applicant=student, department=current.call_departments.get().department)
    application_prefill_from_history(application=application)
    application.refresh_from_db()
    assert application.prior_participations == 2 and application.missed_orientation


def test_prefilled_history_reaches_the_score_as_minus_twenty_for_two_participations():
    student = ApplicantFactory(student_number="777")
    for year in (2019, 2020):
        call = _call(f"H{year}", year)
        application = ApplicationFactory(call=call, applicant=student, department=call.call_departments.get().department)
        OutcomeRecord.objects.create(application=application, kind=OutcomeKind.PARTICIPATED)
    current = _call("H2022", 2022)
    application = ApplicationFactory(call=current, applicant=student, department=current.call_departments.get().department)
    from applications.selectors import exam_session_for_call
    from tests.factories import ExamResultFactory

    ExamResultFactory(session=exam_session_for_call(call=current), applicant=student)
    application_prefill_from_history(application=application)
    run = selection_run(call=current)
    result = run.results.get(student_number="777")
    assert result.adjustments_total == -20


def test_outcomes_of_later_calls_do_not_count():
    student = ApplicantFactory()
    current = _call("NOW", 2022)
    later = _call("LATER", 2023)
    application = ApplicationFactory(call=later, applicant=student, department=later.call_departments.get().department)
    OutcomeRecord.objects.create(application=application, kind=OutcomeKind.WITHDREW_LATE)
    assert history_adjustments(applicant=student, before_call=current)["late_withdrawal"] is False


def test_admin_action_prefills_selected_applications(client):
    from tests.factories import UserFactory

    student = ApplicantFactory()
    earlier = _call("A2020", 2020)
    went = ApplicationFactory(call=earlier, applicant=student, department=earlier.call_departments.get().department)
    OutcomeRecord.objects.create(application=went, kind=OutcomeKind.PARTICIPATED)
    current = _call("A2022", 2022)
    application = ApplicationFactory(call=current, applicant=student, department=current.call_departments.get().department)
    client.force_login(UserFactory(role="admin", is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/applications/application/",
        {"action": "prefill_from_history", "_selected_action": [application.pk]},
        follow=True,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.prior_participations == 1


NOTHING = {"prior_participations": 0, "late_withdrawal": False, "missed_orientation": False, "missed_exam": False}


def _record_every_kind(call, applicant):
    application = ApplicationFactory(call=call, applicant=applicant, department=call.call_departments.get().department)
    for kind in OutcomeKind:
        OutcomeRecord.objects.create(application=application, kind=kind)


def test_outcomes_recorded_on_the_same_call_do_not_count():
    student = ApplicantFactory()
    current = _call("SAME", 2022)
    _record_every_kind(current, student)
    assert history_adjustments(applicant=student, before_call=current) == NOTHING


def test_outcomes_of_a_call_whose_window_overlaps_this_one_do_not_count():
    student = ApplicantFactory()
    current = _call("NOW", 2022)  # 5–20 December 2022
    overlapping = CallFactory(
        code="OVERLAP",
        applications_open=dt.datetime(2022, 11, 20, tzinfo=dt.UTC),
        applications_close=dt.datetime(2022, 12, 10, tzinfo=dt.UTC),
    )
    CallDepartmentFactory(call=overlapping, department__code="CENG")
    _record_every_kind(overlapping, student)
    assert history_adjustments(applicant=student, before_call=current) == NOTHING


def test_every_kind_of_outcome_of_an_earlier_call_counts():
    student = ApplicantFactory()
    _record_every_kind(_call("BEFORE", 2021), student)
    assert history_adjustments(applicant=student, before_call=_call("NOW", 2022)) == {
        "prior_participations": 1, "late_withdrawal": True, "missed_orientation": True, "missed_exam": True,
    }
