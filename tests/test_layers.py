"""The import graph of src/requete against the layer order the README documents."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "requete"
README = ROOT / "README.md"
_TABLE = re.compile(r"<!-- layers:.*?-->\n(.*?)<!-- /layers -->", re.S)


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int


def module_of(token: str) -> str:
    """``ooxml/text.py`` -> requete.ooxml.text; ``review/`` -> requete.review (its
    ``__init__``); ``__init__.py`` -> requete."""
    if token == "__init__.py":
        return "requete"
    parts = token.removesuffix("/").removesuffix(".py").split("/")
    return ".".join(["requete", *parts])


def documented_layers(text: str) -> dict[str, tuple[int, str]]:
    """Module -> (layer number, layer name), in the order of the README's table."""
    table = _TABLE.search(text)
    assert table, "README.md has no <!-- layers --> table"
    layers: dict[str, tuple[int, str]] = {}
    rows = [r for r in table.group(1).splitlines() if r.startswith("|")][2:]
    for number, row in enumerate(rows, start=1):
        name, files = (cell.strip() for cell in row.strip("|").split("|")[:2])
        for token in re.findall(r"`([^`]+)`", files):
            module = module_of(token)
            assert module not in layers, f"{token} is listed twice in the README's layers"
            layers[module] = (number, name)
    return layers


def source_modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, modules: set[str]) -> list[Import]:
    """Every import of requete in a module: top level, inside functions and under
    TYPE_CHECKING alike (a type is a dependency too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(module, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                if child in modules:
                    found.append(Import(module, child, node.lineno))
                elif not (target == "requete" and alias.name == "__version__"):
                    found.append(Import(module, target, node.lineno))
    return [i for i in found if i.target == "requete" or i.target.startswith("requete.")]


def upward(imports: list[Import], layers: dict[str, tuple[int, str]]) -> list[str]:
    """The imports that run from a layer to a later one, as ``module:line: …`` lines."""
    wrong = []
    for i in imports:
        here, there = layers[i.importer], layers[i.target]
        if there[0] > here[0]:
            wrong.append(
                f"{i.importer}:{i.line}: imports {i.target} ({there[0]}. {there[1]}) "
                f"from layer {here[0]}. {here[1]}"
            )
    return wrong


def _graph() -> tuple[dict[str, tuple[int, str]], list[Import]]:
    modules = source_modules()
    layers = documented_layers(README.read_text(encoding="utf-8"))
    imports = [i for m, p in modules.items() for i in imports_of(m, p, set(modules))]
    return layers, imports


def test_every_module_is_in_the_readme_and_every_listed_file_exists() -> None:
    modules = set(source_modules())
    layers = documented_layers(README.read_text(encoding="utf-8"))
    assert sorted(modules - set(layers)) == [], "modules missing from the README's layers"
    assert sorted(set(layers) - modules) == [], "the README lists files that do not exist"


def test_no_import_runs_back_up_the_layers() -> None:
    layers, imports = _graph()
    unknown = sorted({i.target for i in imports} - set(layers))
    assert unknown == [], "imports of modules that do not exist"
    assert upward(imports, layers) == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule itself can fail: an import from the foundation of the pipeline is caught, with
    the function, top-level and TYPE_CHECKING forms all read."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from requete import __version__\n"
        "if TYPE_CHECKING:\n"
        "    from requete.pipeline import Session\n"
        "def f():\n"
        "    from . import pipeline\n"
    )
    fake = tmp_path / "paths.py"
    fake.write_text(source, encoding="utf-8")
    layers = documented_layers(README.read_text(encoding="utf-8"))
    found = imports_of("requete.paths", fake, set(layers))
    assert [(i.target, i.line) for i in found] == [
        ("requete.pipeline", 4),
        ("requete.pipeline", 6),
    ]
    assert len(upward(found, layers)) == 2


def test_the_command_line_reaches_the_core_only_through_the_api() -> None:
    """The CLI is a face on the public API: it may use the foundation, the French rules,
    the verbs' own front-ends (building, batch, review, bundle, listing, new) and the API,
    never the content model, the library, assembly, validation, rendering or the pipeline
    themselves (layers 3 to 8)."""
    layers, imports = _graph()
    cli = {m for m, (number, _name) in layers.items() if number == len(set(layers.values()))}
    assert "requete.cli" in cli
    reached = [
        f"{i.importer}:{i.line}: imports {i.target}"
        for i in imports
        if i.importer in cli and 3 <= layers[i.target][0] <= 8
    ]
    assert reached == []
