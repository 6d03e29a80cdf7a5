"""The admin's call form refuses what would break the portal or every run, as load_call does."""
import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from mobility.admin import CallAdminForm
from mobility.models import Department

pytestmark = pytest.mark.django_db


def form_for(call, **changes) -> CallAdminForm:
    data = {key: value for key, value in model_to_dict(call).items() if value is not None}
    for name in ("applications_open", "applications_close", "letter_deadline"):
        data[name] = getattr(call, name).strftime("%Y-%m-%d %H:%M:%S")
    data.update(changes)
    return CallAdminForm(data=data, instance=call)


def test_the_unchanged_call_is_valid(call):
    form = form_for(call)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field, value", [
    ("applications_close", "9999-12-31 23:59:59"),
    ("letter_deadline", "1970-01-01 00:00:00"),
    ("mobility_end", "9999-12-31"),
])
def test_a_date_outside_2000_to_2100_is_refused(call, field, value):
    form = form_for(call, **{field: value})
    assert not form.is_valid()
    assert "between the years 2000 and 2100" in str(form.errors[field])


def test_a_budget_giving_absurdly_many_places_is_refused(call):
    form = form_for(call, budget_eur="9999999999", planning_amount_eur="0.01")
    assert not form.is_valid()
    assert "primary places" in str(form.errors["planning_amount_eur"])


def test_a_nul_byte_in_a_department_name_in_the_admin_is_a_form_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:mobility_department_add"), {"code": "CENG", "name": "Bilgisayar\x00"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert not Department.objects.exists()


def test_close_before_open_is_said_on_the_field_not_as_a_constraint_name(call):
    form = form_for(call, applications_close=call.applications_open.strftime("%Y-%m-%d %H:%M:%S"))
    assert not form.is_valid()
    assert "must close after they open" in str(form.errors["applications_close"])
    assert "call_window_is_ordered" not in str(form.errors)


def test_the_admin_reads_turkish_numbers(admin_client, admin_user, call, rf):
    from decimal import Decimal

    from applications.models import Application
    from tests.selection.helpers import apply

    application = apply(call, "CENG", number="1001")
    page = admin_client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert 'name="gpa"' in page
    from django.contrib import admin as django_admin

    request = rf.get("/")
    request.user = admin_user
    model_admin = django_admin.site._registry[Application]
    field = model_admin.get_form(request, application).base_fields["gpa"]
    assert field.clean("3,20") == Decimal("3.20")
    call_admin = django_admin.site._registry[type(call)]
    assert call_admin.get_form(request, call).base_fields["budget_eur"].clean("6.750,00") == Decimal("6750.00")


def test_a_new_call_shows_the_programmes_default_grant_table(admin_client):
    from mobility.grants import default_country_groups
    from mobility.models import Call

    page = admin_client.get(reverse("admin:mobility_call_add")).content.decode()
    groups = default_country_groups(Call._meta.get_field("programme").get_default() or "")
    assert 'name="country_groups-TOTAL_FORMS" value="%d"' % len(groups) in page
    first = groups[0]
    assert " ".join(first["countries"]) in page
    assert "the programme" in page and "defaults apply" in page
