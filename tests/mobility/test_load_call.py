import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mobility.models import AuditEntry, Call, CallDepartment, CallStatus, CountryGroup, Department

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "call_uzem.json"
pytestmark = pytest.mark.django_db


def write(tmp_path, data) -> str:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def contract_example() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def load_failing(tmp_path, data, capsys) -> str:
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_call", write(tmp_path, data))
    return capsys.readouterr().err


def test_load_call_with_the_contract_example_creates_the_call(tmp_path):
    call_command("load_call", str(FIXTURE))
    call = Call.objects.get(code="UZEM-2022-SMT-1")
    assert call.programme == "KA131-SMT"
    assert call.letter_deadline == dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)
    assert call.places == 4  # 5400 / 1350
    assert call.min_gpa_master == Decimal("2.50")
    assert call.points_martyr_veteran_relative == Decimal("15")
    assert list(call.call_departments.values_list("department__code", flat=True)) == ["CENG", "MIS", "SENG"]
    assert call.call_departments.get(department__code="CENG").gpa_average == Decimal("2.89")
    # Grant rates are copied in by default for the traineeship programme.
    assert call.country_groups.get(group=3).monthly_rate_eur == Decimal("600.00")
    assert AuditEntry.objects.filter(action="call.created", object_id=str(call.pk)).exists()


def test_load_call_with_an_invalid_date_names_the_field_and_saves_nothing(tmp_path, capsys):
    data = contract_example()
    data["letter_deadline"] = "2023-02-30T16:00:00+03:00"
    err = load_failing(tmp_path, data, capsys)
    assert "letter_deadline" in err
    assert not Call.objects.exists() and not Department.objects.exists()


def test_load_call_with_an_unknown_key_is_refused(tmp_path, capsys):
    data = contract_example()
    data["budget"] = "100"
    data["scoring"]["speaking_weight"] = "0.1"
    err = load_failing(tmp_path, data, capsys)
    assert "budget: " in err
    assert "scoring.speaking_weight" in err
    assert not Call.objects.exists()


def test_load_call_with_a_department_missing_its_name_is_refused(tmp_path, capsys):
    data = contract_example()
    del data["departments"][1]["name"]
    err = load_failing(tmp_path, data, capsys)
    assert "departments[1].name" in err
    assert not Call.objects.exists() and not CallDepartment.objects.exists()


def test_load_call_reports_every_bad_field_at_once(tmp_path, capsys):
    data = contract_example()
    data["programme"] = "KA999"
    data["budget_eur"] = "5.400,00"
    data["applications_close"] = "2022-12-01T00:00:00+03:00"
    err = load_failing(tmp_path, data, capsys)
    for field in ("programme", "budget_eur", "applications_close"):
        assert field in err


def test_department_relative_call_needs_every_department_average(tmp_path, capsys):
    data = contract_example()
    data["scoring"]["academic"] = "department_relative"
    err = load_failing(tmp_path, data, capsys)
    assert "departments[1].gpa_average" in err and "departments[2].gpa_average" in err


def test_load_call_again_updates_the_call_and_its_departments(tmp_path):
    call_command("load_call", str(FIXTURE))
    data = contract_example()
    data["budget_eur"] = "8100.00"
    data["departments"] = data["departments"][:2]
    data["departments"][0]["written_min"] = "65"
    call_command("load_call", write(tmp_path, data))
    call = Call.objects.get(code="UZEM-2022-SMT-1")
    assert call.places == 6
    assert sorted(call.call_departments.values_list("department__code", flat=True)) == ["CENG", "SENG"]
    assert call.call_departments.get(department__code="CENG").written_min == Decimal("65")
    assert Call.objects.count() == 1


def test_load_call_refuses_to_change_a_call_whose_results_are_published(tmp_path, capsys):
    call_command("load_call", str(FIXTURE))
    Call.objects.update(status=CallStatus.FINAL_PUBLISHED)
    data = contract_example()
    data["budget_eur"] = "1.00"
    err = load_failing(tmp_path, data, capsys)
    assert "already published" in err
    assert Call.objects.get().budget_eur == Decimal("5400.00")


def test_load_call_with_bad_json_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"code": "X",', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_call", str(path))


def test_a_naive_deadline_is_read_as_turkish_time(tmp_path):
    data = contract_example()
    data["letter_deadline"] = "2023-03-15T16:00:00"
    call_command("load_call", write(tmp_path, data))
    assert Call.objects.get().letter_deadline == dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)


def test_dump_call_round_trips_through_load_call(tmp_path, capsys):
    call_command("load_call", str(FIXTURE))
    capsys.readouterr()
    call_command("dump_call", "UZEM-2022-SMT-1")
    dumped = json.loads(capsys.readouterr().out)
    assert dumped["letter_deadline"] == "2023-03-15T16:00:00+03:00"
    assert dumped["departments"][0] == {"code": "CENG", "name": "Bilgisayar Mühendisliği", "written_min": "60", "gpa_average": "2.89"}

    # Copy last year's call under a new code: everything else comes back identical.
    dumped["code"] = "UZEM-2023-SMT-1"
    call_command("load_call", write(tmp_path, dumped))
    capsys.readouterr()
    call_command("dump_call", "UZEM-2023-SMT-1")
    again = json.loads(capsys.readouterr().out)
    assert again == dumped
    assert CountryGroup.objects.filter(call__code="UZEM-2023-SMT-1").count() == 3


def test_dump_call_of_an_unknown_code_is_an_error():
    with pytest.raises(CommandError, match="no such call"):
        call_command("dump_call", "NOPE")
