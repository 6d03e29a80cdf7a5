"""A NUL byte in a URL is a client error, never a server error (PostgreSQL cannot compare it)."""
import pytest

from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_path_is_not_found(client, staff, call):
    client.force_login(staff)
    assert client.get("/office/calls/%00/").status_code == 404
    assert client.get(f"/office/calls/{call.code}%00/selection/").status_code == 404


def test_a_nul_byte_in_the_query_is_a_bad_request(client, staff, call):
    apply(call, "CENG", gpa="3.60", number="1001")
    selection_run(call=call)
    client.force_login(staff)
    assert client.get(f"/office/calls/{call.code}/selection/?department=CENG%00").status_code == 400
    assert client.get(f"/office/calls/{call.code}/selection/?department=CENG").status_code == 200
