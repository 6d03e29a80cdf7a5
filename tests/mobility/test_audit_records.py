"""audit_records: many entries at once, the same rows as audit_record writes one by one."""
import pytest

from mobility.models import AuditEntry
from mobility.services.audit import audit_entry, audit_record, audit_records
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_many_entries_are_written_in_order_with_their_time_actor_and_data():
    departments = DepartmentFactory.create_batch(3)
    actor = UserFactory()
    audit_record(actor=actor, action="x.one", obj=departments[0], data={"n": 0})
    audit_records([audit_entry(actor=actor, action="x.many", obj=d, data={"n": i, "text": "Ç'ğ\t\\"})
                   for i, d in enumerate(departments, 1)])
    rows = list(AuditEntry.objects.order_by("id").values("action", "actor", "object_type", "object_id", "data", "at"))
    assert [(r["action"], r["object_id"], r["data"].get("n")) for r in rows] == [
        ("x.one", str(departments[0].pk), 0), *(("x.many", str(d.pk), i) for i, d in enumerate(departments, 1))]
    assert all(r["actor"] == actor.pk and r["object_type"] == "mobility.department" and r["at"] for r in rows)
    assert rows[-1]["data"]["text"] == "Ç'ğ\t\\"


def test_no_entries_writes_nothing():
    audit_records([])
    assert not AuditEntry.objects.exists()
