"""The shape of the code, checked from its imports: layers only point down, no cycle, no
MkDocs below `hooks/`, no module reaching into another's private names.

The road: data (records, territory) → validation → model (`load_directory`) → views (prepared
once) → printing and exports → site pages and importers → build → kept build → hooks. A module may import
from a lower layer, or from its own package; never upwards, never sideways into a sibling
package of the same layer.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annuaire"

# Package (or top-level module) → layer. Lower numbers are lower in the road.
LAYERS: dict[str, int] = {
    "annuaire.settings": 0,
    "annuaire.problems": 0,
    "annuaire.text": 0,
    "annuaire.urls": 0,
    "annuaire.fingerprint": 0,
    "annuaire.atomic": 0,
    "annuaire.workers": 0,
    "annuaire.collector": 0,
    "annuaire.data": 1,
    "annuaire.validation": 2,
    "annuaire.model": 3,
    "annuaire.views": 4,
    "annuaire.printing": 5,
    "annuaire.exports": 5,
    "annuaire.digests": 5,  # records digested once per build, for the memos above them
    "annuaire.distance_memo": 4,  # the communes' rankings and the coverage kept between builds
    "annuaire.view_memo": 6,  # the places' views kept between builds
    "annuaire.site": 6,
    "annuaire.importers": 6,
    "annuaire.build": 7,
    "annuaire.kept": 8,  # the generated part of the last build, read back when nothing changed
    "annuaire.previous_site": 8,  # the site the last build wrote, written over
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def modules() -> dict[str, Path]:
    return MODULES


def group(module: str) -> str:
    """The entry of LAYERS a module belongs to (its package, or itself at the top)."""
    matches = [name for name in LAYERS if module == name or module.startswith(name + ".")]
    assert matches, f"{module} n’a pas de couche : ajoutez son paquet à LAYERS"
    return max(matches, key=len)


def imports_of(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(imported annuaire module, names taken from it, line) for each import of the file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            # `from . import x` and `from ..data import hours` import modules, not names.
            for name in names:
                if f"{target}.{name}" in modules():
                    yield f"{target}.{name}", [], node.lineno
                    names = [n for n in names if n != name]
            if names:
                yield target, names, node.lineno


def edges() -> list[tuple[str, str, list[str], int]]:
    found = []
    for name, path in modules().items():
        for target, names, line in imports_of(path):
            if target == "annuaire" or target.startswith("annuaire."):
                found.append((name, target, names, line))
    return found


def test_every_module_has_a_layer() -> None:
    for name in modules():
        if name != "annuaire":
            group(name)


def test_layers_only_point_down() -> None:
    upward = []
    for source, target, _names, line in edges():
        if source == "annuaire":
            continue
        a, b = group(source), group(target)
        if a == b:
            continue  # within a package
        if LAYERS[b] >= LAYERS[a]:
            upward.append(f"{source}:{line} importe {target} ({b}, couche {LAYERS[b]} ≥ {LAYERS[a]})")
    assert upward == []


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for source, target, _names, _line in edges():
        if target in modules() and target != source:
            graph.setdefault(source, set()).add(target)
    seen: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        if node in stack:
            pytest.fail("cycle d’imports : " + " → ".join(stack[stack.index(node):] + [node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        stack.pop()
        seen.add(node)

    for node in sorted(graph):
        visit(node)


def test_the_core_never_imports_mkdocs() -> None:
    for name, path in modules().items():
        for target, _names, line in imports_of(path):
            assert not (target == "mkdocs" or target.startswith("mkdocs.")), f"{name}:{line} importe {target}"


def test_no_module_takes_another_modules_private_names() -> None:
    private = [
        f"{source}:{line} prend {name} de {target}"
        for source, target, names, line in edges()
        for name in names
        if name.startswith("_") and target != source
    ]
    assert private == []


def test_the_hook_only_calls_the_cores_public_road() -> None:
    """`hooks/` adapts MkDocs events: it loads the directory, generates the site (or reads the
    last one back), checks links, keeps the pages the theme wrapped (those missing wrapped
    on every core), cuts the theme's stylesheets down to what the written pages use, asks
    for styles and scripts with the version of the site's files, and sets Python's collector
    for the length of a build."""
    taken = {
        target
        for target, _names, _line in imports_of(ROOT / "hooks" / "directory.py")
        if target.startswith("annuaire")
    }
    assert taken <= {
        "annuaire.build", "annuaire.kept", "annuaire.model.directory", "annuaire.problems",
        "annuaire.settings", "annuaire.site.linkcheck", "annuaire.site.finder", "annuaire.site.rendered",
        "annuaire.site.stylesheet", "annuaire.fingerprint",
        "annuaire.workers", "annuaire.previous_site", "annuaire.collector",
    }
