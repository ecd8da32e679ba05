"""Writing outputs safely: temporary file in the target's folder then rename; never overwrite
without ``force``; never overwrite an input (case, matter, template, pièce); every I/O error is
one message; SIGTERM runs the same clean-up as Ctrl-C."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from requete.errors import RequeteError
from requete.i18n import N_, _
from requete.paths import real_path

_ADVICE = {
    errno.EACCES: N_("permission denied: check the folder's permissions or choose another place"),
    errno.EPERM: N_(
        "operation not permitted: check the folder's permissions or choose another place"
    ),
    errno.EROFS: N_("read-only file system: choose another place"),
    errno.ENOSPC: N_("no space left on the disk: free some space, then retry"),
    errno.EDQUOT: N_("disk quota exceeded: free some space, then retry"),
    errno.ENAMETOOLONG: N_("file name too long: choose a shorter name"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EISDIR: N_("is a folder, not a file"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.ELOOP: N_("too many symbolic links in the path"),
    errno.EEXIST: N_("a file of that name is in the way"),
}
# What io_error() was asked to do: callers pass a phrase marked with N_ ("write the file"),
# which io_error translates; the French gives it as a noun phrase (« écriture du fichier »),
# the message as « {action} impossible (…) », so that no elision or agreement is needed.
WRITE_FILE = N_("write the file")


def describe_os_error(err: OSError) -> str:
    """What went wrong, in words, with what to do (``err.strerror`` when not a known case)."""
    advice = _ADVICE.get(err.errno or 0)
    return _(advice) if advice is not None else err.strerror or str(err)


def io_error(action: str, path: Path | str, err: OSError) -> RequeteError:
    """The one-line error for a failed read or write: ``path: error: cannot …: why``.
    ``action`` is an English phrase marked with ``N_`` ("write the file"), translated here."""
    return RequeteError(
        _("cannot {action} ({reason}); nothing was written").format(
            action=_(action), reason=describe_os_error(err)
        ),
        path,
    )


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as err:  # a name too long, a file where a folder should be…
        raise io_error(WRITE_FILE, path, err) from err
    return True


def refuse_existing(path: Path, force: bool, protected: Iterable[Path] = ()) -> None:
    """Fail before any work when ``path`` exists (without ``force``), is a folder, is one of
    the ``protected`` inputs, or its folder does not exist."""
    refuse_protected(path, protected)
    if _exists(path):
        if path.is_dir():
            raise RequeteError(_("is a folder: give the name of the file to write"), path)
        if not force:
            raise RequeteError(_("output already exists; pass --force to overwrite it"), path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise RequeteError(
            _("output folder {folder} does not exist; create it first").format(folder=directory),
            path,
        )


def refuse_protected(path: Path, protected: Iterable[Path]) -> None:
    """Refuse to write over one of the inputs (even with ``--force``)."""
    target = real_path(path)
    for item in protected:
        if real_path(item) == target:
            raise RequeteError(
                _(
                    "is one of the inputs (case, matter, template, pièce or document compared): "
                    "requete never writes over it, even with --force; choose another output"
                ),
                path,
            )


def protected_paths(session: Any) -> set[Path]:
    """The files a build reads and must never write over: the case file, every file it was
    read from (its matter), the pièce files, the Word templates and the blocks' files."""
    found: set[Path] = {session.case_path}
    case = session.case
    if case is not None:
        found.update(where for where, _line in case.origin.lines.where.values() if where)
        for index, piece in enumerate(case.pieces):
            if piece.file is not None:
                base = case.origin.path_of("pieces", index, "file").parent
                found.add(base / str(piece.file))
    library = session.library
    found.update(Path(p) for p in library.templates.values())
    for ext in library.template_extensions.values():
        found.update((Path(ext.path), Path(ext.styles)))
    for block in session.blocks:
        found.update(Path(p) for p in (block.path, block.body_path, block.application_path) if p)
    return found


