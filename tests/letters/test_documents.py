import datetime as dt
import io

import pytest
from django.core.management import CommandError
from django.urls import reverse
from pypdf import PdfReader

from applications.history import history_adjustments
from applications.models import Applicant
from letters.documents import grant_confirmation_pdf, orientation_invitation_pdf
from letters.models import OrientationMeeting, Placement
from letters.services import PlacementError
from mobility.models import Call
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline, letter

pytestmark = pytest.mark.django_db
TR = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path)
    timeline.publish()
    timeline.letters([letter("1001", decision="approved"), letter("2002")], at="2023-02-01T10:00:00+03:00")
    return timeline


def text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_grant_confirmation_in_turkish_and_english(t):
    placement = Placement.objects.select_related("call", "application__applicant", "letter").get(student_number="1001")
    english = text(grant_confirmation_pdf(placement=placement, language="en"))
    assert "Grant confirmation" in english and "1,500.00" in english and "Host of 1001 GmbH" in english and "750.00" in english
    assert "Germany" in english  # the host country by name, in the document's language
    turkish = text(grant_confirmation_pdf(placement=placement, language="tr"))
    assert "Hibe" in turkish and "1.500,00" in turkish and "Almanya" in turkish
    with pytest.raises(PlacementError):  # a reserve, letter not approved
        grant_confirmation_pdf(placement=Placement.objects.get(student_number="2002"))


def test_orientation_invitation_only_for_students_with_letters_once_the_meeting_is_set(t):
    call = Call.objects.get(code=CODE)
    with pytest.raises(PlacementError):
        orientation_invitation_pdf(placement=Placement.objects.get(student_number="2002"))
    OrientationMeeting.objects.create(call=call, starts_at=dt.datetime(2023, 3, 20, 14, 0, tzinfo=TR), location="Hall B")
    content = text(orientation_invitation_pdf(placement=Placement.objects.get(student_number="2002"), language="en"))
    assert "Hall B" in content and "20 March 2023 14:00" in content
    with pytest.raises(PlacementError):
        orientation_invitation_pdf(placement=Placement.objects.get(student_number="1002"))  # no letter


def test_attendance_feeds_the_missed_orientation_deduction_of_later_calls(t):
    out = t.run("record_orientation", CODE, "1001", at="2023-03-20T16:00:00+03:00")
    assert out.strip() == f"{CODE}: 1 attended, 1 missed"
    later = Call(applications_open=dt.datetime(2024, 1, 1, tzinfo=TR))
    assert history_adjustments(applicant=Applicant.objects.get(student_number="2002"), before_call=later)["missed_orientation"]
    assert not history_adjustments(applicant=Applicant.objects.get(student_number="1001"), before_call=later)["missed_orientation"]
    with pytest.raises(CommandError, match="not invited"):
        t.run("record_orientation", CODE, "1004")


def test_student_downloads_their_grant_confirmation(client, t):
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number="1001").update(user=user)
    client.force_login(user)
    response = client.get(reverse("letters:student_document", args=[CODE, "grant"]) + "?lang=en")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert client.get(reverse("letters:student_document", args=[CODE, "orientation"])).status_code == 404
    assert client.get(reverse("letters:student_document", args=[CODE, "other"])).status_code == 404
