"""Main flows of the portal in a real headless Chromium (see conftest.py for the set-up)."""
import re

import pytest
from django.utils import translation

from portal.demo import DEMO_CODE, DEMO_PASSWORD
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

SELECTION_URL = f"/office/calls/{DEMO_CODE}/selection/"
DEMO_TITLE = "Erasmus+ UZEM Konsorsiyumu öğrenci staj hareketliliği (demo)"


def tr(text: str) -> str:
    """The Turkish the portal shows for `text` (the English itself while the catalogue lacks it)."""
    with translation.override("tr"):
        return translation.gettext(text)


def sign_in(page, email: str):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def sign_out(page):
    with page.expect_navigation():
        page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()
    page.locator("header a[href='/accounts/login/']").wait_for()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest(".table-scroll, .skip-link")) {
      const parent = el.parentElement;
      if (parent && parent.getBoundingClientRect().right > width + 1 && !parent.matches("body")) continue;
      found.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} right=${Math.round(box.right)}`);
    }
  }
  return found.slice(0, 5);
}"""


def overflow_report(page) -> str:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"{page.url} scroll/client width {widths}: {page.evaluate(OVERFLOWING_JS)}"


def test_home_page_is_turkish_by_default_and_switches_to_english(demo, new_context, shoot):
    # A browser asking for neither language gets the portal's default, Turkish.
    page = new_context(locale="de-DE").new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "tr"
    heading = page.locator("main h1")
    assert heading.inner_text() == tr("Open calls")
    assert page.get_by_role("heading", name=DEMO_TITLE).is_visible()
    shoot(page, "home-desktop-tr")

    page.locator("header button[name=language][value=en]").click()
    page.wait_for_selector("html[lang=en]")
    assert heading.inner_text() == "Open calls"
    assert page.get_by_role("heading", name=DEMO_TITLE).is_visible()
    # The choice sticks, and the switcher now offers Turkish.
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header button[name=language][value=tr]").is_visible()
    shoot(page, "home-desktop-en")


def test_each_demo_account_signs_in_and_reaches_its_dashboard(demo, page, shoot):
    page.goto("/accounts/login/")
    shoot(page, "login-desktop")
    expectations = {
        "student@demo.example": ("Ayşe Yılmaz", DEMO_TITLE, False, False),
        "staff@demo.example": ("Onur Aydın", DEMO_CODE, True, True),
        "coordinator@demo.example": ("Elif Şahin", "Bilgisayar Mühendisliği", True, False),
        "admin@demo.example": ("Admin Demo", DEMO_CODE, True, True),
    }
    for email, (name, shown, office, admin) in expectations.items():
        sign_in(page, email)
        main = page.locator("main")
        assert page.locator("main h1").inner_text() == tr("Dashboard")
        assert name in main.locator("hgroup").inner_text(), email
        assert shown in main.inner_text(), email
        assert page.locator("header a[href='/office/calls/']").count() == int(office), email
        assert page.locator("header a[href='/admin/']").count() == int(admin), email
        shoot(page, f"dashboard-{email.split('@')[0]}")
        sign_out(page)
        page.goto("/dashboard/")
        page.wait_for_url(re.compile(r"/accounts/login/"))  # signed out for real


def test_a_student_is_refused_the_office_pages(demo, page, shoot):
    sign_in(page, "student@demo.example")
    response = page.goto("/office/calls/")
    assert response.status == 403
    assert page.locator("main h1").inner_text() == tr("Not allowed")
    assert DEMO_CODE not in page.locator("main").inner_text()
    shoot(page, "forbidden-desktop")
    assert page.goto(SELECTION_URL).status == 403


def test_staff_run_the_selection_and_read_the_ranked_list(demo, page, shoot):
    sign_in(page, "staff@demo.example")
    page.locator("header a[href='/office/calls/']").click()
    shoot(page, "office-calls-desktop")
    page.locator(f"main a[href='/office/calls/{DEMO_CODE}/']").click()
    page.wait_for_url(re.compile(rf"/office/calls/{DEMO_CODE}/$"))
    shoot(page, "call-detail-desktop")
    page.locator(f"main a[href='{SELECTION_URL}']").click()
    page.wait_for_url(re.compile(rf"{SELECTION_URL}$"))
    assert page.locator("#run-status").inner_text() == tr("The selection has not been run yet.")
    assert page.locator("main table").count() == 1  # only "earlier runs"

    # The demo call is still open: the button asks first and the run is marked "before the close".
    page.locator(f"main a[href='/office/calls/{DEMO_CODE}/runs/new/']").click()
    page.locator("main input[name=confirm]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("main .message-success").is_visible()
    page.goto(page.url.split("/office/")[0] + SELECTION_URL)
    # The task runs eagerly once the start commits, before the redirect; poll in case it did not.
    for _ in range(10):
        if page.locator("main caption").count():
            break
        page.wait_for_timeout(300)
        page.reload()
    assert page.locator("#run-status .badge").inner_text() == tr("Finished")

    table = page.locator("main table").filter(has=page.locator("caption"))
    assert "CENG" in table.locator("caption").inner_text()
    primaries = table.locator("tbody .badge-primary")
    assert primaries.count() >= 1
    assert re.search(r"(?i)asil|primary", primaries.first.inner_text())
    ceng_rows = table.locator("tbody tr").count()
    assert ceng_rows == 20
    tabs = page.get_by_role("navigation", name=tr("Departments"))
    assert tabs.locator("a[aria-current=page]").inner_text() == "Bilgisayar Mühendisliği"
    shoot(page, "selection-desktop")

    tabs.get_by_role("link", name="Yönetim Bilişim Sistemleri").click()
    page.wait_for_url(re.compile(r"\?department=MIS$"))
    assert "MIS" in table.locator("caption").inner_text()
    assert table.locator("tbody tr").count() == 15
    assert tabs.locator("a[aria-current=page]").inner_text() == "Yönetim Bilişim Sistemleri"

    tabs.get_by_role("link", name="Yazılım Mühendisliği").click()
    page.wait_for_url(re.compile(r"\?department=SENG$"))
    assert table.locator("tbody tr").count() == 1


def test_pages_work_on_a_phone_viewport(demo, new_context, shoot):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/")
    shoot(page, "home-phone")
    assert page.get_by_role("heading", name=DEMO_TITLE).is_visible()

    # The first Tab lands on the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0
    # A few more Tabs reach the sign-in link in the header; Enter follows it.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/accounts/login/":
            break
    else:
        pytest.fail("the sign-in link is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    shoot(page, "login-phone")
    assert page.locator("main input[name=login]").is_visible()


def test_pages_fit_a_phone_without_sideways_scrolling(demo, new_context, shoot):
    from selection.services import selection_run

    selection_run(call=demo)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    problems = []

    def check(url, name=None):
        assert page.goto(url).ok, url
        if name:
            shoot(page, name)
        if not no_horizontal_scroll(page):
            problems.append(overflow_report(page))

    check("/")
    check("/accounts/login/")
    sign_in(page, "staff@demo.example")
    check("/dashboard/", "dashboard-staff-phone")
    check("/office/calls/")
    check(f"/office/calls/{DEMO_CODE}/", "call-detail-phone")
    check(SELECTION_URL, "selection-phone")
    assert page.locator("main tbody .badge-primary").count() >= 1
    assert not problems, "pages scroll sideways on a phone:\n" + "\n".join(problems)

