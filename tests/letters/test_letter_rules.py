"""Letter rules live in the services: one writer of the decision; a student never replaces an approved letter."""
import ast
import datetime as dt
from pathlib import Path

import pytest

from letters.checks import LetterData
from letters.models import Letter
from letters.services.letters import LetterRefused, letter_decide, letter_submit
from mobility.models import Call
from tests.letters.timeline import CODE, Timeline

ROOT = Path(__file__).resolve().parents[2]
TR = dt.timezone(dt.timedelta(hours=3))
AT = dt.datetime(2023, 2, 1, 10, 0, tzinfo=TR)


def _data(host="Firma GmbH", country="DE"):
    return LetterData(host_name=host, host_type="company", country=country, city="Berlin",
                      start_date=dt.date(2023, 7, 1), end_date=dt.date(2023, 8, 31), submitted_at=AT)


def test_only_one_function_writes_a_letters_decision():
    writers = []
    for path in (ROOT / "letters").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                stores = isinstance(node, ast.Attribute) and node.attr == "decision" and isinstance(node.ctx, ast.Store)
                updates = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                           and any(k.arg == "decision" for k in node.keywords))
                if stores or updates:
                    writers.append(f"{path.relative_to(ROOT)}:{func.name}")
    assert sorted(set(writers)) == ["letters/services/letters.py:_letter_decision_set"]


@pytest.mark.django_db
def test_a_student_cannot_replace_an_approved_letter_even_with_the_same_host(tmp_path):
    Timeline(tmp_path).publish()
    call = Call.objects.get(code=CODE)
    letter_submit(call=call, student_number="1001", data=_data(), at=AT, by_student=True)
    letter_decide(call=call, student_number="1001", decision="approved", at=AT)
    with pytest.raises(LetterRefused) as refused:
        letter_submit(call=call, student_number="1001", data=_data(), at=AT, by_student=True)
    assert [code for code, _message in refused.value.problems] == ["letter_locked"]
    assert Letter.objects.get().decision == "approved"
    # The office may re-enter the same host (an import row) and keep the approval.
    letter_submit(call=call, student_number="1001", data=_data(), at=AT)
    assert Letter.objects.get().decision == "approved"
