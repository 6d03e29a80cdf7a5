"""Object-level security, walking the URLconf: a new student-facing URL is checked without editing this test.

For every URL pattern outside the admin, allauth and the office pages, each argument is filled with
an object that belongs to someone else (another student's application or document) or that
students may not see (a draft call). Every such request must answer 404 and change nothing.
An argument name the walker does not know fails the test, so a new kind of URL cannot slip by.
"""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from applications.models import Application, Document
from applications.student.documents import document_upload
from mobility.models import AuditEntry, CallStatus, OutboxMessage
from tests.applications.student.conftest import dept, upload
from tests.factories import ApplicationFactory, CallDepartmentFactory, CallFactory

pytestmark = pytest.mark.django_db
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/", "office/", "healthz", "static/", "media/")


def walk(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def student_routes():
    found = []
    for route, entry in walk():
        if route.startswith(SKIPPED_PREFIXES) or not entry.pattern.converters:
            continue
        found.append((route, entry))
    return found


def snapshot():
    return (
        list(Application.objects.order_by("pk").values()),
        list(Document.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_the_walker_finds_the_student_urls():
    routes = {route for route, _entry in student_routes()}
    assert {"calls/<str:code>/", "applications/<int:application_id>/submit/", "documents/<int:document_id>/"} <= routes


def test_another_students_objects_answer_404_and_nothing_changes(client, alice, bob, call):
    victim = ApplicationFactory(call=call, applicant=bob.applicant, department=dept(call), status="draft", source="student")
    document = document_upload(application=victim, kind="disability", upload=upload(), actor=bob, at=timezone.now())
    hidden = CallFactory(status=CallStatus.DRAFT)
    CallDepartmentFactory(call=hidden, department=dept(call))
    # Public list pages name a department and a PDF job: with a call students may not see, still 404.
    values = {"application_id": victim.pk, "document_id": document.pk, "code": hidden.code, "pk": victim.pk,
              "department": dept(call).code, "key": "0" * 32, "kind": "grant", "version": 1, "token": "not-a-token"}
    client.force_login(alice)
    before = snapshot()
    checked = []
    for route, entry in student_routes():
        unknown = set(entry.pattern.converters) - set(values)
        assert not unknown, f"{route}: teach the walker which object of another student to use for {unknown}"
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
        assert "<" not in url, url
        post = {"department": dept(call).pk, "level": "bachelor", "gpa": "4.00", "submit": "1", "kind": "disability",
                "decision": "accepted", "reason": "x"}
        get = client.get(url)
        posted = client.post(url, post)
        statuses = {get.status_code, posted.status_code}
        assert statuses <= {404, 405} and 404 in statuses, f"{url}: GET {get.status_code}, POST {posted.status_code}"
        checked.append(url)
    assert snapshot() == before
    assert len(checked) >= 6


def test_the_owner_gets_through_the_same_urls(client, bob, call):
    """The walker's 404s are not the URLs being broken: the owner reaches each of them."""
    victim = ApplicationFactory(call=call, applicant=bob.applicant, department=dept(call), status="draft", source="student")
    document = document_upload(application=victim, kind="disability", upload=upload(), actor=bob, at=timezone.now())
    client.force_login(bob)
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    assert client.post(f"/applications/{victim.pk}/submit/").status_code == 302
    victim.refresh_from_db()
    assert victim.status == "submitted"
    assert client.get(f"/calls/{call.code}/").status_code == 200


def count_queries(client, url) -> int:
    client.get(url)  # warm caches (content types, permissions) so only the page's own queries count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _bulk_calls(alice, department, n):
    """n calls the student applied to and n open calls, in a handful of queries."""
    from mobility.models import Call, CallDepartment

    now = timezone.now()
    base = Call.objects.count()
    calls = Call.objects.bulk_create(
        Call(code=f"BULK-{base + i}", title=f"Bulk {i}", programme="KA131-SMT", applications_open=now - dt.timedelta(days=1),
             applications_close=now + dt.timedelta(days=5))
        for i in range(2 * n)
    )
    CallDepartment.objects.bulk_create(CallDepartment(call=c, department=department) for c in calls)
    Application.objects.bulk_create(
        Application(call=c, applicant=alice.applicant, department=department, level="bachelor") for c in calls[:n]
    )


def _bulk_documents(application, n):
    now = timezone.now()
    Document.objects.bulk_create(
        Document(application=application, kind="disability", file=f"documents/bulk{i}", original_name=f"r{i}.pdf",
                 content_type="application/pdf", size=10, uploaded_at=now - dt.timedelta(minutes=i))
        for i in range(n)
    )


def test_student_pages_do_not_grow_with_calls_or_documents(client, alice, call):
    """10 against 1,000 calls and documents; the office queue also on its second page."""
    from tests.factories import UserFactory

    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), status="draft", source="student")
    urls = ("/dashboard/", f"/calls/{call.code}/", "/profile/")
    client.force_login(alice)
    _bulk_calls(alice, dept(call), 10)
    _bulk_documents(application, 10)
    small = {url: count_queries(client, url) for url in urls}
    _bulk_calls(alice, dept(call), 990)
    _bulk_documents(application, 990)
    large = {url: count_queries(client, url) for url in urls}
    assert small == large

    staff = UserFactory(role="office_staff")
    client.force_login(staff)
    Document.objects.all().delete()
    _bulk_documents(application, 10)
    few = count_queries(client, "/office/documents/")
    _bulk_documents(application, 990)
    assert count_queries(client, "/office/documents/") == few
    assert count_queries(client, "/office/documents/?page=2") == few
