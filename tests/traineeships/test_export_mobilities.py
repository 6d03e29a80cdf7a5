"""export_mobilities (placement-files §14) through the commands only; the XML is validated against
the real BM schema read from ../shared (a missing schema fails under CI=true)."""
import csv
import io
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.letters.timeline import CODE, FIXTURE, Timeline, letter
from tests.traineeships.shared_data import BM_SCHEMA, external_file

pytestmark = pytest.mark.django_db

BEFORE = "2023-02-01T10:00:00+03:00"
AFTER_END = "2023-11-02T10:00:00+03:00"
INSTITUTION = {"erasmus_code": "TR TRABZON01", "schac": "ktu.edu.tr", "pic": "999860832", "name": "Karadeniz Teknik Üniversitesi"}
BM_HEADER = ["student_number", "gender", "birth_date", "nationality", "main_language", "native_speaker", "distance_band",
             "transport_means", "green_travel", "host_oid", "host_legal_address", "host_postal_code", "host_phone", "host_below_250"]


def departments_with_isced():
    data = json.loads(FIXTURE.read_text())
    codes = {"CENG": "0613", "SENG": "0613", "MIS": "0411"}
    return [{**d, "isced": codes[d["code"]]} for d in data["departments"]]


@pytest.fixture
def t(tmp_path):
    timeline = Timeline(tmp_path, institution=INSTITUTION, departments=departments_with_isced())
    timeline.publish()
    timeline.letters([
        {"student_number": "1001", "decision": "approved"},
        letter("2001", decision="approved", host_name="Université Énergie", host_type="university", country="FR", city="Paris"),
        {"student_number": "3001"},  # waiting: not reported
    ], at=BEFORE)
    return timeline


def bm_data(t, rows):
    path = t.tmp / "bm.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, BM_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return t.run("import_mobility_data", CODE, str(path))


FULL = {"gender": "2", "birth_date": "2002-03-14", "nationality": "TR", "main_language": "EN", "native_speaker": "no",
        "distance_band": "BAND_2000_2999", "transport_means": "PLANE", "green_travel": "no",
        "host_legal_address": "Hauptstraße 1", "host_postal_code": "10115", "host_phone": "+49 30 1234567", "host_below_250": "yes"}


def export_csv(t) -> dict[str, dict]:
    return {row["student_number"]: row for row in csv.DictReader(io.StringIO(t.run("export_mobilities", CODE)))}


def test_csv_has_the_contracts_columns_for_approved_letters_in_order(t):
    text = t.run("export_mobilities", CODE, "--format", "csv")
    assert text.splitlines()[0] == (
        "mobility_id,activity_type,project_number,participant_esi,student_number,first_name,last_name,email,eqf_level,"
        "isced,recent_graduate,sending_erasmus_code,sending_pic,host_name,host_city,host_country,host_type,start_date,"
        "end_date,duration_days,funded_days,monthly_rate_eur,grant_eur,fewer_opportunities,status")
    rows = export_csv(t)
    assert list(rows) == ["1001", "2001"]
    r = rows["1001"]
    assert (r["mobility_id"], r["activity_type"], r["project_number"], r["participant_esi"]) == (
        f"{CODE}-1001", "HE-SMT", "2021-1-TR01-KA131-HED-000007053", "urn:schac:personalUniqueCode:int:esi:ktu.edu.tr:1001")
    assert (r["eqf_level"], r["isced"], r["recent_graduate"], r["sending_erasmus_code"], r["sending_pic"]) == (
        "6", "0613", "no", "TR TRABZON01", "999860832")
    assert (r["start_date"], r["end_date"], r["duration_days"], r["funded_days"], r["monthly_rate_eur"], r["grant_eur"],
            r["fewer_opportunities"], r["status"]) == ("2023-07-01", "2023-08-30", "60", "60", "750.00", "1500.00", "no", "planned")
    assert rows["2001"]["isced"] == "0613" and rows["2001"]["host_country"] == "FR"


def test_after_a_certificate_the_csv_reports_its_dates_and_final_grant(t):
    t.run("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-20", at=AFTER_END)  # 50 days
    r = export_csv(t)["1001"]
    assert (r["start_date"], r["end_date"], r["duration_days"], r["funded_days"], r["grant_eur"], r["status"]) == (
        "2023-07-01", "2023-08-20", "50", "0", "0.00", "completed")
    t.run("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-20", "--force-majeure", at=AFTER_END)
    r = export_csv(t)["1001"]
    assert (r["funded_days"], r["grant_eur"]) == ("50", "1250.00")


