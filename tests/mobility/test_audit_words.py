"""Audit entries in words: a page names each related record with one read, however many entries name it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobility.audit_words import entry_words, related_names_remembered
from mobility.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _department_reads(render) -> tuple[list, int]:
    table = Department._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        result = render()
    return result, sum(1 for q in queries.captured_queries if table in q["sql"])


def _page(before, after):
    data = {"changes": {"department_id": [str(before.pk), str(after.pk)]}}
    return [entry_words(action="application.updated", data=data, labels={}, object_type="applications.application")
            for _ in range(10)]


def test_a_page_of_ten_entries_reads_each_named_department_once():
    before, after = DepartmentFactory(name="Bilgisayar"), DepartmentFactory(name="Yazılım")

    def remembered():
        with related_names_remembered():
            return _page(before, after)

    words, reads = _department_reads(remembered)
    assert reads == 2
    assert all("Bilgisayar" in " ".join(lines) and "Yazılım" in " ".join(lines) for _label, lines in words)


def test_outside_a_page_each_entry_reads_its_departments_afresh():
    """Nothing is remembered across pages or requests: a renamed department shows its new name."""
    before, after = DepartmentFactory(name="Bilgisayar"), DepartmentFactory(name="Yazılım")
    _words, reads = _department_reads(lambda: _page(before, after))
    assert reads == 20
    with related_names_remembered():
        _page(before, after)
    Department.objects.filter(pk=after.pk).update(name="Yazılım Müh.")
    with related_names_remembered():
        assert "Yazılım Müh." in " ".join(_page(before, after)[0][1])
