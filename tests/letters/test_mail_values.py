"""The deadline's and promotion's e-mails read the students as plain values (`students_read`,
`students_mail`); they must be the e-mails `student_mail` writes from the Application, Applicant
and User: same key, address, language, subject and body, for every kind and account."""
import datetime as dt

import pytest

from applications.student.notices import student_mail, students_mail, students_read
from letters import notifications
from letters.models import PlacementStatus
from mobility.outbox import mail_render
from tests.factories import ApplicantFactory, CallFactory, LetterFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db
DEADLINE = dt.datetime(2025, 3, 15, 13, 0, tzinfo=dt.UTC)
KINDS = [("promoted", ""), ("lost_place", "deadline"), ("reserve_expired", "deadline"),
         ("reserve_expired", "reserve_list_end"), ("lost_place", "rejected_after_deadline"),
         ("letter_approved", ""), ("letter_rejected", ""), ("reminder", "")]
# No account; an account in each language; an account without a language or an address of its own.
ACCOUNTS = [None, {"language": "en"}, {"language": "tr"}, {"language": ""}, {"language": "en", "email": ""}]


def _row(mail):
    message = mail_render(mail)
    return mail.key, message.recipient, message.language, message.subject, message.body


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize(("kind", "action"), KINDS)
def test_the_mail_from_plain_values_is_the_mail_from_the_models(account, kind, action):
    call = CallFactory(letter_deadline=DEADLINE, reserve_list_end=DEADLINE + dt.timedelta(days=20), title="Staj O'Brien & Co")
    user = UserFactory(**account) if account is not None else None
    applicant = ApplicantFactory(user=user, first_name="Çağrı", last_name="Şahin")
    placement = PlacementFactory(call=call, status=PlacementStatus.PRIMARY, application__applicant=applicant)
    LetterFactory(placement=placement, host_name="Müller & Söhne GmbH")
    context = {"reason": notifications.REASONS.get(action, "")}

    plain = student_mail(application=placement.application, **notifications._mail(placement=placement, kind=kind, key=None, context=context))
    student = students_read([placement.application_id])[placement.application_id]
    fast = students_mail(student=student, **notifications._mail(placement=placement, kind=kind, key=None, context=context))

    row = _row(plain)
    assert _row(fast) == row
    # The comparison means something: the student's name, the call and the address are in it.
    assert "Çağrı" in row[4] and call.code in row[3] and row[1]
