"""The pre-check before applying uses the engine's own rule and reason codes."""
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.selectors import exam_session_for_call
from selection.models import SelectionResult
from selection.precheck import DEPARTMENT_NOT_IN_CALL, eligibility_precheck
from selection.services import selection_run
from tests.applications.student.conftest import draft_post
from tests.factories import ExamResultFactory
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


def check(call, **kwargs):
    values = {"department_code": "CENG", "level": "bachelor", "gpa": Decimal("3.00"), "previous_degree_gpa": None, "exam": None}
    values.update(kwargs)
    return eligibility_precheck(call=call, **values)


@pytest.mark.parametrize("kwargs, reason", [
    ({"department_code": "PHYS"}, DEPARTMENT_NOT_IN_CALL),
    ({"gpa": None}, "no_gpa"),
    ({"gpa": Decimal("0")}, "no_gpa"),
    ({"gpa": None, "level": "master"}, "missing_transcript"),
    ({"gpa": Decimal("2.19")}, "gpa_below_minimum"),
    ({"gpa": Decimal("2.40"), "level": "master"}, "gpa_below_minimum"),
])
def test_reasons(call, kwargs, reason):
    assert check(call, **kwargs).reasons == (reason,)


def test_minimum_gpa_is_inclusive_and_a_transcript_counts_for_graduates(call):
    assert check(call, gpa=Decimal("2.20")).eligible
    assert check(call, gpa=None, level="master", previous_degree_gpa=Decimal("3.00")).eligible


def test_before_the_exam_results_the_exam_is_pending_not_a_reason(call):
    result = check(call)
    assert result.eligible and result.exam_pending


def test_exam_reasons_once_the_office_entered_results(call, alice):
    session = exam_session_for_call(call=call)
    low = ExamResultFactory(session=session, applicant=alice.applicant, written=Decimal("59"))
    assert check(call, exam=low).reasons == ("written_below_minimum",)
    low.absent, low.written = True, None
    assert check(call, exam=low).reasons == ("absent_exam",)


@pytest.mark.parametrize("fields", [
    {"gpa": "2.10"}, {"gpa": None}, {"gpa": None, "level": "master"}, {"written": "50"}, {"absent": True, "written": None},
    {"gpa": "3.50"},
])
def test_the_pre_check_agrees_with_the_selection_run(call, fields):
    application = apply(call, "CENG", **fields)
    exam = application.applicant.exam_results.get()
    run = selection_run(call=call)
    stored = SelectionResult.objects.get(run=run, application=application).reason
    found = check(call, level=application.level, gpa=application.gpa, exam=exam).reasons
    assert found == ((stored,) if stored else ())


def test_the_call_page_shows_why_in_words(client, alice, call):
    client.force_login(alice)
    client.post(reverse("applications:apply", args=[call.code]), draft_post(call, gpa="2.00"))
    page = client.get(reverse("applications:call", args=[call.code])).content.decode()
    assert 'data-reason="gpa_below_minimum"' in page and "GPA below the minimum" in page


def test_a_new_student_without_records_is_told_how_to_see_the_check(client, alice, call):
    client.force_login(alice)
    page = client.get(reverse("applications:call", args=[call.code])).content.decode()
    assert "save a draft: the page then tells you whether you can apply" in page
    assert "data-eligible" not in page
