"""The only reader of YAML trees: library layers, case files, typed models with their origin.

Priority chain (lowest first): the built-in library; the library found by walking up from
the case file to the nearest directory holding ``arguments/``, ``sets/`` or ``matters/``;
each directory of
``REQUETE_LIBRARY`` (path-separated); each ``library:`` entry of the case file; each
``--library DIR`` option. A later layer wins by id for blocks, precedents, sets, facts,
matters and templates; the entries it shadows are remembered for ``requete explain``.

A layer is *shared* (its text must name no matter's facts: the leak check) unless it holds
the case file or a ``matters/`` directory: then it is a matter's own layer.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from requete.catalog import Catalog, InvalidFile
from requete.errors import LibraryError, Problem
from requete.model import (
    ArgumentSet,
    Block,
    Case,
    FactDecl,
    Model,
    Origin,
    Precedent,
    ProcedureDecl,
)
from requete.paths import contained, display_path
from requete.templates import TemplateExtension, load_extension
from requete.yamlfile import Lines, load_yaml

M = TypeVar("M", bound=Model)
ENV_VAR = "REQUETE_LIBRARY"


@dataclass(frozen=True)
class Layer:
    """One library root and the name `explain` shows for it."""

    name: str
    root: Path
    shared: bool = True


@dataclass
class Library:
    """Every block, precedent, set and template visible to a case, winners by id.

    Blocks, precedents and sets are catalogs read on demand (see ``requete.catalog``);
    ``problems`` grows as files are read.
    """

    layers: list[Layer]
    blocks: Catalog[Block]
    precedents: Catalog[Precedent]
    sets: Catalog[ArgumentSet]
    facts: Catalog[FactDecl]
    procedures: Catalog[ProcedureDecl]
    templates: dict[str, Path] = field(default_factory=dict)
    template_layers: dict[str, str] = field(default_factory=dict)
    template_extensions: dict[str, TemplateExtension] = field(default_factory=dict)
    shadowed: dict[tuple[str, str], list[Origin]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def builtin_root() -> Path:
    """The built-in library: package data when installed, the repository in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "library"
    if (packaged / "arguments").is_dir():
        return packaged
    return here.parents[1]


LAYER_DIRS = ("arguments", "sets", "matters")


def find_project_root(start: Path) -> Path | None:
    """Nearest directory at or above ``start`` that holds ``arguments/``, ``sets/`` or
    ``matters/`` (a matter's own layer may hold only its matter file)."""
    for directory in [start, *start.parents]:
        if any((directory / name).is_dir() for name in LAYER_DIRS):
            return directory
    return None


def library_layers(
    case_path: Path | None,
    extra: list[Path] | tuple[Path, ...] = (),
    case_libraries: list[Path] | tuple[Path, ...] = (),
) -> list[Layer]:
    """Library roots for a case, lowest priority first (see the module docstring)."""
    builtin = builtin_root()
    layers = [Layer("built-in", builtin)]
    seen = {builtin.resolve()}

    def push(name: str, root: Path, own: bool = False) -> None:
        if not root.is_dir():
            raise LibraryError(f"library directory not found ({name}); check the path", root)
        if root.resolve() not in seen:
            seen.add(root.resolve())
            shared = not own and not (root / "matters").is_dir()
            layers.append(Layer(name, root, shared))

    if case_path is not None:
        project = find_project_root(case_path.resolve().parent)
        if project is not None:
            push(display_path(project), project, own=True)
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if entry.strip():
            push(f"{ENV_VAR}:{entry}", Path(entry))
    for root in case_libraries:
        push(display_path(root), root)
    for root in extra:
        push(display_path(root), root)
    return layers


