"""A student from sign-up to the published result, in a real headless Chromium at phone width."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from portal.demo import DEMO_CODE
from tests.browser.test_flows import OVERFLOWING_JS, no_horizontal_scroll, sign_out
from tests.letters.pdfs import plain_pdf

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}
PASSWORD = "A-long-pass-phrase-9"
PDF = plain_pdf()  # a real PDF: every upload is parsed and checked for active content


def tr(text: str) -> str:
    with translation.override("tr"):
        return translation.gettext(text)


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def fits(page) -> None:
    assert no_horizontal_scroll(page), f"{page.url} scrolls sideways: {page.evaluate(OVERFLOWING_JS)}"


def test_sign_up_apply_prove_a_bonus_and_follow_the_result(demo, new_context, shoot, tmp_path):
    from applications.models import Applicant, Application, Document, ExamResult
    from applications.selectors import exam_session_for_call
    from portal.demo import DEMO_PASSWORD

    Applicant.objects.create(student_number="400900", first_name="Deniz", last_name="Kaya", email="deniz@demo.example")
    page = new_context(viewport=PHONE_375, is_mobile=True, has_touch=True).new_page()

    # Sign up with name and student number; verify the e-mail from the link in the mail.
    page.goto("/accounts/signup/")
    form = page.locator("main form").filter(has=page.locator("input[name=student_number]"))
    form.locator("input[name=email]").fill("deniz@demo.example")
    form.locator("input[name=first_name]").fill("Deniz")
    form.locator("input[name=last_name]").fill("Kaya")
    form.locator("input[name=student_number]").fill("400900")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    shoot(page, "student-signup-phone-tr")
    fits(page)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    applicant = Applicant.objects.get(student_number="400900")
    assert applicant.user is not None and applicant.user.email == "deniz@demo.example"

    sign_in(page, "deniz@demo.example", PASSWORD)
    shoot(page, "student-dashboard-phone-tr")
    page.locator(f"main a[href='/calls/{DEMO_CODE}/']").first.click()
    page.wait_for_url(re.compile(rf"/calls/{DEMO_CODE}/$"))
    fits(page)

    # Fill in the draft with a bonus claim and save it: not evaluated yet.
    app_form = page.locator(f"form[action='/calls/{DEMO_CODE}/apply/']")
    app_form.locator("select[name=department]").select_option(label="Bilgisayar Mühendisliği (CENG)")
    app_form.locator("select[name=level]").select_option("bachelor")
    app_form.locator("input[name=gpa]").fill("3.50")
    app_form.locator("input[name=claim_disability]").check()
    app_form.locator("button[name=save]").click()
    page.wait_for_url(re.compile(rf"/calls/{DEMO_CODE}/#application$"))
    assert page.locator("#application [data-status]").get_attribute("data-status") == "draft"
    assert page.locator("#eligibility [data-eligible=yes]").is_visible()
    application = Application.objects.get(applicant=applicant)
    assert application.status == "draft" and application.disability == "claimed"

    # A text file named .pdf is refused with a message; the real PDF is taken.
    fake = tmp_path / "rapor.pdf"
    fake.write_bytes(b"This is plain text pretending to be a PDF.")
    upload = page.locator("#documents form")
    upload.locator("select[name=kind]").select_option("disability")
    upload.locator("input[name=file]").set_input_files(str(fake))
    upload.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"#documents$"))
    assert page.locator(".message-error").filter(has_text="rapor.pdf").is_visible()
    assert not Document.objects.exists()
    shoot(page, "student-upload-refused-phone-tr")
    real = tmp_path / "engelli-raporu.pdf"
    real.write_bytes(PDF)
    upload.locator("select[name=kind]").select_option("disability")
    upload.locator("input[name=file]").set_input_files(str(real))
    upload.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"#documents$"))
    assert page.locator("[data-doc-status=pending]").count() == 1

    # Reopened draft: submit.
    page.locator(f"form[action='/calls/{DEMO_CODE}/apply/'] button[name=submit]").click()
    page.wait_for_url(re.compile(r"#application$"))
    assert page.locator("#application [data-status]").get_attribute("data-status") == "submitted"
    assert any("deniz@demo.example" in m.to for m in mail.outbox[1:])
    shoot(page, "student-submitted-phone-tr")
    fits(page)
    sign_out(page)

    # The office accepts the document from its queue.
    sign_in(page, "staff@demo.example", DEMO_PASSWORD)
    page.locator("header a[href='/office/documents/']").click()
    item = page.locator("main article").filter(has_text="400900")
    shoot(page, "office-documents-phone-tr")
    item.locator("button[value=accepted]").click()
    page.wait_for_url(re.compile(r"/office/documents/$"))
    assert page.locator("main article").filter(has_text="400900").count() == 0
    sign_out(page)

    sign_in(page, "deniz@demo.example", PASSWORD)
    page.goto(f"/calls/{DEMO_CODE}/")
    assert page.locator("[data-doc-status=accepted]").count() == 1
    application.refresh_from_db()
    assert application.disability == "verified"

    # The office runs the selection and publishes it: the student sees the itemised result.
    from selection.publication import run_publish
    from selection.services import selection_run

    ExamResult.objects.create(session=exam_session_for_call(call=demo), applicant=applicant,
                              written=Decimal("90"), listening=Decimal("80"))
    selection_run(call=demo)
    run_publish(call=demo, stage="preliminary", at=timezone.now(), confirmed=True)
    page.reload()
    result = page.locator("#result")
    assert result.is_visible()
    text = result.inner_text()
    assert tr("Documented disability") in text and "+10,00" in text  # Turkish decimal comma
    # 3.50 × 25 = 87.5; 90 × .75 + 80 × .25 = 87.5; (87.5 + 87.5) / 2 + 10 = 97.5
    assert "97,50" in text
    assert result.locator("[data-outcome]").get_attribute("data-outcome") in ("primary", "reserve")
    shoot(page, "student-result-phone-tr")
    fits(page)

    # The same pages in English, chosen once and kept on the profile.
    page.locator("header button[name=language][value=en]").click()
    page.wait_for_selector("html[lang=en]")
    page.goto(f"/calls/{DEMO_CODE}/")
    assert "Your preliminary result" in page.locator("#result").inner_text()
    shoot(page, "student-result-phone-en")
    fits(page)
    page.goto("/dashboard/")
    shoot(page, "student-dashboard-phone-en")
    fits(page)
    applicant.user.refresh_from_db()
    assert applicant.user.language == "en"


def test_applying_one_second_after_the_close_is_refused_and_changes_nothing(transactional_db, new_context, shoot):
    from applications.models import Application
    from mobility.models import User
    from mobility.services.roles import user_set_role
    from tests.factories import ApplicantFactory, CallDepartmentFactory, CallFactory

    closes = timezone.now() + dt.timedelta(seconds=6)
    call = CallFactory(code="LATE-1", applications_close=closes)
    CallDepartmentFactory(call=call, department__code="CENG", department__name="Bilgisayar Mühendisliği")
    user = User.objects.create_user(email="late@demo.example", password=PASSWORD, first_name="Geç", last_name="Kalan")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user_set_role(user=user, role="student")
    ApplicantFactory(user=user, email=user.email)

    page = new_context(viewport=PHONE_375, is_mobile=True, has_touch=True).new_page()
    sign_in(page, user.email, PASSWORD)
    page.goto("/calls/LATE-1/")
    form = page.locator("form[action='/calls/LATE-1/apply/']")
    form.locator("select[name=department]").select_option(label="Bilgisayar Mühendisliği (CENG)")
    form.locator("select[name=level]").select_option("bachelor")
    form.locator("input[name=gpa]").fill("3.20")
    wait = (closes + dt.timedelta(seconds=1) - timezone.now()).total_seconds()
    if wait > 0:
        page.wait_for_timeout(wait * 1000)
    form.locator("button[name=submit]").click()
    page.wait_for_load_state()
    error = page.locator(".message-error")
    assert error.is_visible()
    assert "kapandı" in error.inner_text()
    assert not Application.objects.exists()
    shoot(page, "student-late-phone-tr")


def test_withdrawing_asks_on_its_own_page_at_390_px_without_javascript(transactional_db, new_context, shoot):
    from allauth.account.models import EmailAddress

    from applications.models import ApplicationStatus
    from mobility.models import User
    from mobility.services.roles import user_set_role
    from tests.factories import ApplicantFactory, ApplicationFactory, CallDepartmentFactory, CallFactory

    call = CallFactory(code="WD-1")
    department = CallDepartmentFactory(call=call, department__code="CENG", department__name="Bilgisayar Mühendisliği").department
    user = User.objects.create_user(email="wd@demo.example", password=PASSWORD, first_name="Ece", last_name="Demir")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user_set_role(user=user, role="student")
    application = ApplicationFactory(call=call, department=department, applicant=ApplicantFactory(user=user, email=user.email),
                                     status=ApplicationStatus.SUBMITTED)

    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False).new_page()
    sign_in(page, user.email, PASSWORD)
    page.goto("/calls/WD-1/")
    page.locator("#application a.withdraw-link").click()
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/withdraw/$"))
    text = page.locator("#withdraw-confirm").inner_text()
    assert "10 puana" in text  # the consequence, in Turkish, before anything happens
    shoot(page, "student-withdraw-confirm-390-tr")
    fits(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    page.locator("#withdraw-confirm button[name=confirm][value=yes]").click()
    page.wait_for_url(re.compile(r"/calls/WD-1/#application$"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert page.locator("#application [data-status]").get_attribute("data-status") == "withdrawn"
    fits(page)
