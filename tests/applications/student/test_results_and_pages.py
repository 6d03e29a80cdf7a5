"""After publication: itemised result, timeline, months left, e-mails; dashboard; language on the profile."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import OutcomeKind, OutcomeRecord
from applications.selectors import exam_session_for_call
from applications.student.selectors import erasmus_months_left
from mobility.models import CallStatus
from selection.publication import run_publish
from selection.services import selection_run
from tests.applications.student.conftest import dept, linked
from tests.factories import ApplicationFactory, CallFactory, ExamResultFactory
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(call, alice):
    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), gpa=Decimal("3.60"),
                                      prior_participations=1, missed_orientation=True, disability="verified",
                                      martyr_veteran_relative="claimed")
    ExamResultFactory(session=exam_session_for_call(call=call), applicant=alice.applicant, written=Decimal("80"), listening=Decimal("60"))
    apply(call, "CENG", gpa="3.00", written="70")
    apply(call, "MIS", gpa="2.00")
    return application


def test_after_publication_the_student_sees_itemised_scores_rank_and_outcome(client, alice, call, mine):
    client.force_login(alice)
    assert "id=\"result\"" not in client.get(reverse("applications:call", args=[call.code])).content.decode()
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    response = client.get(reverse("applications:call", args=[call.code]))
    page = response.content.decode()
    result = response.context["result"]
    assert result.application_id == mine.pk
    # 3.60 × 25 = 90; 80 × .75 + 60 × .25 = 75; (90 + 75) / 2 = 82.5; −10 −5 +10 = 77.5
    assert (result.academic_score, result.language_score, result.final_score) == (Decimal("90.00"), Decimal("75.00"), Decimal("77.50"))
    for text in ("Your preliminary result", "Earlier Erasmus+ participation (each)", "-10.00", "Missed an orientation meeting",
                 "Documented disability", "+10.00", "document not accepted, no bonus", "77.50", "Rank in your department"):
        assert text in page, text
    assert f'data-outcome="{result.outcome}"' in page
    assert "10 / 12" in page  # one earlier participation, counted as this call's 2 funded months


def test_a_published_call_stays_on_the_dashboard(client, alice, call, mine):
    selection_run(call=call)
    call.applications_close = timezone.now() - dt.timedelta(days=1)
    call.applications_open = call.applications_close - dt.timedelta(days=10)
    call.save()
    run_publish(call=call, stage="final", at=timezone.now(), confirmed=True)
    client.force_login(alice)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("applications:call", args=[call.code]) in page
    other = linked()
    client.force_login(other)
    assert reverse("applications:call", args=[call.code]) in client.get(reverse("dashboard")).content.decode()


def test_results_published_mail_goes_to_every_applicant_once_in_their_language(call, mine, mailoutbox, django_capture_on_commit_callbacks):
    turkish = linked(language="tr")
    ApplicationFactory(call=call, applicant=turkish.applicant, department=dept(call))
    ApplicationFactory(call=call, applicant=linked().applicant, department=dept(call), status="draft")
    selection_run(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        publication = run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    # alice, the Turkish student and the two helper applicants; not the draft.
    assert len(mailoutbox) == 4
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Preliminary results published" in by_address[mine.applicant.user.email].subject
    assert "Ön sonuçlar" in by_address[turkish.email].subject or "ön" in by_address[turkish.email].subject.lower()
    assert all("http://127.0.0.1:8000/calls/" in m.body for m in mailoutbox)
    from applications.student.mails import results_published_owe
    from mobility.outbox import outbox_send

    assert results_published_owe(publication=publication) == 0  # owed once per publication
    assert outbox_send() == 0
    assert len(mailoutbox) == 4


def test_months_left_counts_recorded_participations_of_the_same_cycle(call, alice):
    earlier_call = CallFactory(funded_months=3, applications_open=call.applications_open - dt.timedelta(days=400),
                               applications_close=call.applications_open - dt.timedelta(days=390))
    earlier = ApplicationFactory(call=earlier_call, applicant=alice.applicant, department=dept(call))
    OutcomeRecord.objects.create(application=earlier, kind=OutcomeKind.PARTICIPATED)
    master = ApplicationFactory(call=CallFactory(), applicant=alice.applicant, department=dept(call), level="master")
    OutcomeRecord.objects.create(application=master, kind=OutcomeKind.PARTICIPATED)
    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), prior_participations=2)
    # 3 recorded months (bachelor) + one more declared participation at this call's 2 months; the master's one is another cycle.
    assert erasmus_months_left(application=application) == (7, 5)


def test_the_timeline_follows_the_application(client, alice, call, mine):
    client.force_login(alice)
    steps = client.get(reverse("applications:call", args=[call.code])).context["timeline"]
    assert [s.done for s in steps][:2] == [True, True]
    assert not any(s.done for s in steps if s.label in ("Preliminary result", "Final result"))
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    steps = client.get(reverse("applications:call", args=[call.code])).context["timeline"]
    assert {s.label: s.done for s in steps}["Preliminary result"] is True


def test_a_draft_call_is_not_public(client, alice, call):
    call.status = CallStatus.DRAFT
    call.save()
    client.force_login(alice)
    assert client.get(reverse("applications:call", args=[call.code])).status_code == 404


def test_the_call_page_is_readable_without_signing_in(client, call):
    page = client.get(reverse("applications:call", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in to apply" in page and "Minimum GPA" in page


def test_the_language_is_kept_on_the_profile_not_the_browser(client, db):
    user = linked(language="tr")
    client.force_login(user)
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="tr">' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.cookies.clear()
    client.force_login(user)
    assert '<html lang="en">' in client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="tr").content.decode()


def test_sign_up_keeps_the_language_the_page_was_in(client, mailoutbox):
    from mobility.models import User

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(reverse("account_signup"), {"email": "lang@ogr.example.edu.tr", "first_name": "A", "last_name": "B",
                                            "student_number": "455001", "password1": "A-long-pass-phrase-9",
                                            "password2": "A-long-pass-phrase-9"})
    assert User.objects.get(email="lang@ogr.example.edu.tr").language == "en"


def test_the_profile_shows_office_values_and_how_to_ask(client, alice, call, mine):
    client.force_login(alice)
    page = client.get(reverse("applications:profile")).content.decode()
    assert alice.applicant.student_number in page and "3.60" in page and "write to the office" in page


def test_the_call_page_opens_with_where_the_student_stands_and_their_own_exam_scores(client, alice, call, mine):
    mine.status = "submitted"
    mine.submitted_at = timezone.now()
    mine.save()
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    client.force_login(alice)
    page = client.get(reverse("applications:call", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    top = page.index('id="next"')
    assert top < page.index('id="dates-h"') and top < page.index('id="rules-h"')
    box = page[top:page.index("</section>", top)]
    assert "written 80" in box and "listening 60" in box and 'href="#result"' in box


def test_withdrawing_asks_first_and_says_what_it_means(client, alice, call, mine):
    client.force_login(alice)
    page = client.get(reverse("applications:call", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    withdraw = reverse("applications:withdraw", args=[mine.pk])
    # The call page only links to the confirmation page; nothing on it withdraws in one step.
    assert f'href="{withdraw}"' in page and f'action="{withdraw}"' not in page
    confirm = client.get(withdraw, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Yes, withdraw my application" in confirm and "points in your later applications" in confirm
