"""Real concurrent transactions on PostgreSQL: the programme lock makes offers and starts take turns."""
import datetime as dt

import pytest

from internships.models import HostUnit, InternshipProgramme, InternshipStudent, Offer, OfferStatus
from internships.services import InternshipError
from internships.services.applications import application_set_choices
from internships.services.offers import insurance_record, internship_start, offer_answer, offer_make, offers_expire
from tests.concurrency import run_concurrently
from tests.internships.helpers import programme_file, run, students_file

pytestmark = pytest.mark.usefixtures("concurrent_db")

TR = dt.timezone(dt.timedelta(hours=3))
IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=TR)
OFFERED = dt.datetime(2024, 5, 2, 15, 0, tzinfo=TR)
START = dt.datetime(2024, 7, 16, 9, 0, tzinfo=TR)


@pytest.fixture
def programme(tmp_path):
    assert run("load_internship_programme", programme_file(tmp_path)).ok
    assert run("import_internship_students", "USP-2024", students_file(tmp_path, [
        "1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,3.10",
        "1002,Mehmet,Demir,mehmet@uni.example,BM,bachelor,2,2.00",
    ])).ok
    programme = InternshipProgramme.objects.get(code="USP-2024")
    for student in InternshipStudent.objects.filter(programme=programme):
        application_set_choices(student=student, calendars=["T20-5-1", "T20-5-2"], cities="06:*", complete=True, at=IN_WINDOW)
    return programme


def test_two_host_units_offering_the_last_place_leave_one_primary(programme):
    lib, it = HostUnit.objects.filter(programme=programme).order_by("code")
    outcomes = run_concurrently(
        lambda: offer_make(programme=programme, position_code="LAST", student_number="1001", kind="primary",
                           calendar_code="T20-5-1", at=OFFERED, host_unit=lib),
        lambda: offer_make(programme=programme, position_code="LAST", student_number="1002", kind="primary",
                           calendar_code="T20-5-1", at=OFFERED, host_unit=it),
    )
    assert sorted(o.ok for o in outcomes) == [False, True]
    error = next(o.error for o in outcomes if not o.ok)
    assert isinstance(error, InternshipError) and error.codes[0] in {"primary_exists", "other_host_unit"}
    assert Offer.objects.filter(position__code="LAST").count() == 1


def test_a_student_starting_twice_at_the_same_instant_leaves_one_started_internship(programme):
    lib, it = HostUnit.objects.filter(programme=programme).order_by("code")
    # Two host units offer the same student at the same moment: both offers stand.
    made = run_concurrently(
        lambda: offer_make(programme=programme, position_code="LIB-1", student_number="1001", kind="primary",
                           calendar_code="T20-5-1", at=OFFERED, host_unit=lib),
        lambda: offer_make(programme=programme, position_code="IT-1", student_number="1001", kind="primary",
                           calendar_code="T20-5-2", at=OFFERED, host_unit=it),
    )
    assert all(o.ok for o in made), [o.error for o in made]
    first, second = (o.value for o in made)
    for offer in (first, second):
        offer_answer(programme=programme, offer_id=offer.pk, accept=True, at=OFFERED + dt.timedelta(hours=1))
        insurance_record(programme=programme, offer_id=offer.pk, at=START - dt.timedelta(days=3))
    outcomes = run_concurrently(
        lambda: internship_start(programme=programme, offer_id=first.pk, at=START),
        lambda: internship_start(programme=programme, offer_id=second.pk, at=START),
    )
    assert sorted(o.ok for o in outcomes) == [False, True]
    refused = next(o.error for o in outcomes if not o.ok)
    assert isinstance(refused, InternshipError) and refused.codes == ["already_started"]
    statuses = sorted(Offer.objects.filter(student__student_number="1001").values_list("status", flat=True))
    assert statuses == [OfferStatus.RELEASED, OfferStatus.STARTED]


def test_the_expiry_job_twice_at_once_is_the_same_as_once(programme):
    offer = offer_make(programme=programme, position_code="P", student_number="1001", kind="primary",
                       calendar_code="T20-5-1", at=OFFERED)
    reserve = offer_make(programme=programme, position_code="P", student_number="1002", kind="reserve",
                         calendar_code="T20-5-1", at=OFFERED, answer_by=OFFERED + dt.timedelta(days=30))
    at = OFFERED + dt.timedelta(days=3, minutes=5)
    outcomes = run_concurrently(lambda: offers_expire(programme=programme, at=at),
                                lambda: offers_expire(programme=programme, at=at))
    assert sorted(len(o.value) for o in outcomes) == [0, 1]
    offer.refresh_from_db()
    reserve.refresh_from_db()
    assert (offer.status, reserve.status) == (OfferStatus.EXPIRED, OfferStatus.OPEN)
    assert reserve.position.holder_id == reserve.pk
