"""Edits of an application in the administration are in its audit trail, before -> after."""
from decimal import Decimal

import pytest
from django.urls import reverse

from mobility.models import AuditEntry
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_records_each_changed_field_before_and_after(client, admin_user, call):
    application = ApplicationFactory(call=call, department=call.call_departments.first().department, gpa=Decimal("3.00"))
    client.force_login(admin_user)
    url = reverse("admin:applications_application_change", args=[application.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"gpa": "3.40", "late_withdrawal": "on", "submitted_at_0": "01.12.2022", "submitted_at_1": "10:00"})
    data.pop("submitted_at", None)
    for flag in ("same_year_study_primary", "non_prioritised_choice", "missed_orientation", "missed_exam"):
        data.pop(flag, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="application.edited", object_id=str(application.pk))
    assert entry.data["changes"]["gpa"] == ["3.00", "3.40"]
    assert entry.data["changes"]["late_withdrawal"] == ["False", "True"]
    assert entry.actor == admin_user
    trail = client.get(reverse("office:application_audit", args=[call.code, application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Application edited in the administration" in trail.content.decode() and "3.40" in trail.content.decode()


def test_the_admin_changes_status_only_through_the_transition_function(client, admin_user, call):
    from applications.models import ApplicationStatus

    application = ApplicationFactory(call=call, department=call.call_departments.first().department, status="draft", level="bachelor")
    client.force_login(admin_user)
    url = reverse("admin:applications_application_change", args=[application.pk])
    assert "status" not in client.get(url).context["adminform"].form.fields  # read-only: no free edit
    changelist = reverse("admin:applications_application_changelist")
    client.post(changelist, {"action": "mark_submitted", "_selected_action": [application.pk]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_at is not None
    assert AuditEntry.objects.filter(action="application.submitted", object_id=str(application.pk)).exists()
