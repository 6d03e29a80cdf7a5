"""Two imports into two calls that add the same new student at the same moment (real PostgreSQL transactions)."""
import threading

import pytest
from django.db import connections

from applications import services
from applications.models import Applicant, Application
from applications.services import applications_import
from mobility.models import Department
from tests.applications.helpers import applicant_row
from tests.concurrency import wait_until_another_transaction_waits_for_this_one
from tests.factories import CallDepartmentFactory, CallFactory

pytestmark = [pytest.mark.usefixtures("concurrent_db", "english")]


def test_the_second_import_waits_and_then_uses_the_student_the_first_added(monkeypatch):
    first = CallFactory(code="CALL-A")
    second = CallFactory(code="CALL-B")
    ceng = Department.objects.create(code="CENG", name="Bilgisayar")
    for call in (first, second):
        CallDepartmentFactory(call=call, department=ceng)

    inserted = threading.Event()
    record = services.audit_record

    def audit_then_pause(**kwargs):
        # The first import has inserted its rows but not committed: hold the transaction open
        # until the second import is really waiting on the uncommitted student (fails otherwise).
        record(**kwargs)
        if kwargs["obj"].code == "CALL-A":
            inserted.set()
            wait_until_another_transaction_waits_for_this_one(
                what="the second import", gave_up=lambda: errors[0] if errors else None)

    monkeypatch.setattr(services, "audit_record", audit_then_pause)
    errors = []

    def second_import():
        try:
            assert inserted.wait(60), "the first import never inserted its rows"
            applications_import(call=second, rows=[applicant_row(700101, first_name="Zeynep")])
        except Exception as exc:  # the test reports it below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_import)
    thread.start()
    applications_import(call=first, rows=[applicant_row(700101)])
    thread.join(300)
    assert not thread.is_alive(), "the second import is still running"

    assert errors == []
    assert Applicant.objects.filter(student_number="700101").count() == 1
    assert set(Application.objects.values_list("call__code", flat=True)) == {"CALL-A", "CALL-B"}
