import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from mobility.models import AuditEntry, Call, CallStatus, CountryGroup
from mobility.selectors import calls_visible_to_students
from mobility.services.callfile import call_file_dump
from selection.models import SelectionRun
from selection.publication import run_publish
from selection.services import SelectionBusy, selection_run, selection_run_start
from tests.factories import CallDepartmentFactory, CallFactory
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)


def test_a_call_made_without_a_status_is_a_draft_and_not_public():
    call = Call.objects.create(
        code="NEW-1", title="Half-filled", programme="KA131-SMT",
        applications_open=timezone.now() - dt.timedelta(days=1), applications_close=timezone.now() + dt.timedelta(days=9),
    )
    assert call.status == CallStatus.DRAFT
    assert call not in calls_visible_to_students()


def test_load_call_still_creates_announced_calls(call, tmp_path):
    data = call_file_dump(call)
    data["code"] = "FROM-FILE"
    data.pop("status")
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_call", str(path))
    assert Call.objects.get(code="FROM-FILE").status == CallStatus.ANNOUNCED


def test_the_call_page_offers_the_allowed_steps_and_a_confirmation_says_what_they_lock(client, staff):
    call = CallFactory(status=CallStatus.DRAFT)
    client.force_login(staff)
    page = client.get(reverse("office_call_detail", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("office:transition", args=[call.code, "announced"]) in page
    assert reverse("office:transition", args=[call.code, "archived"]) not in page
    confirm = client.get(reverse("office:transition", args=[call.code, "announced"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Students see the call" in confirm
    client.post(reverse("office:transition", args=[call.code, "announced"]))
    call.refresh_from_db()
    assert call.status == CallStatus.ANNOUNCED
    assert AuditEntry.objects.filter(action="call.status", data__to="announced").exists()
    # Publication states are reached only by publishing a run.
    assert client.get(reverse("office:transition", args=[call.code, "final_published"])).status_code == 404


def test_a_coordinator_cannot_change_the_status(client, coordinator):
    call = CallFactory(status=CallStatus.DRAFT)
    client.force_login(coordinator)
    assert client.post(reverse("office:transition", args=[call.code, "announced"])).status_code == 403


@pytest.fixture
def final(call):
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    run_publish(call=call, stage="final", at=AT, confirmed=True)
    call.refresh_from_db()
    return call


def _admin_post_data(response) -> dict:
    """The admin change form as the browser would send it back unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(field, "fields"):  # SplitDateTime
            local = timezone.localtime(value) if value else None
            data[f"{name}_0"] = local.strftime("%d.%m.%Y") if local else ""
            data[f"{name}_1"] = local.strftime("%H:%M") if local else ""
        elif value is None:
            data[name] = ""
        elif isinstance(value, dt.date):
            data[name] = value.strftime("%d.%m.%Y")
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if name == "id":
                    value = inline_form.instance.pk
                elif hasattr(value, "pk"):
                    value = value.pk
                data[inline_form.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_after_the_final_list_the_admin_refuses_a_budget_change_with_a_clear_message(client, admin_user, final):
    client.force_login(admin_user)
    url = reverse("admin:mobility_call_change", args=[final.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "its rules, budget and departments are locked" in response.content.decode()
    assert "budget_eur" not in response.context["adminform"].form.fields
    data = _admin_post_data(response)
    data["budget_eur"] = "99999"
    data["title"] = "Renamed"
    client.post(url, data)
    final.refresh_from_db()
    assert final.title == "Renamed"  # the rest stays editable
    assert final.budget_eur == Decimal("5400.00")


def test_before_the_final_list_the_admin_changes_the_budget_and_records_before_and_after(client, admin_user, call):
    client.force_login(admin_user)
    url = reverse("admin:mobility_call_change", args=[call.pk])
    response = client.get(url)
    data = _admin_post_data(response)
    data["budget_eur"] = "1350"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.budget_eur == Decimal("1350")
    entry = AuditEntry.objects.get(action="call.edited")
    assert entry.data["changes"]["budget_eur"] == ["5400.00", "1350"]


def test_the_admin_accepts_day_first_dates_and_refuses_unknown_country_codes(client, admin_user, call):
    CountryGroup.objects.create(call=call, group=1, monthly_rate_eur=Decimal("600"), countries="DE FR")
    client.force_login(admin_user)
    url = reverse("admin:mobility_call_change", args=[call.pk])
    response = client.get(url)
    data = _admin_post_data(response)
    data["appeal_answer_by"] = "01.12.2026"
    prefix = [f for f in response.context["inline_admin_formsets"] if f.formset.model is CountryGroup][0].formset.prefix
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1", f"{prefix}-0-id": str(call.country_groups.get().pk),
                 f"{prefix}-0-call": str(call.pk), f"{prefix}-0-group": "1", f"{prefix}-0-monthly_rate_eur": "600",
                 f"{prefix}-0-countries": "DE XX"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Not ISO 3166-1 country codes: XX." in response.content.decode()
    data[f"{prefix}-0-countries"] = "de fr"
    response = client.post(url, data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.appeal_answer_by == dt.date(2026, 12, 1)
    assert call.country_groups.get().countries == "DE FR"


def test_a_bad_date_says_which_format_is_wanted(client, admin_user, call):
    client.force_login(admin_user)
    url = reverse("admin:mobility_call_change", args=[call.pk])
    data = _admin_post_data(client.get(url))
    data["appeal_answer_by"] = "2026/31/12"
    page = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "DD.MM.YYYY" in page


def test_after_the_final_list_a_new_run_is_refused_from_the_page_and_the_service(client, staff, final):
    with pytest.raises(SelectionBusy, match="final list"):
        selection_run_start(call=final)
    client.force_login(staff)
    response = client.post(reverse("office:run_start", args=[final.code]), {"confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "a new selection cannot replace it" in response.content.decode()
    assert SelectionRun.objects.count() == 1


def test_after_the_final_list_load_call_is_refused_with_a_clear_message(final, tmp_path):
    path = tmp_path / "call.json"
    data = call_file_dump(final)
    data["budget_eur"] = "1"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_call", str(path))
    final.refresh_from_db()
    assert final.budget_eur == Decimal("5400.00")


def test_load_call_on_a_final_call_prints_why(final, tmp_path, capsys):
    import sys

    path = tmp_path / "call.json"
    path.write_text(json.dumps(call_file_dump(final)), encoding="utf-8")
    try:
        call_command("load_call", str(path), stderr=sys.stderr)
    except CommandError:
        pass
    assert "already published" in capsys.readouterr().err


def test_publishing_from_the_page_warns_when_the_run_is_stale(client, staff, call):
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    call.budget_eur = Decimal("1350")
    call.save()
    client.force_login(staff)
    page = client.get(reverse("office:publish", args=[call.code, "preliminary"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "out of date" in page and "budget" in page
    client.post(reverse("office:publish", args=[call.code, "preliminary"]), {"confirm": "yes"})
    call.refresh_from_db()
    assert call.status == CallStatus.PRELIMINARY_PUBLISHED


def test_a_draft_call_cannot_be_published_and_says_why(client, staff):
    call = CallFactory(status=CallStatus.DRAFT)
    CallDepartmentFactory(call=call, department__code="CENG")
    apply(call, "CENG", number="1001")
    selection_run(call=call)
    client.force_login(staff)
    response = client.post(reverse("office:publish", args=[call.code, "preliminary"]), {"confirm": "yes"}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_role_groups_are_named_in_the_users_language_in_the_admin(client, admin_user, staff):
    admin_user.language = "tr"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    page = client.get(reverse("admin:mobility_user_change", args=[staff.pk]), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Ofis personeli" in page
    assert ">office_staff<" not in page


def test_after_the_final_list_the_service_refuses_a_rule_or_budget_change(final):
    from mobility.services.calls import CallLockedError, call_edit_save

    final.budget_eur = Decimal("9999.00")
    with pytest.raises(CallLockedError, match="budget_eur"):
        call_edit_save(call=final, changed={"budget_eur": (Decimal("5400.00"), Decimal("9999.00"))})
    final.refresh_from_db()
    assert final.budget_eur == Decimal("5400.00")
    final.title = "Renamed"
    call_edit_save(call=final, changed={"title": ("old", "Renamed")})
    final.refresh_from_db()
    assert final.title == "Renamed"
