"""The directory the studio works in: the filings it holds, files read with the version they
had, and every write kept inside it, atomic, refused when the file changed on disk since it
was read, and undone when it would give the filing a new error."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from requete.errors import Problem, RequeteError
from requete.i18n import _, ngettext
from requete.yamlfile import MAX_YAML_BYTES

SKIPPED = {"__pycache__", "node_modules", "venv", "site-packages", "dist", "build"}
MAX_DEPTH = 4  # DIR/matter/filing.yaml, DIR/coalition/matters/…: deep enough, never the disk


class NotInWorkspace(RequeteError):
    """A path outside the studio's directory, or one that does not exist."""


class Conflict(RequeteError):
    """The file changed on disk since the page that edits it was shown."""


class Refused(RequeteError):
    """A change that would give the filing new errors: it was undone."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Filing:
    """One case file of the directory."""

    path: str  # relative to the directory, with /
    procedure: str
    title: str | None


@dataclass
class Folder:
    """A folder of the directory and the filings it holds (a matter)."""

    path: str
    filings: list[Filing] = field(default_factory=list)


def version_of(data: bytes) -> str:
    """The version token of a file's content, sent with every form that edits it."""
    return hashlib.sha256(data).hexdigest()[:32]


def _key(problem: Problem) -> tuple[str, str]:
    return problem.message, str(problem.path)


class Workspace:
    """The studio's directory: nothing is read or written outside it."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def path(self, relative: str, must_exist: bool = True) -> Path:
        """The file ``relative`` names inside the directory; refused when it leaves it
        (``..``, an absolute path, a symbolic link pointing out) or, if ``must_exist``, when
        it is not a file."""
        if not relative or "\0" in relative or relative.startswith(("/", "\\")):
            raise NotInWorkspace(
                _("no such file in the studio's folder: {path}").format(path=relative)
            )
        target = (self.root / relative).resolve()
        if target != self.root and self.root not in target.parents:
            raise NotInWorkspace(
                _("{path} is outside the studio's folder; nothing is read there").format(
                    path=relative
                )
            )
        if must_exist and not target.is_file():
            raise NotInWorkspace(
                _("no such file in the studio's folder: {path}").format(path=relative)
            )
        return target

    def relative(self, path: Path) -> str:
        """``path`` as the studio shows it: relative to the directory, with /."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> bool:
        """True when ``path`` is in the directory."""
        resolved = path.resolve()
        return resolved == self.root or self.root in resolved.parents

    def _files(self, suffixes: tuple[str, ...]) -> Iterator[Path]:
        """The files of the folder with these suffixes, hidden ones, tool folders and what is
        deeper than MAX_DEPTH left out."""
        for top, dirs, files in os.walk(self.root):
            depth = len(Path(top).relative_to(self.root).parts)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and d not in SKIPPED and depth < MAX_DEPTH
            )
            for name in sorted(files):
                if name.endswith(suffixes) and not name.startswith((".", "~$")):
                    yield Path(top) / name

    def folders(self) -> list[Folder]:
        """Every folder holding a filing (a YAML file with ``procedure:`` and ``date:``), and
        its filings, in order."""
        from requete.yamlfile import load_yaml

        found: dict[str, Folder] = {}
        for path in self._files((".yaml", ".yml")):
            try:
                if path.stat().st_size > MAX_YAML_BYTES:
                    continue
                data, _lines = load_yaml(path)
            except (RequeteError, OSError):
                continue  # not a filing the studio can open; `requete check` names the problem
            if not isinstance(data, dict) or "procedure" not in data or "date" not in data:
                continue
            folder = self.relative(path.parent)
            folder = "." if folder == "" else folder
            title = data.get("title")
            found.setdefault(folder, Folder(folder)).filings.append(
                Filing(
                    self.relative(path),
                    str(data["procedure"]),
                    str(title) if isinstance(title, str) else None,
                )
            )
        return sorted(found.values(), key=lambda f: f.path)

    def docx_files(self) -> list[str]:
        """The .docx of the directory (drafts to compare), relative paths."""
        return [self.relative(path) for path in self._files((".docx",))]

    def read(self, path: Path) -> tuple[str, str]:
        """The text of a YAML file and its version token."""
        from requete.yamlfile import read_bytes

        data = read_bytes(path)
        try:
            return data.decode("utf-8"), version_of(data)
        except UnicodeDecodeError:
            raise RequeteError(_("the file is not UTF-8 text"), path) from None

    def filing(self, relative: str) -> Path:
        """The case file ``relative`` names: inside the folder, and a filing (a mapping with
        ``procedure:`` and ``date:``), never a matter, a set or a block."""
        from requete.yamlfile import load_yaml

        path = self.path(relative)
        data, _lines = load_yaml(path)
        if not isinstance(data, dict) or "procedure" not in data or "date" not in data:
            raise NotInWorkspace(
                _(
                    "{path} is not a filing (a case file has `procedure:` and `date:`); open "
                    "a filing from the list of matters"
                ).format(path=relative)
            )
        return path

    @staticmethod
    def _write(path: Path, data: bytes, mode: int) -> None:
        from requete.output import write_atomic

        write_atomic(path, data, force=True)
        os.chmod(path, mode)  # the file keeps its permissions (a 0600 matter stays private)

    def replace(
        self, path: Path, text: str, version: str, errors: Callable[[], list[Problem]]
    ) -> None:
        """Write ``text`` over ``path`` atomically if the file is still at ``version``, then
        check: when ``errors()`` finds an error that was not there before, put the file back
        as it was and raise Refused. Raise Conflict (nothing written) when the file changed."""
        from requete.yamlfile import read_bytes

        path = path.resolve()  # a symbolic link inside the folder: write its target, keep the link
        if not self.inside(path):
            raise NotInWorkspace(_("{path} is outside the studio's folder").format(path=path))
        old = read_bytes(path)
        mode = path.stat().st_mode & 0o7777
        if version_of(old) != version:
            raise Conflict(
                _(
                    "{file} changed on disk after this page was shown (another program or "
                    "another tab wrote it); nothing was written: reload the page to start "
                    "from the file as it is now"
                ).format(file=self.relative(path))
            )
        before = Counter(_key(p) for p in errors())  # lines move with the edit: not compared
        self._write(path, text.encode("utf-8"), mode)
        new = []
        for problem in errors():
            if before[_key(problem)] > 0:
                before[_key(problem)] -= 1
            else:
                new.append(problem)
        if new:
            self._write(path, old, mode)
            raise Refused(
                ngettext(
                    "this change would give the filing {count} new error; it was undone and "
                    "the file is as it was",
                    "this change would give the filing {count} new errors; it was undone and "
                    "the file is as it was",
                    len(new),
                ).format(count=len(new)),
                new,
            )
