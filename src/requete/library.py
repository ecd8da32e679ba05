"""The reader of library layers: typed models with their origin (cases and matters are read
by ``requete.cases`` with the same loader).

Priority chain (lowest first): the built-in library; the library found by walking up from
the case file to the nearest directory holding ``arguments/``, ``sets/`` or ``matters/``;
each directory of ``REQUETE_LIBRARY`` (path-separated); each ``library:`` entry of the case
file; each ``--library DIR`` option. A later layer wins by id for blocks, precedents, sets,
facts, procedures, matters and templates; the entries it shadows are remembered for
``requete explain``.

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
    FactDecl,
    Model,
    Origin,
    Precedent,
    ProcedureDecl,
    file_name_problem,
)
from requete.paths import contained, display_path
from requete.templates import TemplateExtension, load_extension
from requete.yamlfile import Lines, load_yaml, os_message

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


def _holds_layer(directory: Path) -> bool:
    return any((directory / name).is_dir() for name in LAYER_DIRS)


def find_project_root(start: Path) -> Path | None:
    """Nearest directory at or above ``start`` that holds ``arguments/``, ``sets/`` or
    ``matters/`` (a matter's own layer may hold only its matter file)."""
    return next((d for d in [start, *start.parents] if _holds_layer(d)), None)


def outermost_project(start: Path) -> Path:
    """The project of a case: the highest directory at or above ``start`` that holds
    ``arguments/``, ``sets/`` or ``matters/``, or the root of the git repository around it
    (a coalition's repository with ``shared/`` beside ``ngo/``), whichever is higher;
    ``start`` itself when there is neither."""
    found = start.resolve()
    for directory in [found, *found.parents]:
        if (directory / ".git").exists() or _holds_layer(directory):
            found = directory
    return found


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
        bad_name = file_name_problem(str(root))
        if bad_name:
            raise LibraryError(f"library directory ({short(name)}): {bad_name}")
        try:
            found = root.is_dir()
        except OSError as err:
            raise LibraryError(os_message(err, f"library directory ({short(name)})")) from None
        if not found:
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


def resolve_reference(
    base: Path, name: str, what: str, path: Path, line: int | None, allow_outside: bool = False
) -> Path:
    """A file named in a case, kept inside ``base`` unless ``allow_outside``."""
    too_long = file_name_problem(name)
    if too_long:
        raise LibraryError(f"{what} '{short(name)}': {too_long}", path, line)
    target = Path(name)
    candidate = target if target.is_absolute() else base / target
    if not allow_outside and (target.is_absolute() or not contained(candidate, base)):
        raise LibraryError(
            f"{what} '{short(name)}' is outside the case directory; move it inside "
            "or pass --allow-outside",
            path,
            line,
        )
    try:
        found = candidate.is_file()
    except OSError as err:
        raise LibraryError(os_message(err, f"{what} '{short(name)}'"), path, line) from None
    if not found:
        raise LibraryError(f"{what} '{short(name)}' not found (looked in {base})", path, line)
    return candidate


def short(name: str, limit: int = 60) -> str:
    """A name as quoted in a message: at most ``limit`` characters."""
    return name if len(name) <= limit else f"{name[: limit - 1]}…"
