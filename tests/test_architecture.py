"""The import rules of the layout: core imports no app built on it, and no modules import each other.

Read with ``ast`` rather than by importing, so an import inside a function counts as much as one
at the top: a lazy import hides a circle from Python, not from the reader.
"""

import ast
from pathlib import Path

import weerbaar

ROOT = Path(weerbaar.__file__).parent
APPS_ON_CORE = ("knowledge", "risks", "framework", "accounts", "api", "documents")

# Known and reported, to be removed by the owners of these files; a new entry here needs a reason.
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_CIRCLES: list[set[str]] = []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and "locale" not in p.parts}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """Every weerbaar module that ``module`` imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            # `from package import module` imports the module; `from module import name` the module.
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith("weerbaar") and name in known and name != module}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _without_packages(graph):
    # A package's __init__ runs before its modules; edges into an (empty) __init__ are no circle.
    packages = {name for name, path in _modules().items() if path.name == "__init__.py"}
    return {v: {w for w in ws if w not in packages} for v, ws in graph.items() if v not in packages}


def test_core_imports_no_app_built_on_it():
    graph = import_graph()
    upward = {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("weerbaar.core")
        for target in targets
        if target.split(".")[1] in APPS_ON_CORE
    }
    assert upward - KNOWN_UPWARD == set(), "core must not import these apps; register a hook in core.registry"
    assert KNOWN_UPWARD <= upward, "a known upward import is gone: remove it from KNOWN_UPWARD"


def test_no_import_circles_between_our_modules():
    cycles = _cycles(_without_packages(import_graph()))
    new = [c for c in cycles if c not in KNOWN_CIRCLES]
    assert new == [], f"modules that import each other (also inside functions): {new}"
    gone = [c for c in KNOWN_CIRCLES if c not in cycles]
    assert gone == [], f"a known circle is gone: remove it from KNOWN_CIRCLES: {gone}"


def test_the_checks_see_function_local_imports(tmp_path):
    package = tmp_path / "weerbaar" / "core"
    package.mkdir(parents=True)
    source = package / "thing.py"
    source.write_text("def f():\n    from weerbaar.risks import models\n    from ..knowledge.models import Theme\n")
    known = {"weerbaar.core.thing", "weerbaar.risks.models", "weerbaar.knowledge.models"}
    node_module = "weerbaar.core.thing"
    assert imports_of(node_module, source, known) == {"weerbaar.risks.models", "weerbaar.knowledge.models"}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
