"""The code's layout as the README draws it: one direction of flow, the store only persisting, no import circle."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "analytics"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path, lazy: bool) -> set[str]:
    """The analytics modules a file imports: at module level, or anywhere in it with `lazy`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in (ast.walk(tree) if lazy else tree.body):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analytics"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("analytics")}
    return found & set(MODULES)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_at_import_time():
    graph = {name: imports(path, lazy=False) for name, path in MODULES.items()}
    assert cycles(graph) == []
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]  # the check finds a circle


def test_the_store_only_persists():
    """Persistence knows nothing of how documents are read or analysed, not even lazily: the library
    operations (bytes -> ingest -> engine -> store) use it, never the other way round."""
    store = imports(MODULES["analytics.corpus.store"], lazy=True)
    assert not store & {"analytics.corpus.library", "analytics.corpus.isolation", "analytics.corpus.engine",
                        "analytics.pipeline.ingest"}
    library = imports(MODULES["analytics.corpus.library"], lazy=True)
    assert {"analytics.corpus.store", "analytics.corpus.engine", "analytics.pipeline.ingest"} <= library
    source = MODULES["analytics.corpus.library"].read_text(encoding="utf-8")
    assert "SELECT " not in source and "INSERT " not in source and "UPDATE " not in source  # no SQL here


def test_analysis_code_never_imports_the_dashboard_or_streamlit():
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, name
        assert "from app_pages" not in text and "import app_pages" not in text, name
