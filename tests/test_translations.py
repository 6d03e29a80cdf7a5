"""The Turkish catalogue is complete, correct in its placeholders, and up to date with the source.

Turkish is the default language of the portal, so an untranslated or fuzzy entry shows English to
students. The up-to-date check runs `makemessages` (it needs GNU gettext) on a copy of the project,
with the same options the catalogue is made with, and compares the msgids.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.tools import executables_required

BASE_DIR = Path(__file__).resolve().parent.parent
PO_PATH = BASE_DIR / "locale" / "tr" / "LC_MESSAGES" / "django.po"

# The directories `makemessages` is run without (see the command in the docs / Makefile).
IGNORED = [".venv", "var", "bench", "tests", "node_modules"]

# Python %-format conversions, named or not; "%%" is a literal percent sign.
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)?(?:![rsa])?(?::[^{}]*)?\}")


def _catalogue() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run manage.py makemessages -l tr"
    return polib.pofile(str(PO_PATH))


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


def _placeholders(entry: polib.POEntry, text: str) -> list[str]:
    found = []
    if "python-format" in entry.flags or PERCENT.search(text) and "%(" in text:
        found += [m.group(0) for m in PERCENT.finditer(text) if m.group(0) != "%%"]
    if "python-brace-format" in entry.flags:
        found += [m.group(0) for m in BRACE.finditer(text)]
    return sorted(found)


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_turkish_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = _catalogue()
    assert po.metadata.get("Language") == "tr", "the header's Language must be tr"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", ""), "the catalogue must be UTF-8"
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy: msgfmt would drop it"
    entries = _entries(po)
    assert entries, "the Turkish catalogue is empty"
    untranslated = [_label(e) for e in entries if any(not s.strip() for s in _translations(e))]
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, (
        f"{PO_PATH.relative_to(BASE_DIR)} is not complete.\n"
        + (f"Untranslated ({len(untranslated)}):\n  " + "\n  ".join(untranslated) + "\n" if untranslated else "")
        + (f"Fuzzy ({len(fuzzy)}):\n  " + "\n  ".join(fuzzy) if fuzzy else "")
    )


def test_turkish_plural_entries_have_both_forms():
    po = _catalogue()
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))
    wrong = [_label(e) for e in _entries(po) if e.msgid_plural and sorted(e.msgstr_plural) != list(range(nplurals))]
    assert not wrong, f"plural entries without exactly {nplurals} forms:\n" + "\n".join(wrong)


def test_turkish_translations_keep_every_placeholder():
    problems = []
    for entry in _entries(_catalogue()):
        wanted = set(_placeholders(entry, entry.msgid))
        if entry.msgid_plural:
            wanted |= set(_placeholders(entry, entry.msgid_plural))
        for text in _translations(entry):
            if not text:
                continue  # reported by the completeness test
            have = set(_placeholders(entry, text))
            if have != wanted:
                missing, extra = sorted(wanted - have), sorted(have - wanted)
                problems.append(f"{_label(entry)} -> {text!r}: missing {missing}, unknown {extra}")
    assert not problems, "placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_turkish_catalogue_passes_msgfmt_check(tmp_path):
    executables_required("msgfmt", what="GNU gettext", hint="install it with `apt-get install gettext`")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr


def _copy_project(target: Path) -> None:
    """Everything makemessages looks at: the project minus the ignored and hidden directories."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for item in BASE_DIR.iterdir():
        if item.name in IGNORED or item.name.startswith(".") or item.name.endswith(".egg-info"):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, ignore=skip)
        else:
            shutil.copy2(item, target / item.name)


def test_turkish_catalogue_is_up_to_date_with_the_source(tmp_path):
    executables_required(
        "xgettext", "msgmerge", "msguniq", "msgattrib", what="GNU gettext",
        hint="install it with `apt-get install gettext`",
    )
    project = tmp_path / "project"
    project.mkdir()
    _copy_project(project)
    # Settings that can only write into the copy, whatever the environment says.
    (project / "i18n_check_settings.py").write_text(
        "from pathlib import Path\n"
        "from mobility.settings.base import *  # noqa: F401,F403\n"
        "LOCALE_PATHS = [Path(__file__).resolve().parent / 'locale']\n",
        encoding="utf-8",
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "i18n_check_settings", "PYTHONPATH": str(project)}
    command = [sys.executable, "manage.py", "makemessages", "-l", "tr", "--no-obsolete"]
    command += [f"--ignore={name}" for name in IGNORED]
    command += ["--ignore=i18n_check_settings.py"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr

    def keys(po):
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries(po)}

    committed = keys(_catalogue())
    fresh_po = polib.pofile(str(project / "locale" / "tr" / "LC_MESSAGES" / "django.po"))
    fresh = keys(fresh_po)
    new = sorted(repr(k[1]) + (f" (context {k[0]})" if k[0] else "") for k in fresh - committed)
    gone = sorted(repr(k[1]) + (f" (context {k[0]})" if k[0] else "") for k in committed - fresh)
    assert not new and not gone, (
        "locale/tr/LC_MESSAGES/django.po is out of date; run `manage.py makemessages -l tr -l en "
        + " ".join(f"--ignore={name}" for name in IGNORED)
        + "` and translate.\n"
        + (f"Not in the catalogue ({len(new)}):\n  " + "\n  ".join(new) + "\n" if new else "")
        + (f"No longer in the source ({len(gone)}):\n  " + "\n  ".join(gone) if gone else "")
    )
    # A merge that left entries fuzzy means msgids changed under existing translations.
    fuzzy = [_label(e) for e in _entries(fresh_po) if "fuzzy" in e.flags]
    assert not fuzzy, "makemessages marks these fuzzy:\n" + "\n".join(fuzzy)
