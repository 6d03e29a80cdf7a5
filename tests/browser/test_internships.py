"""National internship programme in the browser at 390 px: both stages, a declined primary, the reserve
told and accepting, insurance recorded and the internship started."""
import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from internships.models import HostUnit, InternshipProgramme, InternshipStudent, Offer, OfferStatus
from internships.services.applications import application_set_choices
from internships.services.offers import offer_make
from tests.browser.conftest import PHONE
from tests.factories import UserFactory
from tests.internships.helpers import programme_file, run, students_file

pytestmark = pytest.mark.browser
PASSWORD = "secret-pass-123"
TR = dt.timezone(dt.timedelta(hours=3))


def account(email: str, role: str):
    user = UserFactory(email=email, role=role, language="tr")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page, email: str):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


@pytest.fixture
def programme(transactional_db, tmp_path):
    now = dt.datetime.now(tz=TR)
    assert run("load_internship_programme", programme_file(
        tmp_path, applications_open=(now - dt.timedelta(days=5)).isoformat(),
        applications_close=(now + dt.timedelta(days=5)).isoformat())).ok
    assert run("import_internship_students", "USP-2024", students_file(tmp_path, [
        "1001,Ayşe,Yılmaz,ayse@uni.example,BM,bachelor,3,3.10",
        "1002,Mehmet,Demir,mehmet@uni.example,BM,bachelor,2,2.00",
    ])).ok
    programme = InternshipProgramme.objects.get(code="USP-2024")
    account("ayse@uni.example", "student")
    account("mehmet@uni.example", "student")
    account("office@uni.example", "office_staff")
    return programme


def test_both_stages_a_declined_primary_the_reserve_accepts_insurance_and_start(programme, new_context, shoot):
    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, "ayse@uni.example")
    phone.goto("/internships/")
    phone.wait_for_url(re.compile(r"/internships/USP-2024/$"))
    phone.get_by_role("button", name=re.compile("1. aşama")).click()
    phone.locator("#confirm-details").click()
    phone.wait_for_url(re.compile(r"/apply/form/$"))
    phone.select_option("select[name=choice1]", "T20-5-2")
    phone.select_option("select[name=choice2]", "T20-5-1")
    phone.select_option("select[name=city1]", "06")
    phone.select_option("select[name=districts1]", ["Çankaya", "Keçiören"])  # filled by the page's script
    phone.select_option("select[name=city2]", "34")
    phone.check("input[name=all2]")
    shoot(phone, "internships-form-390")
    phone.locator("#complete").click()
    phone.wait_for_url(re.compile(r"/internships/USP-2024/$"))
    assert phone.locator('[data-status="complete"]').is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The reserve applies too (from the command line here), then a host unit offers the position.
    mehmet = InternshipStudent.objects.get(student_number="1002")
    application_set_choices(student=mehmet, calendars=["T20-5-1"], cities="35:*", complete=True, at=timezone.now())
    lib = HostUnit.objects.get(code="LIB")
    primary = offer_make(programme=programme, position_code="LIB-1", student_number="1001", kind="primary",
                         calendar_code="T20-5-1", at=timezone.now(), host_unit=lib)
    reserve = offer_make(programme=programme, position_code="LIB-1", student_number="1002", kind="reserve",
                         calendar_code="T20-5-1", at=timezone.now(), host_unit=lib)

    phone.reload()
    card = phone.locator(f'[data-offer="{primary.pk}"]')
    assert card.locator(".countdown").is_visible()
    mail.outbox.clear()
    card.get_by_role("button", name="Reddet").click()
    phone.wait_for_selector(f'[data-offer="{primary.pk}"][data-offer-status="declined"]')
    # The reserve is told, in Turkish, with a link.
    told = [m for m in mail.outbox if m.to == ["mehmet@uni.example"]]
    assert told and "pozisyon artık sizin" in told[0].body and "/internships/USP-2024/" in told[0].body

    reserve_phone = new_context(viewport=PHONE).new_page()
    sign_in(reserve_phone, "mehmet@uni.example")
    reserve_phone.goto("/internships/USP-2024/")
    assert reserve_phone.locator('[data-holds="yes"]').is_visible()
    reserve_phone.locator(f'[data-offer="{reserve.pk}"]').get_by_role("button", name="Kabul et").click()
    reserve_phone.wait_for_selector(f'[data-offer="{reserve.pk}"][data-offer-status="accepted"]')
    shoot(reserve_phone, "internships-reserve-accepted-390")

    office = new_context(viewport=PHONE).new_page()
    sign_in(office, "office@uni.example")
    office.goto("/office/internships/USP-2024/")
    office.locator(f"#insurance-{reserve.pk}").click()
    office.locator(f"#start-{reserve.pk}").click()
    office.wait_for_load_state()
    reserve.refresh_from_db()
    assert reserve.status == OfferStatus.STARTED and reserve.insured_at is not None
    assert Offer.objects.get(pk=primary.pk).status == OfferStatus.DECLINED
    reserve_phone.reload()
    assert reserve_phone.locator(f'[data-offer="{reserve.pk}"][data-offer-status="started"]').is_visible()
