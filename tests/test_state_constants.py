"""States are compared through their TextChoices and named groups, never as raw strings in Python code."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mobility", "applications", "selection", "letters", "appeals", "portal")
STATE_FIELDS = {"status", "decision", "stage", "outcome"}


def _state_attribute(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in STATE_FIELDS


def raw_state_comparisons(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            literal = any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides)
            literal |= any(isinstance(s, (ast.Tuple, ast.List, ast.Set)) and any(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in s.elts) for s in sides)
            if literal and any(_state_attribute(s) for s in sides):
                lines.append(node.lineno)
    return lines


def test_no_raw_state_strings_are_compared():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(ROOT)}:{n}" for n in raw_state_comparisons(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_raw_state_string_is_caught():
    assert raw_state_comparisons('if call.status == "announced":\n    pass\n') == [1]
    assert raw_state_comparisons('if call.status == CallStatus.ANNOUNCED:\n    pass\n') == []
