"""A reserve uploads a letter and sees its grant; staff approve it; a primary withdraws; the reserve is promoted."""
import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from applications.models import Applicant
from mobility.models import Call
from tests.factories import UserFactory
from tests.letters.pdfs import plain_pdf
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.browser
PASSWORD = "secret-pass-123"


def account(email: str, role: str, number: str | None = None):
    user = UserFactory(email=email, role=role)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if number:
        Applicant.objects.filter(student_number=number).update(user=user)
    return user


def sign_in(page, email: str):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


@pytest.fixture
def final_list(transactional_db, tmp_path):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + dt.timedelta(days=10))
    timeline.publish(at=(now - dt.timedelta(days=1)).isoformat())
    account("reserve@example.edu.tr", "student", "2002")
    account("primary@example.edu.tr", "student", "2001")
    account("office@example.edu.tr", "office_staff")
    return timeline


def test_letter_review_withdrawal_and_promotion_in_the_browser(final_list, new_context, tmp_path, shoot):
    letter_pdf = tmp_path / "letter.pdf"
    letter_pdf.write_bytes(plain_pdf())
    page = new_context(locale="en-GB").new_page()

    sign_in(page, "reserve@example.edu.tr")
    page.goto(f"/calls/{CODE}/letter/")
    page.locator("body").get_by_text(re.compile("Yedek|Reserve")).first.wait_for()  # the page in either language
    page.fill("input[name=host_name]", "AGH University of Kraków")
    page.select_option("select[name=host_type]", "university")
    page.select_option("select[name=country]", "PL")
    page.fill("input[name=city]", "Kraków")
    page.fill("input[name=start_date]", "2023-07-01")
    page.fill("input[name=end_date]", "2023-08-30")
    page.locator("#grant-preview strong").filter(has_text=re.compile(r"€1[.,]200[.,]00")).wait_for()  # the grant before submitting (group 3: 2 × €600), grouped
    page.set_input_files("input[name=pdf]", str(letter_pdf))
    shoot(page, "letter-form")
    page.locator("#letter-form button[type=submit]").click()
    page.locator("[data-decision=waiting]").wait_for()
    page.context.clear_cookies()

    sign_in(page, "office@example.edu.tr")
    page.goto(f"/office/calls/{CODE}/letters/")
    page.get_by_role("link", name=re.compile("İncele|Review")).first.click()
    page.locator("a[download]").wait_for()  # the PDF is a download (never shown inline)
    shoot(page, "letter-review")
    page.select_option("select[name=decision]", "approved")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/letters/$"))
    page.context.clear_cookies()

    sign_in(page, "primary@example.edu.tr")
    page.goto(f"/calls/{CODE}/letter/")
    page.locator("#withdraw-form").evaluate("form => form.closest('details').open = true")
    page.check("input[name=confirm]")
    page.locator("#withdraw-form button[type=submit]").click()
    page.locator("[data-status=withdrawn]").wait_for()
    page.context.clear_cookies()

    sign_in(page, "reserve@example.edu.tr")
    page.goto(f"/calls/{CODE}/letter/")
    page.locator("#promoted").wait_for()
    page.locator("[data-status=primary]").wait_for()
    page.locator("[data-decision=approved]").wait_for()
    shoot(page, "promoted")
