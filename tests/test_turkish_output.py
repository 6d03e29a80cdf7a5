"""Turkish is the default language: commands and services speak it unless told otherwise."""
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from selection.services import SelectionBusy, selection_run_start

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "call_uzem.json"


def test_load_call_errors_are_in_turkish_by_default(tmp_path, capsys):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["budget"] = "1"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with translation.override("tr"), pytest.raises(CommandError):
        call_command("load_call", str(path))
    assert "budget: bilinmeyen alan" in capsys.readouterr().err


def test_a_busy_selection_is_explained_in_turkish(call):
    selection_run_start(call=call)
    with translation.override("tr"), pytest.raises(SelectionBusy, match="zaten"):
        selection_run_start(call=call)


def test_the_home_page_speaks_turkish_without_an_accept_language_header(client, call):
    body = client.get("/").content.decode()
    assert "Açık çağrılar" in body or "Açık başvuru" in body
