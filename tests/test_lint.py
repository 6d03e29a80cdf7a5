"""ruff passes on the whole project, with the rules in pyproject.toml ([tool.ruff])."""
import importlib.util
import subprocess
import sys
from pathlib import Path

from tests.tools import tool_missing

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    if importlib.util.find_spec("ruff") is None:
        tool_missing("ruff", hint="pip install ruff (it is in the dev dependencies)")
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-fix", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