def test_no_special_category_data_in_any_export(t):
    from applications.models import Application

    Application.objects.filter(call__code=CODE).update(disability="accepted", martyr_veteran_relative="accepted", protection_2828="accepted")
    bm_data(t, [{"student_number": "1001", **FULL}, {"student_number": "2001", **FULL}])
    for fmt in ("csv", "xml"):
        text = t.run("export_mobilities", CODE, "--format", fmt).casefold()
        for word in ("disab", "engel", "martyr", "şehit", "veteran", "gazi", "2828", "protection", "accepted"):
            assert word not in text, (fmt, word)


def validate(xml: bytes):
    from lxml import etree

    from tests.traineeships.xsd import schema_load

    schema = schema_load(external_file(BM_SCHEMA))
    document = etree.fromstring(xml)
    ok = schema.validate(document)
    return ok, [f"line {e.line}: {e.message}" for e in schema.error_log]


def test_xml_validates_against_the_real_bm_schema_planned_and_completed(t, tmp_path):
    bm_data(t, [{"student_number": "1001", **FULL},
                {"student_number": "2001", **FULL, "host_oid": "E10000000", "transport_means": "TRAIN", "green_travel": ""}])
    t.run("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-20", "--force-majeure", at=AFTER_END)
    target = tmp_path / "report.xml"
    t.run("export_mobilities", CODE, "--format", "xml", "--output", str(target))
    xml = target.read_bytes()
    ok, errors = validate(xml)
    assert ok, errors
    text = xml.decode()
    assert text.count("<mobility>") == 2
    assert "<oid>E10000000</oid>" in text and "<green-travel>true</green-travel>" in text  # train counts as green
    assert "<force-majeure>true</force-majeure>" in text and "<mobility-grant>1250.00</mobility-grant>" in text
    assert "<legal-name>Host of 1001 GmbH</legal-name>" in text


def test_schema_validation_can_fail(t):
    bm_data(t, [{"student_number": "1001", **FULL}, {"student_number": "2001", **FULL}])
    xml = t.run("export_mobilities", CODE, "--format", "xml").encode()
    assert validate(xml)[0]
    broken = xml.replace(b"<gender>2</gender>", b"<gender>F</gender>")
    assert not validate(broken)[0]


def test_xml_names_each_mobility_lacking_bm_data_and_what_it_lacks(t):
    bm_data(t, [{"student_number": "1001", **FULL}, {"student_number": "2001", "gender": "1", "nationality": "TR"}])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error, translation.override("en"):
        call_command("export_mobilities", CODE, "--format", "xml", stdout=out, stderr=err)
    lines = (err.getvalue() + str(error.value)).strip()
    assert "2001" in lines and "1001" not in lines
    for item in ("date of birth", "main language", "distance band", "means of travel", "host's postal code"):
        assert item in lines
    assert out.getvalue().count("<mobility>") == 1  # the complete one is still written
    assert validate(out.getvalue().encode())[0]


@pytest.mark.parametrize(("changes", "named"), [
    ({"institution": None}, "institution"),
    ({"departments": json.loads(FIXTURE.read_text())["departments"]}, "CENG"),
])
def test_a_call_without_institution_or_isced_cannot_be_exported(tmp_path, changes, named):
    t = Timeline(tmp_path, **{"institution": INSTITUTION, "departments": departments_with_isced(), **changes})
    for fmt in ("csv", "xml"):
        err, error = t.fails("export_mobilities", CODE, "--format", fmt)
        assert named in err + error


def test_import_mobility_data_is_all_or_nothing_naming_row_and_column(t):
    path = t.tmp / "bad.csv"
    path.write_text("student_number,gender,birth_date\n1001,2,2002-03-14\n3001,2,2002-03-14\n2001,X,14.03.2002\n", encoding="utf-8")
    err, error = t.fails("import_mobility_data", CODE, str(path))
    text = err + error
    assert "row 3" in text and "no_mobility" in text and "row 4: gender" in text and "row 4: birth_date" in text
    from traineeships.models import Mobility

    assert not Mobility.objects.exists()


def test_ci_fails_rather_than_skips_without_the_schema(monkeypatch, tmp_path):
    from tests.traineeships import shared_data

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        shared_data.external_file(tmp_path / "missing.xsd")
    assert os.environ["CI"] == "true"
