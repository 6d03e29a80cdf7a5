"""Call data for the EU report (placement-files §12): institution, ISCED-F per department, EQF levels."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from mobility.isced import BROAD, DETAILED, isced_choices, isced_label
from mobility.models import Call, CallDepartment
from tests.letters.timeline import FIXTURE
from tests.traineeships.shared_data import ISCED_CSV, external_file


def test_isced_codes_are_exactly_the_public_list_of_detailed_fields():
    with external_file(ISCED_CSV).open(encoding="utf-8") as handle:
        public = {row["code"]: row for row in csv.DictReader(handle) if len(row["code"]) == 4}
    assert set(DETAILED) == set(public)
    # English labels agree with the public list (case aside; our ICT label keeps its abbreviation).
    differ = [code for code, (en, _tr) in DETAILED.items() if en.casefold() != public[code]["label_en"].casefold()]
    assert differ == ["0619"]


def test_every_isced_field_has_a_turkish_and_an_english_label_and_a_broad_field():
    for code, (en, tr) in DETAILED.items():
        assert en and tr and en != tr or code in ("9999",) or en == tr, code
        assert code[:2] in BROAD
    assert isced_label("0613", "tr") == "Yazılım ve uygulama geliştirme ve analizi"
    assert isced_label("0613", "en") == "Software and applications development and analysis"
    assert sum(len(items) for _group, items in isced_choices()) == len(DETAILED)


def _call_file(tmp_path, **changes):
    data = json.loads(FIXTURE.read_text())
    data.update(changes)
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


INSTITUTION = {"erasmus_code": "TR TRABZON01", "schac": "ktu.edu.tr", "pic": "999860832", "name": "Karadeniz Teknik Üniversitesi"}


@pytest.mark.django_db
def test_load_call_keeps_institution_isced_and_eqf_and_dump_call_round_trips(tmp_path):
    data = json.loads(FIXTURE.read_text())
    data["departments"][0]["isced"] = "0613"
    path = _call_file(tmp_path, institution=INSTITUTION, eqf={"bachelor": 6, "master": 7}, departments=data["departments"])
    call_command("load_call", path, stdout=io.StringIO())
    call = Call.objects.get(code=data["code"])
    assert (call.institution_erasmus_code, call.institution_schac, call.institution_pic, call.institution_name) == (
        "TR TRABZON01", "ktu.edu.tr", "999860832", "Karadeniz Teknik Üniversitesi")
    assert call.eqf_levels() == {"associate": 5, "bachelor": 6, "master": 7, "doctorate": 8}
    assert CallDepartment.objects.get(call=call, department__code="CENG").isced == "0613"
    out = tmp_path / "dump.json"
    call_command("dump_call", data["code"], "--output", str(out))
    dumped = json.loads(out.read_text())
    assert dumped["institution"] == INSTITUTION
    assert dumped["eqf"] == {"associate": 5, "bachelor": 6, "master": 7, "doctorate": 8}
    assert dumped["departments"][0] == {**data["departments"][0], "isced": "0613"}


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"institution": {**INSTITUTION, "pic": "12345"}}, "institution.pic"),
    ({"institution": {**INSTITUTION, "erasmus_code": "TRABZON"}}, "institution.erasmus_code"),
    ({"institution": {**INSTITUTION, "schac": "not a domain"}}, "institution.schac"),
    ({"institution": {**INSTITUTION, "oid": "E1"}}, "institution.oid"),
    ({"eqf": {"bachelor": 9}}, "eqf.bachelor"),
    ({"departments": [{"code": "CENG", "name": "X", "isced": "061"}]}, "departments[0].isced"),
])
def test_load_call_refuses_bad_reporting_data_naming_the_field(tmp_path, changes, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_call", _call_file(tmp_path, **changes), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_the_admin_offers_isced_codes_from_the_list_and_keeps_them_editable_after_the_final_list(client, tmp_path):
    from tests.factories import UserFactory

    call_command("load_call", _call_file(tmp_path), stdout=io.StringIO())
    call = Call.objects.get()
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    url = f"/admin/mobility/call/{call.pk}/change/"
    page = client.get(url).content.decode()
    assert '<option value="0613">0613 Software and applications development and analysis</option>' in page
    assert "Reporting to the EU Beneficiary Module" in page and 'name="institution_pic"' in page
    Call.objects.filter(pk=call.pk).update(status="final_published")
    page = client.get(url).content.decode()
    assert 'name="call_departments-0-isced"' in page  # still a field, not read-only text
    assert 'name="call_departments-0-written_min"' not in page
