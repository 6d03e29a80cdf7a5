"""Hostile and careless call files: each is one line per problem and a non-zero exit, nothing saved."""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mobility.models import Call, Department
from tests.mobility.test_load_call import contract_example, write

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def refused(tmp_path, capsys, data=None, *, raw: bytes | None = None) -> str:
    path = tmp_path / "call.json"
    if raw is None:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_bytes(raw)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_call", str(path))
    assert not Call.objects.exists()
    return capsys.readouterr().err + str(excinfo.value)


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+00:00", "1999-12-31T23:59:59+03:00", "0001-01-01T00:00:00+14:00"])
def test_an_instant_outside_2000_to_2100_is_refused(tmp_path, capsys, moment):
    data = contract_example()
    data["applications_close"] = moment
    data.pop("letter_deadline")
    err = refused(tmp_path, capsys, data)
    assert "applications_close" in err and "2000" in err


def test_a_date_outside_2000_to_2100_is_refused(tmp_path, capsys):
    data = contract_example()
    data["mobility_end"] = "9999-12-31"
    assert "mobility_end" in refused(tmp_path, capsys, data)


def test_the_portal_still_answers_after_a_refused_far_future_call(tmp_path, capsys):
    data = contract_example()
    data["applications_close"] = "9999-12-31T23:59:59-12:00"
    refused(tmp_path, capsys, data)
    assert Client().get("/").status_code == 200


def test_a_windows_1254_file_is_one_line(tmp_path, capsys):
    text = json.dumps(contract_example(), ensure_ascii=False)
    err = refused(tmp_path, capsys, raw=text.encode("cp1254"))
    assert "UTF-8" in err


def test_deeply_nested_json_is_one_line(tmp_path, capsys):
    err = refused(tmp_path, capsys, raw=b"[" * 100_000 + b"]" * 100_000)
    assert "nested" in err


def test_a_5000_digit_integer_is_one_line(tmp_path, capsys):
    raw = json.dumps(contract_example()).replace('"funded_months": 2', '"funded_months": ' + "9" * 5000).encode()
    assert "9" * 5000 in raw.decode()
    assert "number" in refused(tmp_path, capsys, raw=raw)


def test_a_4000_digit_integer_is_out_of_range(tmp_path, capsys):
    raw = json.dumps(contract_example()).replace('"funded_months": 2', '"funded_months": ' + "9" * 4000).encode()
    assert "funded_months" in refused(tmp_path, capsys, raw=raw)


@pytest.mark.parametrize("field, value", [
    ("planning_amount_eur", "999999999.00"),  # max_digits 10: at most 99,999,999.99
    ("fewer_opportunities_top_up_eur", "1000000"),  # max_digits 8
    ("budget_eur", "99999999999"),  # max_digits 12
])
def test_amounts_too_large_for_the_database_field_are_refused(tmp_path, capsys, field, value):
    data = contract_example()
    data[field] = value
    assert field in refused(tmp_path, capsys, data)


def test_a_budget_giving_absurdly_many_places_is_refused(tmp_path, capsys):
    data = contract_example()
    data["budget_eur"], data["planning_amount_eur"] = "9999999999", "0.01"
    err = refused(tmp_path, capsys, data)
    assert "planning_amount_eur" in err and "places" in err


@pytest.mark.parametrize("where", ["title", "department"])
def test_a_nul_byte_in_a_name_is_refused(tmp_path, capsys, where):
    data = contract_example()
    if where == "title":
        data["title"] = "Erasmus\x00"
    else:
        data["departments"][0]["name"] = "Bilgisayar\x00"
    err = refused(tmp_path, capsys, data)
    assert "NUL" in err
    assert not Department.objects.exists()


def test_an_associate_minimum_is_accepted_and_omitted_levels_take_defaults(tmp_path):
    data = contract_example()
    data["min_gpa"] = {"associate": "2.00", "master": "2.70"}
    call_command("load_call", write(tmp_path, data))
    call = Call.objects.get()
    assert call.min_gpa() == {"associate": Decimal("2.00"), "bachelor": Decimal("2.20"),
                              "master": Decimal("2.70"), "doctorate": Decimal("2.50")}


def test_without_an_associate_minimum_the_bachelor_minimum_applies(tmp_path):
    from selection.adapters import call_rules_load
    from selection.engine import Level

    data = contract_example()
    data["min_gpa"] = {"bachelor": "2.40"}
    call_command("load_call", write(tmp_path, data))
    rules, _ = call_rules_load(call=Call.objects.get())
    assert rules.minimum_gpa(Level.ASSOCIATE) == Decimal("2.40")


def test_hostile_files_exit_non_zero_without_a_traceback(tmp_path):
    cases = {
        "cp1254.json": json.dumps({"title": "Öğrenci şartları"}, ensure_ascii=False).encode("cp1254"),
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "digits.json": b'{"funded_months": ' + b"9" * 5000 + b"}",
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        done = subprocess.run([sys.executable, "manage.py", "load_call", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0, name
        assert "Traceback" not in done.stderr, (name, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