def current_umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should be like any file)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Outputs:
    """Several outputs written all-or-nothing: each is staged as a ``.part`` file beside its
    target, then all are renamed into place; a failure (or an interruption) removes every
    ``.part`` file and puts back what a rename had already replaced."""

    def __init__(self, force: bool = False):
        self.force = force
        self.parts: list[tuple[Path, Path]] = []  # (staged file, target)

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()

    def _stage(self, target: Path) -> Path:
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{target.name[:100]}.", suffix=".part", dir=target.parent or "."
            )
        except OSError as err:
            raise io_error(WRITE_FILE, target, err) from err
        os.close(fd)
        self.parts.append((Path(name), target))
        return Path(name)

    def add_bytes(self, target: Path, data: bytes) -> None:
        """Stage ``data`` to be written at ``target``."""
        part = self._stage(target)
        try:
            part.write_bytes(data)
            os.chmod(part, 0o666 & ~current_umask())
        except OSError as err:
            raise io_error(WRITE_FILE, target, err) from err

    def add_copy(self, target: Path, source: Path) -> None:
        """Stage a copy of ``source`` to be written at ``target``."""
        part = self._stage(target)
        try:
            shutil.copyfile(source, part)
            os.chmod(part, 0o666 & ~current_umask())
        except OSError as err:
            raise io_error(WRITE_FILE, target, err) from err

    def commit(self) -> list[Path]:
        """Rename every staged file into place; on failure, undo the renames already done."""
        done: list[tuple[Path, bool, Path | None]] = []  # (target, existed, backup)
        try:
            for part, target in self.parts:
                existed = _exists(target)
                if existed and not self.force:
                    raise RequeteError(
                        _("output appeared while writing; pass --force to overwrite"), target
                    )
                backup = _backup(target) if existed else None
                try:
                    os.replace(part, target)
                except BaseException as err:
                    _drop(backup)
                    if isinstance(err, OSError):
                        raise io_error(WRITE_FILE, target, err) from err
                    raise
                done.append((target, existed, backup))
        except BaseException:
            for target, existed, backup in reversed(done):
                _restore(target, existed, backup)
            raise
        for _target, _existed, backup in done:
            _drop(backup)
        written = [target for _part, target in self.parts]
        self.parts = []
        return written

    def discard(self) -> None:
        """Remove the staged files not yet renamed."""
        for part, _target in self.parts:
            part.unlink(missing_ok=True)
        self.parts = []


def _backup(target: Path) -> Path | None:
    """A hard link to the file a rename is about to replace, so that it can be put back."""
    if target.is_symlink() or not target.is_file():
        return None
    name = target.parent / f".{target.name[:100]}.{os.getpid()}-{secrets.token_hex(4)}.old"
    try:
        os.link(target, name)
    except OSError:
        return None
    return name


def _restore(target: Path, existed: bool, backup: Path | None) -> None:
    """Put back what ``target`` was; a file that could not be backed up stays as written."""
    try:
        if backup is not None:
            os.replace(backup, target)
        elif not existed:
            target.unlink(missing_ok=True)
    except OSError:
        pass


def _drop(backup: Path | None) -> None:
    if backup is not None:
        backup.unlink(missing_ok=True)


def write_atomic(
    path: Path, data: bytes, force: bool = False, protected: Iterable[Path] = ()
) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    refuse_existing(path, force, protected)
    with Outputs(force) as outputs:
        outputs.add_bytes(path, data)
        outputs.commit()


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP received: raised like Ctrl-C's KeyboardInterrupt, so that the same
    clean-up runs (temporary files removed, LibreOffice stopped)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`Terminated` and SIGINT raises
    KeyboardInterrupt; any further signal is ignored until the clean-up is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        if received:
            return  # already cleaning up
        received.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)

    wanted = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)]
    previous = {s: signal.signal(s, handler) for s in wanted if s is not None}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
