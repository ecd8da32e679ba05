"""Build the two sides of a source comparison: two case files, or one case at two git revisions."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

from requete.errors import RequeteError
from requete.i18n import _


def build_case(case: Path, libraries: tuple[Path, ...] = ()) -> bytes:
    """The .docx bytes of one case (nothing written)."""
    from requete.pipeline import build_docx, open_case

    data, _ = build_docx(open_case(case, libraries))
    return data


def split_range(spec: str) -> tuple[str, str]:
    """``A..B`` -> (A, B); ``A`` alone compares A with the working tree (``B`` empty)."""
    old, sep, new = spec.partition("..")
    if not old or (sep and not new):
        raise RequeteError(
            _("--rev expects A..B (two git revisions), got '{spec}'").format(spec=spec)
        )
    return old, new


def build_at_revision(case: Path, revision: str, libraries: tuple[Path, ...] = ()) -> bytes:
    """Build ``case`` as it was, with its library, at a git revision of its repository."""
    root = _git_root(case.parent)
    relative = case.resolve().relative_to(root)
    with tempfile.TemporaryDirectory(prefix="requete-rev-") as tmp:
        _export(root, revision, Path(tmp))
        old_case = Path(tmp) / relative
        if not old_case.is_file():
            raise RequeteError(
                _("{path} does not exist at revision {revision}").format(
                    path=relative, revision=revision
                ),
                case,
            )
        return build_case(old_case, libraries)


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise RequeteError(_("git is not installed; install it to compare revisions")) from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise RequeteError(
            _("git {command} failed: {message}").format(
                command=" ".join(args[:2]), message=message[-1] if message else ""
            )
        )
    return done.stdout


def _git_root(directory: Path) -> Path:
    try:
        top = _git(["rev-parse", "--show-toplevel"], directory)
    except RequeteError:
        raise RequeteError(
            _("--rev needs the case file to be in a git repository"), directory
        ) from None
    return Path(top.decode().strip()).resolve()


def _export(root: Path, revision: str, target: Path) -> None:
    archive = target / ".rev.tar"
    archive.write_bytes(_git(["archive", "--format=tar", revision], root))
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
