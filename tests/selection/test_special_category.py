"""KVKK: special-category bonuses are for the student and office staff, never for coordinators."""
import pytest

from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


def test_coordinators_do_not_see_special_category_bonuses_staff_do(client, call, coordinator, staff):
    apply(call, "CENG", disability="verified", martyr_veteran_relative="claimed", missed_orientation=True)
    selection_run(call=call)
    coordinator.departments.add(call.call_departments.get(department__code="CENG").department)
    url = f"/office/calls/{call.code}/selection/?department=CENG"
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Missed an orientation meeting" in page
    assert "Documented disability" not in page and "Relative of a martyr or veteran" not in page
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Documented disability" in page and "Relative of a martyr or veteran" in page
