"""The shape of the package: no import cycles, and runtime code never imports the command line.

The imports are read from the source with ``ast``, function-level ("late") imports included and
``if TYPE_CHECKING:`` blocks left out, so a cycle hidden by a late import fails as surely as one
at the top of a module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "ext" / "broadsheet"

Graph = dict[str, set[str]]


def module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` except what is under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield child
        yield from _runtime_nodes(child)


def import_graph(root: Path) -> Graph:
    """Module -> the modules of the same package it imports when it runs."""
    modules = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # "from broadsheet.typst import escape" imports the submodule escape.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def importers(graph: Graph, package: str) -> set[str]:
    """Modules outside ``package`` that import something in it."""
    inside = (package, f"{package}.")
    return {
        name
        for name, targets in graph.items()
        if not name.startswith(inside) and any(t.startswith(inside) for t in targets)
    }


def test_no_import_cycles() -> None:
    graph = import_graph(PACKAGE)
    assert "broadsheet.header" in graph
    assert cycles(graph) == []


def test_runtime_code_never_imports_the_command_line() -> None:
    assert importers(import_graph(PACKAGE), "broadsheet.cli") == set()


def test_the_checks_see_a_cycle_hidden_by_a_late_import(tmp_path: Path) -> None:
    package = tmp_path / "paper"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""Paper."""\n')
    (package / "sub" / "__init__.py").write_text("")
    (package / "listing.py").write_text("from paper.sub import tags\n")
    (package / "sub" / "tags.py").write_text("def f():\n    from ..listing import x\n")
    (package / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from paper import listing\n"
    )
    (package / "cli.py").write_text("")
    (package / "header.py").write_text("import paper.cli\n")
    graph = import_graph(package)
    assert cycles(graph) == [["paper.listing", "paper.sub.tags"]]
    assert graph["paper.typed"] == set()
    assert importers(graph, "paper.cli") == {"paper.header"}


def test_every_module_says_what_it_holds() -> None:
    undocumented = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if ast.get_docstring(ast.parse(path.read_text("utf-8"))) is None
    ]
    assert undocumented == []


def private_imports(root: Path) -> list[str]:
    """``module: name`` for every private name (``_x``) a module imports from another one."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(root.name):
                found += [
                    f"{module_name(root, path)}: {alias.name}"
                    for alias in node.names
                    # The catalog's ``_`` and ``__`` and dunders are not private.
                    if alias.name.startswith("_")
                    and not alias.name.startswith("__")
                    and alias.name != "_"
                ]
    return found


def test_no_module_imports_another_modules_private_names(tmp_path: Path) -> None:
    assert private_imports(PACKAGE) == []
    # The check sees one.
    package = tmp_path / "broadsheet"
    package.mkdir()
    (package / "a.py").write_text("def _helper() -> None: ...\n", "utf-8")
    (package / "b.py").write_text("from broadsheet.a import _helper\n", "utf-8")
    assert private_imports(package) == ["broadsheet.b: _helper"]
