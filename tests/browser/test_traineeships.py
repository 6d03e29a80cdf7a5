"""After the letter, on a phone (390 px): an undergraduate's Learning Agreement through the internship
commission, the department coordinator and the host's one-time link; a graduate's through the
programme coordinator alone and the host."""
import re

import pytest
from django.core import mail

from mobility.models import Department
from tests.browser.conftest import PHONE
from tests.browser.test_letters import account, sign_in
from tests.letters.timeline import CODE
from tests.traineeships.flow import call_with_two_mobilities
from traineeships.models import DepartmentApprover

pytestmark = pytest.mark.browser


def approver_account(email, department, role):
    user = account(email, "")
    DepartmentApprover.objects.create(user=user, department=Department.objects.get(code=department), role=role)
    return user


@pytest.fixture
def mobilities(transactional_db, tmp_path):
    t = call_with_two_mobilities(tmp_path)
    account("ug@example.edu.tr", "student", "1001")
    account("grad@example.edu.tr", "student", "2001")
    approver_account("commission@example.edu.tr", "CENG", "internship_commission")
    approver_account("coordinator@example.edu.tr", "CENG", "erasmus_coordinator")
    approver_account("programme@example.edu.tr", "SENG", "programme_coordinator")
    return t


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def fill_agreement(page, mentor_email):
    page.goto(f"/calls/{CODE}/letter/")
    page.click("#traineeship-link")
    fits_the_phone(page)
    page.click("#fill-agreement")
    assert page.input_value("input[name=start_date]") == "2023-07-01"  # pre-filled from the letter
    page.fill("input[name=mentor_name]", "Anna Schmidt")
    page.fill("input[name=mentor_email]", mentor_email)
    page.fill("input[name=title]", "Research intern")
    page.fill("input[name=hours_per_week]", "40")
    for name, text in (("programme", "Build test benches."), ("skills", "Measurement, Python"),
                       ("monitoring_plan", "Weekly meeting."), ("evaluation_plan", "Final report.")):
        page.fill(f"textarea[name={name}]", text)
    fits_the_phone(page)
    page.click("#submit-agreement")
    page.wait_for_url(re.compile(r"/traineeship/$"))
    page.locator('[data-state="submitted"]').first.wait_for()


def approve_in_queue(new_context, email, number):
    page = new_context(viewport=PHONE, locale="en-GB").new_page()
    sign_in(page, email)
    page.goto("/office/agreements/")
    fits_the_phone(page)
    page.locator(f'tr[data-student="{number}"] a').click()
    page.check("input[name=decision][value=approved]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(re.compile(r"/office/agreements/$"))
    assert number not in page.locator("main").inner_text()


def host_confirms(new_context, mentor_email):
    message = next(m for m in reversed(mail.outbox) if m.to == [mentor_email])
    link = re.search(r"https?://\S+(/host/\S+/)", message.body).group(1)
    page = new_context(viewport=PHONE, locale="en-GB").new_page()
    page.goto(link)
    fits_the_phone(page)
    page.fill("input[name=signer_name]", "Anna Schmidt")
    page.check("input[name=decision][value=approved]")
    page.click("#host-form button[type=submit]")
    page.locator("#host-message").wait_for()
    assert "Thank you" in page.inner_text("#host-message")


def test_undergraduate_two_approvers_and_the_host_link_on_a_phone(mobilities, new_context, shoot):
    student = new_context(viewport=PHONE, locale="en-GB").new_page()
    sign_in(student, "ug@example.edu.tr")
    fill_agreement(student, "mentor-ug@example.de")
    shoot(student, "traineeship-submitted-390")
    approve_in_queue(new_context, "commission@example.edu.tr", "1001")
    approve_in_queue(new_context, "coordinator@example.edu.tr", "1001")
    host_confirms(new_context, "mentor-ug@example.de")
    student.reload()
    student.locator('[data-state="approved"]').first.wait_for()
    parties = student.locator("ul.approvals li").evaluate_all("items => items.map(i => i.dataset.party)")
    assert parties == ["internship_commission", "erasmus_coordinator", "host"]
    fits_the_phone(student)
    shoot(student, "traineeship-approved-390")


def test_graduate_one_approver_and_the_host_on_a_phone(mobilities, new_context):
    student = new_context(viewport=PHONE, locale="en-GB").new_page()
    sign_in(student, "grad@example.edu.tr")
    fill_agreement(student, "mentor-grad@example.fr")
    commission = new_context(viewport=PHONE, locale="en-GB").new_page()
    sign_in(commission, "commission@example.edu.tr")
    commission.goto("/office/agreements/")
    assert "2001" not in commission.locator("main").inner_text()  # not the commission's to sign
    approve_in_queue(new_context, "programme@example.edu.tr", "2001")
    host_confirms(new_context, "mentor-grad@example.fr")
    student.reload()
    student.locator('[data-state="approved"]').first.wait_for()
    parties = student.locator("ul.approvals li").evaluate_all("items => items.map(i => i.dataset.party)")
    assert parties == ["programme_coordinator", "host"]
