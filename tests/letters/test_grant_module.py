"""The grant arithmetic lives in one module (letters/grants.py); nothing else counts 30-day months."""
import re
from pathlib import Path

import mobility.grants

ROOT = Path(__file__).resolve().parents[2]
APPS = ("mobility", "applications", "selection", "letters", "appeals", "portal")
# "* 30" next to months or days: a second copy of the 30-day month.
COPY = re.compile(r"months?\s*\*\s*30|30\s*\*\s*\w*months?|//\s*30\b|divmod\([^)]*,\s*30\)|\*\s*360\b")


def test_only_letters_grants_counts_30_day_months():
    copies = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "letters" / "grants.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if COPY.search(line):
                    copies.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert copies == []


def test_the_core_keeps_facts_not_arithmetic():
    assert not hasattr(mobility.grants, "mobility_days")
    assert not hasattr(mobility.grants, "funded_days")
