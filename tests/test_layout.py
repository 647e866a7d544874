"""The layout shows the architecture: imports point one way, at the top of the module.

The import graph is read from the source (ast), so that a cycle or a late import
is caught even on a path no test runs; every module is also imported on its own,
in a fresh interpreter, so that no module works only when another came first.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import parley

PACKAGE = Path(parley.__file__).parent
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

# Imports of parley's own modules that may sit inside a function: none. Optional heavy
# third-party packages (Ray, pyarrow, plotly, datasketch) are loaded late on purpose,
# each with a comment, and are not parley's modules.
LATE_IMPORTS_ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def parley_imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function?) for every import of a parley module,
    leaving out `if TYPE_CHECKING:` blocks (never run)."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            return
        inside = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if isinstance(node, ast.Import):
            found.extend((a.name, inside) for a in node.names if a.name.split(".")[0] == "parley")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "parley":
            for alias in node.names:
                # `from parley.x import y`: y is a module when parley/x/y.py exists
                sub = f"{node.module}.{alias.name}"
                found.append((sub if sub in MODULES else node.module, inside))
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: {target for target, _ in parley_imports(path) if target != name}
            for name, path in MODULES.items()}


def test_the_stage_folders_exist() -> None:
    for folder in ("reading", "analysis", "extract", "extract.rules", "engines", "corpus", "output", "cli"):
        assert f"parley.{folder}" in MODULES, folder


def test_no_import_cycles() -> None:
    graph = import_graph()
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
    assert set(MODULES) <= set(order)


def test_a_cycle_would_be_found() -> None:
    # The check above can fail: a graph with a cycle is refused.
    with pytest.raises(CycleError):
        list(TopologicalSorter({"a": {"b"}, "b": {"a"}}).static_order())


def test_no_parley_imports_inside_functions() -> None:
    late = {(name, target) for name, path in MODULES.items()
            for target, inside in parley_imports(path) if inside}
    assert late <= LATE_IMPORTS_ALLOWED, sorted(late - LATE_IMPORTS_ALLOWED)


def test_no_parley_import_is_wrapped_in_try_except() -> None:
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Try):
                for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("parley"):
                        pytest.fail(f"{name} guards an import of {inner.module} with try/except")


def test_ingest_does_not_import_the_ray_engine() -> None:
    graph = import_graph()
    reachable, todo = set(), ["parley.corpus.ingest"]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in reachable:
                reachable.add(target)
                todo.append(target)
    assert "parley.engines.parts" in reachable and "parley.engines.ray" not in reachable


def test_the_registry_imports_no_backend() -> None:
    assert not {m for m in import_graph()["parley.extract.registry"] if m.startswith("parley.extract.")}


def test_every_module_imports_on_its_own() -> None:
    names = [n for n in MODULES if n != "parley.__main__"]
    # One fresh interpreter per module, run a few at a time: no module may depend on
    # another having been imported first.
    script = "import importlib, sys; importlib.import_module(sys.argv[1])"
    failures = []
    for start in range(0, len(names), 8):
        running = [(n, subprocess.Popen([sys.executable, "-c", script, n], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True))
                   for n in names[start:start + 8]]
        for name, process in running:
            _, err = process.communicate(timeout=300)
            if process.returncode != 0:
                failures.append(f"{name}: {err.strip().splitlines()[-1] if err.strip() else process.returncode}")
    assert not failures, failures


def test_the_readme_stage_table_names_every_folder() -> None:
    table = README.split("## How it works", 1)[1].split("## ", 1)[0]
    for name, path in MODULES.items():
        if path.name == "__init__.py" and name != "parley":
            folder = path.parent.relative_to(PACKAGE).as_posix()
            assert f"`{folder}/" in table, f"the README's stage table does not name {folder}/"


def test_the_pipeline_docstring_names_the_stage_modules() -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / "pipeline.py").read_text(encoding="utf-8"))) or ""
    for path in ("reading/", "analysis/amounts.py", "analysis/dates.py", "analysis/actors.py",
                 "extract/registry.py", "extract/rules/", "engines/", "corpus/"):
        assert path in doc, path


PUBLIC_API = {
    "extract", "extract_articles", "read_articles", "ExtractOptions", "ArticleResult",
    "find_amounts", "parse_amount", "find_dates", "resolve_date", "state_code", "slug",
    "Amount", "Article", "Change", "DateSpan", "Event", "Evidence", "Party", "Person", "Problem",
    "ParleyError", "InputError", "ConfigurationError", "ModelError", "StoreError",
}


def test_public_api_is_kept() -> None:
    assert set(parley.__all__) == PUBLIC_API
    namespace: dict[str, object] = {}
    exec("from parley import *", namespace)  # noqa: S102 - what a user's star import gets
    assert PUBLIC_API <= set(namespace)


def test_package_data_globs_find_the_resource_files() -> None:
    # Resource tables and templates moved with their stages: the wheel must still ship them.
    import tomllib

    config = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["parley"]
    shipped = {p for pattern in globs for p in PACKAGE.glob(pattern)}
    data = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".tsv", ".j2", ".txt", ".json")}
    assert data and data <= shipped, sorted(str(p) for p in data - shipped)