def load_library(layers: list[Layer], eager: bool = False) -> Library:
    """Open every layer; entries are read when first used (all at once with ``eager``)."""
    problems: list[Problem] = []
    shadowed: dict[tuple[str, str], list[Origin]] = {}
    roots = [(layer.name, layer.root) for layer in layers]

    def catalog(sub: str, kind: type[M]) -> Catalog[M]:
        return Catalog(roots, sub, kind, load_model, problems, shadowed)

    library = Library(
        layers=layers,
        blocks=catalog("arguments", Block),
        precedents=catalog("precedents", Precedent),
        sets=catalog("sets", ArgumentSet),
        facts=catalog("facts", FactDecl),
        procedures=catalog("procedures", ProcedureDecl),
        shadowed=shadowed,
        problems=problems,
    )
    for layer in layers:
        _load_templates(library, layer)
    if eager:
        kinds = (library.blocks, library.precedents, library.sets, library.facts)
        for kind in (*kinds, library.procedures):
            kind.load_all()
    return library


def _load_templates(library: Library, layer: Layer) -> None:
    directory = layer.root / "templates"
    if directory.is_dir():
        for path in sorted(directory.glob("*.docx")):
            if not contained(path, layer.root):
                library.problems.append(
                    Problem("error", "symbolic link points outside the library; refused", path)
                )
                continue
            library.templates[path.stem] = path
            library.template_layers[path.stem] = layer.name
            library.template_extensions.pop(path.stem, None)
        for path in sorted(directory.glob("*.yaml")):
            found = load_extension(path, layer.root)
            if isinstance(found, Problem):
                library.problems.append(found)
                continue
            library.template_extensions[path.stem] = found
            library.template_layers[path.stem] = layer.name


def load_model(
    path: Path, kind: type[M], layer: str, data: Any = None, lines: Lines | None = None
) -> M:
    """Read one YAML file as a typed model, or raise InvalidFile with every schema problem."""
    if data is None or lines is None:
        data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise LibraryError(
            f"expected a mapping of fields ({kind.__name__.lower()}), found {type(data).__name__}",
            path,
            1,
        )
    try:
        item = kind.model_validate(data)
    except ValidationError as err:
        raise InvalidFile(schema_problems(err, kind, path, lines)) from None
    origin = Origin(path=path, line=lines.line(()) or 1, layer=layer, lines=lines)
    return item.located(origin)  # type: ignore[no-any-return]


def schema_problems(
    err: ValidationError, kind: type[Model], path: Path, lines: Lines
) -> list[Problem]:
    """Turn pydantic's errors into ``path:line`` problems a user can act on."""
    problems = []
    for item in err.errors():
        loc = tuple(item["loc"])
        where, line = lines.locate(loc)
        problems.append(Problem("error", _describe(item, loc, kind), where or path, line))
    return problems


def _describe(item: Any, loc: tuple[Any, ...], kind: type[Model]) -> str:
    name = ".".join(str(p) for p in loc) or kind.__name__.lower()
    kind_of_error = item["type"]
    if kind_of_error == "extra_forbidden":
        allowed = sorted(_fields_at(kind, loc[:-1]))
        hint = did_you_mean(str(loc[-1]), allowed)
        return f"unknown field '{name}'{hint} (allowed: {', '.join(allowed)})"
    if kind_of_error == "missing":
        return f"missing required field '{name}'"
    if kind_of_error == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"field '{name}': {item['input']!r} is not allowed; expected one of {expected}"
    if kind_of_error == "value_error":
        return f"{name}: {item['msg'].removeprefix('Value error, ')}"
    if kind_of_error == "string_pattern_mismatch":
        return (
            f"field '{name}': {item['input']!r} is not a valid id (lower-case letters, digits, '-')"
        )
    return f"field '{name}': {item['msg']}"


def _fields_at(kind: type[Model], loc: tuple[Any, ...]) -> set[str]:
    model: Any = kind
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return set()
        model = _inner_model(info.annotation)
    fields = getattr(model, "model_fields", {})
    return {info.alias or name for name, info in fields.items()}


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    return None


