"""Tests that need a tool the machine may lack (Chromium, GNU gettext, PostgreSQL).

Locally such a test is skipped with a reason that starts with MISSING_TOOL, and the run ends with
one line saying what was not tested (see the summary hook in tests/conftest.py). Under CI
(CI=true) the same test fails instead: a pipeline must never pass without running it.
"""
import os
import shutil

import pytest

MISSING_TOOL = "missing tool:"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def tool_missing(what: str, *, hint: str = "") -> None:
    """Skip the current test because `what` is missing (fail under CI=true). Never returns."""
    reason = f"{MISSING_TOOL} {what}" + (f"; {hint}" if hint else "")
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a test that cannot run is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def executable_required(*names: str, what: str, hint: str = "") -> str:
    """The path of the first of `names` on PATH; skips (fails under CI) when there is none."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    tool_missing(what, hint=hint)
    raise AssertionError("unreachable")  # pragma: no cover


def executables_required(*names: str, what: str, hint: str = "") -> None:
    """Every one of `names` must be on PATH; skips (fails under CI) otherwise."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        tool_missing(f"{what} ({', '.join(missing)} not on PATH)", hint=hint)
