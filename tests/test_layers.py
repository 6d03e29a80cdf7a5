"""Imports run one way between the apps, without loops; an import inside a function says why.

core `mobility` <- `applications` <- `selection` <- `letters`, `appeals`, `internships` <- `traineeships` <- `portal`
(docs/architecture.md).
Every import counts, at module level or inside a function. The one exception: the core reads the
pure rule defaults of `selection.engine.defaults` (the Call model's field defaults).
"""
import ast
import io
import tokenize
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    ("mobility",), ("applications",), ("selection",), ("letters", "appeals", "internships"), ("traineeships",), ("portal",),
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
ALLOWED_UPWARD = {("mobility", "selection.engine.defaults")}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LEVEL:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = project_modules()


@cache
def imports_of(module: str, source: str) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for every import statement, relative ones resolved."""
    tree = ast.parse(source)
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(child) for child in ast.walk(node) if child is not node)
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from selection import engine` imports the module selection.engine.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found += [(node.lineno, name, id(node) in inside) for name in dict.fromkeys(names)]
    return found


def upward_imports(modules: dict[str, str]) -> list[str]:
    problems = []
    for module, source in modules.items():
        app = module.split(".")[0]
        for line, name, _inside in imports_of(module, source):
            target = name.split(".")[0]
            if target not in LEVEL or target == app:
                continue
            allowed = any(app == low and (name == high or name.startswith(high + ".")) for low, high in ALLOWED_UPWARD)
            if LEVEL[target] > LEVEL[app] and not allowed:
                problems.append(f"{module}:{line} imports {name} ({app} is below {target})")
            elif LEVEL[target] == LEVEL[app] and target != app:
                problems.append(f"{module}:{line} imports {name} ({app} and {target} are siblings)")
    return problems


def import_cycles(modules: dict[str, str]) -> list[list[str]]:
    """Cycles in the graph of project modules (a package counts as its __init__)."""
    graph = {module: set() for module in modules}
    for module, source in modules.items():
        for _line, name, _inside in imports_of(module, source):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):
                graph[module].add(name)
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def unexplained_inner_imports(modules: dict[str, str]) -> list[str]:
    problems = []
    for module, source in modules.items():
        comments = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT}
        lines = source.splitlines()
        for line, name, inside in imports_of(module, source):
            if not inside:
                continue
            above = line - 1
            while above > 0 and lines[above - 1].strip().startswith(("from ", "import ")):
                above -= 1  # a comment above a group of imports covers the group
            if line not in comments and above not in comments:
                problems.append(f"{module}:{line} imports {name} inside a function without a comment saying why")
    return problems


SOURCES = {module: path.read_text(encoding="utf-8") for module, path in MODULES.items()}


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(LEVEL), "add the new app to LAYERS here and to docs/architecture.md"


def test_no_app_imports_a_higher_or_sibling_app():
    assert upward_imports(SOURCES) == []


def test_no_import_loop_between_modules():
    assert import_cycles(SOURCES) == []


def test_an_import_inside_a_function_says_why():
    assert unexplained_inner_imports(SOURCES) == []


@pytest.mark.parametrize("source", [
    "from letters.models import Placement\n",
    "def f():\n    from portal import views\n",
    "import appeals.selectors\n",
])
def test_an_upward_import_is_caught(source):
    assert upward_imports({**SOURCES, "mobility.views": source})


def test_a_loop_is_caught():
    sources = {**SOURCES, "selection.services": SOURCES["selection.services"] + "\nfrom selection import tasks\n"}
    assert import_cycles(sources)


def test_an_unexplained_inner_import_is_caught():
    assert unexplained_inner_imports({**SOURCES, "mobility.views": "def f():\n    import os\n"})
