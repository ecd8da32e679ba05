"""The only reader of case and matter files: a case merged with its matter (a file beside it,
or an id found in the ``matters/`` of the library layers), read as a typed Case."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from requete.catalog import MAX_ID, InvalidFile
from requete.errors import LibraryError, Problem, did_you_mean
from requete.i18n import _
from requete.library import Layer, load_model, resolve_reference
from requete.model import Case, file_name_problem
from requete.yamlfile import Lines, load_yaml, os_message


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
    matter_path: Path | None = None  # the matter file read, when the case names one


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
                _("field 'library': expected a list of directories"),
                self.path,
                self.lines.line(("library",)),
            )
        for index, entry in enumerate(value):
            bad_name = file_name_problem(entry)
            if bad_name:
                raise LibraryError(
                    _("field 'library': {problem}").format(problem=bad_name),
                    self.path,
                    self.lines.line(("library", index)),
                )
        return value


def read_case(path: Path) -> CaseFile:
    """Read a case file's YAML (the matter is merged by :func:`load_case`)."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise LibraryError(_("a case file must be a mapping of fields"), path, 1)
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
    matter_path: Path | None = None
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
        return LoadedCase(path, None, invalid.problems, matter_path=matter_path)
    mine = {p.label for p in case.requerants}
    replaced = matter is not None and "requerants" in case_file.data
    parties = [(n, p) for n, p in others if n not in mine]
    return LoadedCase(path, case, [], parties, replaced, matter_path)


def _matter_path(case_file: CaseFile, matter: Any, layers: list[Layer], outside: bool) -> Path:
    path, line = case_file.path, case_file.lines.line(("matter",))
    if not isinstance(matter, str) or not matter.strip():
        raise LibraryError(_("field 'matter': expected a matter id or a file name"), path, line)
    if matter.endswith((".yaml", ".yml")) or "/" in matter:
        return resolve_reference(path.parent, matter, _("matter file"), path, line, outside)
    if len(matter) > MAX_ID:
        raise LibraryError(
            _(
                "field 'matter': name too long ({count} characters, at most {limit}); "
                "give the id of a matter (its file name without .yaml)"
            ).format(count=f"{len(matter):,}", limit=MAX_ID),
            path,
            line,
        )
    bad_name = file_name_problem(matter)
    if bad_name:
        raise LibraryError(_("field 'matter': {problem}").format(problem=bad_name), path, line)
    for layer in reversed(layers):
        for suffix in (".yaml", ".yml"):
            candidate = layer.root / "matters" / f"{matter}{suffix}"
            try:
                if candidate.is_file():
                    return candidate
            except OSError as err:
                doing = _("matter '{name}'").format(name=matter)
                raise LibraryError(os_message(err, doing), path, line) from None
    known = sorted({p.stem for layer in layers for p in (layer.root / "matters").glob("*.y*ml")})
    hint = did_you_mean(matter, known)
    where = ", ".join(known) or _("none")
    raise LibraryError(
        _(
            "matter '{name}' not found in the matters/ of any library layer{hint} "
            "(known: {known}); add `library:` pointing at the layer that holds it"
        ).format(name=matter, hint=hint, known=where),
        path,
        line,
    )


def _read_matter(matter_path: Path) -> tuple[dict[str, Any], Lines]:
    matter_data, matter_lines = load_yaml(matter_path)
    if not isinstance(matter_data, dict):
        raise LibraryError(_("a matter file must be a mapping of fields"), matter_path, 1)
    if "matter" in matter_data:
        raise LibraryError(
            _("a matter file cannot itself name a matter"),
            matter_path,
            matter_lines.line(("matter",)),
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
    for n, (_value, lines, old) in enumerate(items):
        for sub, hit in lines.sub((key, old)).where.items():
            where[(key, n, *sub)] = hit
    return [value for value, _, _ in items]
