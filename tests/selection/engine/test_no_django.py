"""The engine is pure Python: importing it must not import Django."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

PROBE = """
import sys
import selection.engine
import selection.engine.allocation, selection.engine.defaults, selection.engine.runner, selection.engine.scoring, selection.engine.types
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(leaked) or "clean")
"""


def test_engine_package_does_not_import_django():
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "clean"


def test_engine_sources_do_not_mention_django_imports():
    for source in (REPO / "selection" / "engine").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, source.name
