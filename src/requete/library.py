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

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from requete.catalog import Catalog, InvalidFile
from requete.errors import LibraryError, Problem, did_you_mean, short
from requete.i18n import N_, _, ngettext
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
# The folders a library layer may hold (``check --library`` refuses a folder with none).
LIBRARY_KINDS = ("arguments", "precedents", "sets", "facts", "procedures", "templates", "matters")


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
            raise LibraryError(
                _("library directory ({name}): {problem}").format(
                    name=short(name), problem=bad_name
                )
            )
        try:
            found = root.is_dir()
        except OSError as err:
            doing = _("library directory ({name})").format(name=short(name))
            raise LibraryError(os_message(err, doing)) from None
        if not found:
            raise LibraryError(
                _("library directory not found ({name}); check the path").format(name=name), root
            )
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
                    Problem("error", _("symbolic link points outside the library; refused"), path)
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
            _("expected a mapping of fields ({kind}), found {found}").format(
                kind=kind.__name__.lower(), found=type(data).__name__
            ),
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
        return _("unknown field '{name}'{hint} (allowed: {allowed})").format(
            name=name, hint=hint, allowed=", ".join(allowed)
        )
    if kind_of_error == "missing":
        return _("missing required field '{name}'").format(name=name)
    if kind_of_error == "literal_error":
        # pydantic's list of the values ("'a', 'b' or 'c'"), its « or » in English
        expected = item.get("ctx", {}).get("expected", "")
        return _("field '{name}': {value} is not allowed; expected one of {expected}").format(
            name=name, value=repr(item["input"]), expected=expected
        )
    if kind_of_error == "value_error":
        # raised by our own validators (requete.model), whose messages are translated there
        error = item.get("ctx", {}).get("error")
        message = str(error) if error is not None else item["msg"].removeprefix("Value error, ")
        return _("{name}: {message}").format(name=name, message=message)
    if kind_of_error == "string_pattern_mismatch":
        return _(
            "field '{name}': {value} is not a valid id (lower-case letters, digits, '-')"
        ).format(name=name, value=repr(item["input"]))
    return _("field '{name}': {message}").format(name=name, message=pydantic_message(item))


# pydantic's own messages for the errors a YAML file can give, in its English words (what the
# messages said before they were translated), so that they go through the catalog; the
# {placeholders} are filled from the error's ``ctx``. Counted ones are in _counted below.
_PYDANTIC = {
    "string_type": N_("Input should be a valid string"),
    "string_unicode": N_(
        "Input should be a valid string, unable to parse raw data as a unicode string"
    ),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "finite_number": N_("Input should be a finite number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "list_type": N_("Input should be a valid list"),
    "tuple_type": N_("Input should be a valid tuple"),
    "set_type": N_("Input should be a valid set"),
    "dict_type": N_("Input should be a valid dictionary"),
    "mapping_type": N_("Input should be a valid mapping, error: {error}"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "none_required": N_("Input should be None"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "url_type": N_("URL input should be a string or URL"),
    "url_parsing": N_("Input should be a valid URL, {error}"),
    "union_tag_invalid": N_(
        "Input tag '{tag}' found using {discriminator} does not match any of the expected "
        "tags: {expected_tags}"
    ),
    "union_tag_not_found": N_("Unable to extract tag using discriminator {discriminator}"),
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
}


def pydantic_message(item: Any) -> str:
    """The message of one pydantic error in the current language. pydantic's own parts of it
    (the ``{error}`` of a date it cannot parse, the « or » of a list of values) stay in its
    English; an error type not mapped here keeps pydantic's message unchanged (English)."""
    ctx = {key: str(value) for key, value in (item.get("ctx") or {}).items()}
    counted = _counted(item["type"], item.get("ctx") or {})
    if counted is not None:
        return counted
    template = _PYDANTIC.get(item["type"])
    if template is None:
        return str(item["msg"])  # unmapped: pydantic's own (English) message, unchanged
    try:
        return _(template).format(**ctx)
    except (KeyError, IndexError, ValueError):  # a context this pydantic does not give
        return str(item["msg"])


def _counted(kind: str, ctx: dict[str, Any]) -> str | None:
    """pydantic's length messages, whose words agree with the number."""
    field_type = ctx.get("field_type")
    if kind == "string_too_short" and isinstance(ctx.get("min_length"), int):
        n = ctx["min_length"]
        return ngettext(
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
            n,
        ).format(min_length=n)
    if kind == "string_too_long" and isinstance(ctx.get("max_length"), int):
        n = ctx["max_length"]
        return ngettext(
            "String should have at most {max_length} character",
            "String should have at most {max_length} characters",
            n,
        ).format(max_length=n)
    actual = ctx.get("actual_length")
    if kind == "too_short" and isinstance(ctx.get("min_length"), int) and actual is not None:
        n = ctx["min_length"]
        if field_type == "List":
            message = ngettext(
                "List should have at least {min_length} item after validation, not {actual}",
                "List should have at least {min_length} items after validation, not {actual}",
                n,
            )
        elif field_type == "Dictionary":
            message = ngettext(
                "Dictionary should have at least {min_length} item after validation, not {actual}",
                "Dictionary should have at least {min_length} items after validation, not {actual}",
                n,
            )
        else:
            return None
        return message.format(min_length=n, actual=actual)
    if kind == "too_long" and isinstance(ctx.get("max_length"), int) and actual is not None:
        n = ctx["max_length"]
        if field_type == "List":
            message = ngettext(
                "List should have at most {max_length} item after validation, not {actual}",
                "List should have at most {max_length} items after validation, not {actual}",
                n,
            )
        elif field_type == "Dictionary":
            message = ngettext(
                "Dictionary should have at most {max_length} item after validation, not {actual}",
                "Dictionary should have at most {max_length} items after validation, not {actual}",
                n,
            )
        else:
            return None
        return message.format(max_length=n, actual=actual)
    return None


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


def resolve_reference(
    base: Path, name: str, what: str, path: Path, line: int | None, allow_outside: bool = False
) -> Path:
    """A file named in a case, kept inside ``base`` unless ``allow_outside``; ``what`` (« matter
    file ») is already translated."""
    too_long = file_name_problem(name)
    if too_long:
        raise LibraryError(
            _("{what} '{name}': {problem}").format(what=what, name=short(name), problem=too_long),
            path,
            line,
        )
    target = Path(name)
    candidate = target if target.is_absolute() else base / target
    if not allow_outside and (target.is_absolute() or not contained(candidate, base)):
        raise LibraryError(
            _(
                "{what} '{name}' is outside the case directory; move it inside "
                "or pass --allow-outside"
            ).format(what=what, name=short(name)),
            path,
            line,
        )
    try:
        found = candidate.is_file()
    except OSError as err:
        doing = _("{what} '{name}'").format(what=what, name=short(name))
        raise LibraryError(os_message(err, doing), path, line) from None
    if not found:
        raise LibraryError(
            _("{what} '{name}' not found (looked in {base})").format(
                what=what, name=short(name), base=base
            ),
            path,
            line,
        )
    return candidate
