"""The office's whole path through a call in headless Chromium: import, stale, run, compare, publish, appeal, audit."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.demo import DEMO_CODE, DEMO_STUDENT_NUMBER
from tests.browser.test_flows import sign_in, sign_out, tr

pytestmark = pytest.mark.browser

CALL_URL = f"/office/calls/{DEMO_CODE}/"


def _exam_csv(tmp_path, rows, name):
    path = tmp_path / name
    path.write_text("student_number,written,listening,absent\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return str(path)


def _call_pk():
    from mobility.models import Call

    return Call.objects.get(code=DEMO_CODE).pk


def _import_exam_results(page, path):
    page.goto("/admin/applications/examresult/import/")
    page.locator("select[name=call]").select_option(value=str(_call_pk()))
    page.locator("select[name=format]").select_option(index=1)
    page.locator("input[name=import_file]").set_input_files(path)
    with page.expect_navigation():
        page.locator("form input[type=submit]").first.click()


def _run_selection(page):
    page.goto(CALL_URL + "runs/new/")
    confirm = page.locator("main input[name=confirm]")
    if confirm.count():
        confirm.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    for _ in range(20):
        if re.search(r"/runs/\d+/", page.url) and page.locator("main table.ranking tbody tr").count() > 1:
            break
        page.wait_for_timeout(300)
        page.reload()


def test_staff_import_run_compare_publish_then_appeal_and_republish(demo, new_context, shoot, tmp_path):
    from applications.models import Application, ExamResult

    demo.appeal_deadline = timezone.now() + dt.timedelta(days=3)
    demo.applications_close = timezone.now() - dt.timedelta(minutes=1)
    demo.applications_open = timezone.now() - dt.timedelta(days=10)
    demo.save()
    mine = Application.objects.select_related("applicant").get(call=demo, applicant__student_number=DEMO_STUDENT_NUMBER)
    target = Application.objects.filter(call=demo, department__code="MIS").select_related("applicant").order_by("pk").last()

    page = new_context().new_page()
    sign_in(page, "staff@demo.example")
    _run_selection(page)
    first_run = page.url

    # An exam file with one bad row: the preview names it, nothing is saved.
    number = target.applicant.student_number
    before = ExamResult.objects.get(applicant=target.applicant).written
    _import_exam_results(page, _exam_csv(tmp_path, [f"{number},99,99,hayır", f"{DEMO_STUDENT_NUMBER},abc,50,hayır"], "bad.csv"))
    assert page.locator("input[name=confirm]").count() == 0
    assert DEMO_STUDENT_NUMBER in page.content() or "abc" in page.content()
    assert ExamResult.objects.get(applicant=target.applicant).written == before
    shoot(page, "office-import-bad-row")

    _import_exam_results(page, _exam_csv(tmp_path, [f"{number},99,99,hayır"], "good.csv"))
    with page.expect_navigation():
        page.locator("input[name=confirm]").click()
    assert ExamResult.objects.get(applicant=target.applicant).written == Decimal("99")

    # The workspace says the last run is out of date.
    page.goto(CALL_URL)
    assert page.locator("main .badge-stale").count() >= 1
    shoot(page, "office-workspace-stale")

    _run_selection(page)
    assert page.url != first_run
    page.locator("main a[href*='/runs/compare/']").click()
    page.wait_for_url(re.compile(r"/runs/compare/"))
    assert number in page.locator("main table").inner_text()
    shoot(page, "office-compare")

    # Publish the preliminary list.
    page.goto(CALL_URL + "publish/preliminary/")
    # Had a window still been open, the page would list the consequences and ask for a tick.
    if page.locator("main form input[name=confirm]").count():
        page.locator("main form input[name=confirm]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("main .message-success").is_visible()

    # Anyone finds their own line by student number; no names, no bonus kinds.
    public = new_context().new_page()
    public.goto(f"/results/{DEMO_CODE}/")
    public.locator("input[name=q]").fill(DEMO_STUDENT_NUMBER)
    with public.expect_navigation():
        public.locator("form[role=search] button").click()
    found = public.locator("main .found").inner_text()
    half = len(DEMO_STUDENT_NUMBER) // 2
    assert "*" * (len(DEMO_STUDENT_NUMBER) - half) + DEMO_STUDENT_NUMBER[-half:] in found and DEMO_STUDENT_NUMBER not in found
    html = public.content()
    assert mine.applicant.last_name not in html and target.applicant.last_name not in html
    for kind in ("engelli", "Engelli", "şehit", "Şehit", "2828"):
        assert kind not in html
    shoot(public, "public-list-search")

    # The student appeals.
    sign_out(page)
    sign_in(page, "student@demo.example")
    page.goto(f"/calls/{DEMO_CODE}/appeal/")
    page.locator("textarea[name=text]").fill("Not ortalamam yanlış girilmiş; transkriptim ektedir.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("main .message-success").is_visible()
    shoot(page, "student-appeal-filed")

    # Staff accept, correct the GPA in the administration, run and publish again.
    sign_out(page)
    sign_in(page, "staff@demo.example")
    page.goto(CALL_URL + "appeals/")
    page.locator("main select[name$=decision]").select_option("accepted")
    page.locator("main textarea[name$=answer]").fill("Not ortalamanız düzeltildi.")
    with page.expect_navigation():
        page.locator("main article form button[type=submit]").click()
    page.goto(f"/admin/applications/application/{mine.pk}/change/")
    page.locator("input[name=gpa]").fill("4.00")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    mine.refresh_from_db()
    assert mine.gpa == Decimal("4.00")
    _run_selection(page)
    page.goto(CALL_URL + "publish/preliminary/")
    # Had a window still been open, the page would list the consequences and ask for a tick.
    if page.locator("main form input[name=confirm]").count():
        page.locator("main form input[name=confirm]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    # The student sees every step; the public list shows the change.
    sign_out(page)
    sign_in(page, "student@demo.example")
    page.goto(f"/calls/{DEMO_CODE}/appeal/")
    text = page.locator("main").inner_text()
    assert "Not ortalamanız düzeltildi." in text
    assert page.locator("main ol.steps").first.locator("li").count() == 2
    shoot(page, "student-appeal-answered")

    # The audit trail of the application shows every step.
    sign_out(page)
    sign_in(page, "staff@demo.example")
    page.goto(CALL_URL + f"applications/{mine.pk}/audit/")
    trail = page.locator("main table").inner_text()
    assert tr("Appeal filed") in trail and tr("Appeal accepted") in trail
    assert trail.count(tr("Preliminary list published")) == 2
    assert trail.count("4.00") + trail.count("4,00") >= 0
    assert page.locator("main table tbody tr").count() >= 5  # filed, accepted, admin edit, two publications
    shoot(page, "office-application-trail")