def did_you_mean(word: str, candidates: list[str] | set[str] | Any) -> str:
    """`` (did you mean 'x'?)`` when a candidate is close, else an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class LoadedCase:
    """A case file (merged with its matter file) and the problems met while reading it.

    ``other_parties`` are the names of applicants of matters this filing is not about (the
    matter's own list when the case replaces it, other matters of the layers): a filing whose
    text names one of them is warned.
    """

    path: Path
    case: Case | None
    problems: list[Problem]
    other_parties: list[tuple[str, Path]] = field(default_factory=list)
    own_parties: bool = False  # the case replaces its matter's applicants


@dataclass
class CaseFile:
    """A case file as read, before its matter is merged: its data and the layers it names."""

    path: Path
    data: dict[str, Any]
    lines: Lines

    @property
    def libraries(self) -> list[str]:
        """The ``library:`` entries (checked to be a list of directory names)."""
        value = self.data.get("library", [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LibraryError(
                "field 'library': expected a list of directories",
                self.path,
                self.lines.line(("library",)),
            )
        return value


def read_case(path: Path) -> CaseFile:
    """Read a case file's YAML (the matter is merged by :func:`load_case`)."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise LibraryError("a case file must be a mapping of fields", path, 1)
    return CaseFile(path, data, lines)


def load_case(
    source: Path | CaseFile, layers: list[Layer] | None = None, allow_outside: bool = False
) -> LoadedCase:
    """Merge a case file with its ``matter:`` (a file beside it, or an id found in the
    ``matters/`` of the layers) and read it as a typed Case; schema problems are collected."""
    case_file = source if isinstance(source, CaseFile) else read_case(source)
    path, data, lines = case_file.path, case_file.data, case_file.lines
    matter = data.get("matter")
    others: list[tuple[str, Path]] = []
    if matter is not None:
        matter_path = _matter_path(case_file, matter, layers or [], allow_outside)
        matter_data, matter_lines = _read_matter(matter_path)
        if "requerants" in data:
            others += [(n, matter_path) for n in _party_names(matter_data)]
        data, lines = merge_matter(matter_data, matter_lines, data, lines)
        others += _other_matters(layers or [], matter_path)
    try:
        case = load_model(path, Case, "case", data, lines)
    except InvalidFile as invalid:
        return LoadedCase(path, None, invalid.problems)
    mine = {p.label for p in case.requerants}
    replaced = matter is not None and "requerants" in case_file.data
    return LoadedCase(path, case, [], [(n, p) for n, p in others if n not in mine], replaced)


def _matter_path(case_file: CaseFile, matter: Any, layers: list[Layer], outside: bool) -> Path:
    path, line = case_file.path, case_file.lines.line(("matter",))
    if not isinstance(matter, str) or not matter.strip():
        raise LibraryError("field 'matter': expected a matter id or a file name", path, line)
    if matter.endswith((".yaml", ".yml")) or "/" in matter:
        return resolve_reference(path.parent, matter, "matter file", path, line, outside)
    for layer in reversed(layers):
        for suffix in (".yaml", ".yml"):
            candidate = layer.root / "matters" / f"{matter}{suffix}"
            if candidate.is_file():
                return candidate
    known = sorted({p.stem for layer in layers for p in (layer.root / "matters").glob("*.y*ml")})
    hint = did_you_mean(matter, known)
    where = ", ".join(known) or "none"
    raise LibraryError(
        f"matter '{matter}' not found in the matters/ of any library layer{hint} "
        f"(known: {where}); add `library:` pointing at the layer that holds it",
        path,
        line,
    )


def _read_matter(matter_path: Path) -> tuple[dict[str, Any], Lines]:
    matter_data, matter_lines = load_yaml(matter_path)
    if not isinstance(matter_data, dict):
        raise LibraryError("a matter file must be a mapping of fields", matter_path, 1)
    if "matter" in matter_data:
        raise LibraryError(
            "a matter file cannot itself name a matter", matter_path, matter_lines.line(("matter",))
        )
    return matter_data, matter_lines


def _party_names(data: dict[str, Any]) -> list[str]:
    names = []
    for party in data.get("requerants") or []:
        if isinstance(party, dict):
            if isinstance(party.get("denomination"), str):
                names.append(party["denomination"])
            elif isinstance(party.get("nom"), str) and isinstance(party.get("civilite"), str):
                names.append(f"{party['civilite']} {party['nom']}")
    return names


def _other_matters(layers: list[Layer], mine: Path) -> list[tuple[str, Path]]:
    out = []
    for layer in layers:
        for path in sorted((layer.root / "matters").glob("*.y*ml")):
            if path.resolve() == mine.resolve():
                continue
            try:
                data, _ = load_yaml(path)
            except LibraryError:
                continue  # reported when that matter is used
            if isinstance(data, dict):
                out += [(n, path) for n in _party_names(data)]
    return out


# Keys a case merges into its matter's instead of replacing them: by key, by pièce, by block.
_MERGED_BY = {"pieces": "key", "applications": "block"}


def merge_matter(
    matter: dict[str, Any], matter_lines: Lines, case: dict[str, Any], case_lines: Lines
) -> tuple[dict[str, Any], Lines]:
    """The matter with the case's fields over it: ``facts`` merge by name, ``pieces`` by key
    and ``applications`` by block; any other field of the case replaces the matter's."""
    merged: dict[str, Any] = {}
    where: dict[tuple[str | int, ...], tuple[Path, int]] = {}

    def take(key: str, lines: Lines) -> None:
        for sub, hit in lines.sub((key,)).where.items():
            where[(key, *sub)] = hit

    for key, value in matter.items():
        merged[key] = value
        take(key, matter_lines)
    for key, value in case.items():
        how = _MERGED_BY.get(key, "")
        base = merged.get(key)
        if key == "facts" and isinstance(base, dict) and isinstance(value, dict):
            merged[key] = {**base, **value}
            for loc in [loc for loc in where if len(loc) > 1 and loc[0] == key]:
                if loc[1] in value:
                    del where[loc]
            take(key, case_lines)
        elif how and isinstance(base, list) and isinstance(value, list):
            merged[key] = _merge_list(key, how, base, value, matter_lines, case_lines, where)
        else:
            merged[key] = value
            for loc in [loc for loc in where if loc[:1] == (key,)]:
                del where[loc]
            take(key, case_lines)
    return merged, Lines(where)


def _merge_list(
    key: str,
    by: str,
    base: list[Any],
    mine: list[Any],
    base_lines: Lines,
    my_lines: Lines,
    where: dict[tuple[str | int, ...], tuple[Path, int]],
) -> list[Any]:
    """Items of ``mine`` replace the items of ``base`` with the same ``by`` value, in place;
    new ones are appended. Line numbers follow each item to its new index."""
    items: list[tuple[Any, Lines, int]] = [(v, base_lines, i) for i, v in enumerate(base)]
    for j, value in enumerate(mine):
        ident = value.get(by) if isinstance(value, dict) else None
        index = next(
            (
                n
                for n, (old, _, _) in enumerate(items)
                if ident is not None and isinstance(old, dict) and old.get(by) == ident
            ),
            None,
        )
        if index is None:
            items.append((value, my_lines, j))
        else:
            items[index] = (value, my_lines, j)
    for loc in [loc for loc in where if loc[:1] == (key,) and len(loc) > 1]:
        del where[loc]
    where[(key,)] = my_lines.where.get((key,), where.get((key,), (Path("<merged>"), 1)))
    for n, (_, lines, old) in enumerate(items):
        for sub, hit in lines.sub((key, old)).where.items():
            where[(key, n, *sub)] = hit
    return [value for value, _, _ in items]


def resolve_reference(
    base: Path, name: str, what: str, path: Path, line: int | None, allow_outside: bool = False
) -> Path:
    """A file named in a case, kept inside ``base`` unless ``allow_outside``."""
    target = Path(name)
    candidate = target if target.is_absolute() else base / target
    if not allow_outside and (target.is_absolute() or not contained(candidate, base)):
        raise LibraryError(
            f"{what} '{name}' is outside the case directory; move it inside "
            "or pass --allow-outside",
            path,
            line,
        )
    if not candidate.is_file():
        raise LibraryError(f"{what} '{name}' not found (looked in {base})", path, line)
    return candidate
