"""KVKK art. 6: a department coordinator sees the ranking of their departments, never a score or a bonus.

Every bonus of a call is a special category (disability, martyr/veteran relative, Law 2828), and
any score beside the rank gives one away: +15.00 in the adjustments names the martyr/veteran
bonus; the final score less the weighted scores gives the adjustments; the weighted scores alone
show a bonus when a student ranks above one with more of them. The office sees everything.
"""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import BonusClaim
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

# What would let a coordinator derive a bonus: score columns, a bonus note, the bonus's +15.00.
GIVEAWAYS = ("Adjustments", "Final score", "Academic score", "Language score", "Bonus", "15.00", "15,00", "relative")


@pytest.fixture
def ranked(call):
    apply(call, "CENG", gpa="3.00", written="70", listening="60", number="1001",
          martyr_veteran_relative=BonusClaim.VERIFIED)
    apply(call, "CENG", gpa="3.20", written="80", listening="60", number="1002")
    apply(call, "CENG", gpa="2.10", written="70", listening="60", number="1003", prior_participations=1)
    return call, selection_run(call=call)


def _coordinator_of(coordinator, call, code="CENG"):
    coordinator.departments.add(call.call_departments.get(department__code=code).department)
    return coordinator


def _pages(client, call, run):
    yield "selection page", client.get(reverse("selection:page", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    yield "run page", client.get(reverse("office:run", args=[call.code, run.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    csv = client.get(reverse("office:list_download", args=[call.code, "office", "csv"]), HTTP_ACCEPT_LANGUAGE="en")
    yield "office CSV", csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("office:list_download", args=[call.code, "office", "xlsx"]), HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    yield "office XLSX", "\n".join(",".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True))


def test_a_coordinator_sees_rank_and_outcome_but_no_score_and_no_bonus(client, coordinator, ranked):
    call, run = ranked
    client.force_login(_coordinator_of(coordinator, call))
    for where, text in _pages(client, call, run):
        assert "1001" in text and "1002" in text, where
        found = [word for word in GIVEAWAYS if word in text]
        assert not found, f"{where} shows {found}"


def test_a_coordinator_still_sees_deductions_and_reasons_which_are_not_special_categories(client, coordinator, ranked):
    call, run = ranked
    client.force_login(_coordinator_of(coordinator, call))
    for where, text in _pages(client, call, run):
        assert "Earlier Erasmus+ participation" in text, where


def test_the_office_sees_every_score_and_the_bonus(client, staff, ranked):
    call, run = ranked
    client.force_login(staff)
    for where, text in _pages(client, call, run):
        assert "Final score" in text and "15.00" in text.replace("15,00", "15.00"), where
