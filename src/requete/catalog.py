"""One kind of library entry (blocks, precedents, sets) across layers, read on demand.

Files are named ``<id>.yaml``, so the entry ``id`` is the file of that name in the highest
layer that has one: a case reads only the blocks it uses and the precedents they cite (the
names of a directory are listed once, as strings), so ``check CASE`` costs nearly the same on
a library of 100 blocks or of 10,000. Anything that needs
every entry (iteration, a misnamed file, did-you-mean on an error) scans the whole kind
once; each file is parsed at most once and its problems are reported once.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from requete import cache
from requete.errors import LibraryError, Problem, RequeteError
from requete.i18n import _
from requete.model import Model, Origin
from requete.paths import contained
from requete.yamlfile import os_message, read_bytes

M = TypeVar("M", bound=Model)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_ID = 120  # the longest id (model.Id): a longer name is never looked up as a file
Loader = Callable[[Path, type[M], str], M]


@dataclass(frozen=True)
class _File:
    layer: str
    root: Path
    path: Path


class Catalog(Mapping[str, M], Generic[M]):
    """Entries of one kind, winners by id (a later layer wins), loaded when first asked for."""

    def __init__(
        self,
        layers: list[tuple[str, Path]],
        sub: str,
        kind: type[M],
        load: Loader[M],
        problems: list[Problem],
        shadowed: dict[tuple[str, str], list[Origin]],
    ):
        self._layers, self._sub, self._kind, self._load = layers, sub, kind, load
        self._problems, self._shadowed = problems, shadowed
        self._index: dict[str, list[_File]] | None = None
        self._listings: dict[Path, frozenset[str]] = {}
        self._parsed: dict[Path, M | None] = {}
        self._winners: dict[str, M] = {}
        self._complete = False

    def names(self) -> set[str]:
        """Every id a file name announces (no file is read)."""
        return set(self._files()) | set(self._winners)

    def get(self, ident: str, default: M | None = None) -> M | None:  # type: ignore[override]
        """The winning entry for ``ident`` (highest layer), or ``default``."""
        if ident not in self._winners and not self._complete:
            for file in reversed(self._named(ident)):
                item = self._parse(file)
                if item is not None and item.id == ident:  # type: ignore[attr-defined]
                    self._win(ident, item, file)
                    break
            else:
                self.load_all()
        return self._winners.get(ident, default)

    def __getitem__(self, ident: str) -> M:
        item = self.get(ident)
        if item is None:
            raise KeyError(ident)
        return item

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self.get(ident) is not None

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter(sorted(self._winners))

    def __len__(self) -> int:
        self.load_all()
        return len(self._winners)

    def load_all(self) -> None:
        """Read every file of every layer (lowest first), with duplicate-id checks."""
        if self._complete:
            return
        self._complete = True
        self._winners.clear()
        self._shadowed_clear()
        by_layer: dict[str, dict[str, Path]] = {}
        files = sorted(
            (f for group in self._files().values() for f in group),
            key=lambda f: (self._rank(f.layer), f.path.name),
        )
        for file in files:
            item = self._parse(file)
            if item is None:
                continue
            ident = item.id  # type: ignore[attr-defined]
            seen = by_layer.setdefault(file.layer, {})
            if ident in seen:
                self._problems.append(
                    Problem(
                        "error",
                        _("duplicate id {id} (also in {path}); ids must be unique").format(
                            id=repr(ident), path=seen[ident]
                        ),
                        file.path,
                        item.origin.line_of("id"),
                    )
                )
                continue
            seen[ident] = file.path
            self._win(ident, item, file)

    def _win(self, ident: str, item: M, file: _File) -> None:
        if ident in self._winners:
            self._shadowed.setdefault((self._sub, ident), []).append(self._winners[ident].origin)
        elif not self._complete:
            for lower in self._named(ident):
                if lower.path != file.path and self._rank(lower.layer) < self._rank(file.layer):
                    self._shadowed.setdefault((self._sub, ident), []).append(
                        Origin(lower.path, 1, lower.layer)
                    )
        self._winners[ident] = item

    def _shadowed_clear(self) -> None:
        for key in [k for k in self._shadowed if k[0] == self._sub]:
            del self._shadowed[key]

    def _rank(self, layer: str) -> int:
        return next(i for i, (name, _) in enumerate(self._layers) if name == layer)

    def _named(self, ident: str) -> list[_File]:
        """Files called ``<ident>.yaml`` (or ``.yml``), lowest layer first, from the names of
        each layer's directory (no file is opened and no path is built for the others)."""
        if self._index is not None:
            return self._index.get(ident, [])
        if len(ident) > MAX_ID or not _ID.fullmatch(ident):
            return []  # not an id: never turned into a path (nor into ENAMETOOLONG)
        found = []
        for name, root in self._layers:
            names = self._listing(root)
            for suffix in (".yaml", ".yml"):
                file_name = f"{ident}{suffix}"
                if file_name in names:
                    found.append(_File(name, root, root / self._sub / file_name))
        return found

    def _listing(self, root: Path) -> frozenset[str]:
        """The names of the regular files of one layer's directory of this kind, listed once
        (a set of strings: a lookup is a set probe, not a ``stat`` per layer and suffix)."""
        names = self._listings.get(root)
        if names is None:
            try:
                with os.scandir(root / self._sub) as entries:
                    names = frozenset(e.name for e in entries if _regular(e))
            except OSError:  # absent, not a directory, unreadable: reported by _files()
                names = frozenset()
            self._listings[root] = names
        return names

    def _files(self) -> dict[str, list[_File]]:
        if self._index is None:
            self._index = {}
            for name, root in self._layers:
                directory = root / self._sub
                if not directory.is_dir():
                    continue
                try:
                    with os.scandir(directory) as entries:
                        found = sorted(
                            e.name
                            for e in entries
                            if e.name.endswith((".yaml", ".yml")) and not e.name.startswith(".")
                        )
                except OSError as err:
                    message = os_message(err, _("cannot list the directory"))
                    self._problems.append(Problem("error", message, directory))
                    continue
                for file_name in found:
                    stem = file_name.rsplit(".", 1)[0]
                    self._index.setdefault(stem, []).append(
                        _File(name, root, directory / file_name)
                    )
        return self._index

    def _parse(self, file: _File) -> M | None:
        if file.path in self._parsed:
            return self._parsed[file.path]
        item: M | None = None
        try:
            if (file.path.is_symlink() or file.path.parent.is_symlink()) and not contained(
                file.path, file.root
            ):
                raise LibraryError(
                    _("symbolic link points outside the library; refused"), file.path
                )
            item = _cached(file, self._kind, self._load)
        except RequeteError as err:
            where = Path(err.path) if err.path is not None else file.path
            self._problems.append(Problem("error", err.message, where, err.line))
        except InvalidFile as invalid:
            self._problems.extend(invalid.problems)
        if item is not None and file.path.stem != item.id:  # type: ignore[attr-defined]
            ident = item.id  # type: ignore[attr-defined]
            self._problems.append(
                Problem(
                    "warning",
                    _("file name does not match id '{id}'; rename it {id}.yaml").format(id=ident),
                    file.path,
                    item.origin.line_of("id"),
                )
            )
        self._parsed[file.path] = item
        return item


_CACHE: dict[tuple[Path, str, type, bytes], Model] = {}


def _cached(file: _File, kind: type[M], load: Loader[M]) -> M:
    """Parse a file once per process while its content is unchanged (batch builds), and once
    across runs (``requete.cache``: the model as validated, keyed by the file's bytes)."""
    # bounded and regular files only (a FIFO or /dev/zero named x.yaml must not hang here)
    digest = hashlib.blake2b(read_bytes(file.path), digest_size=16).digest()
    key = (file.path, file.layer, kind, digest)
    item = _CACHE.get(key)
    if item is None:
        parts = (kind.__qualname__, file.layer, str(file.path), digest)
        item = cache.get("model", *parts)
        if not isinstance(item, kind):
            item = load(file.path, kind, file.layer)
            cache.put("model", item, *parts)
        if len(_CACHE) > 50_000:
            _CACHE.clear()
        _CACHE[key] = item
    return item  # type: ignore[return-value]


def _regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


class InvalidFile(Exception):
    """Schema problems of one file (turned into Problems by the catalog)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems
