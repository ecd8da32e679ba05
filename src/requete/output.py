"""Writing outputs safely: temporary file then rename; never overwrite without ``force``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from requete.errors import RequeteError


def refuse_existing(path: Path, force: bool) -> None:
    """Fail before any work when ``path`` exists (without ``force``) or its folder does not."""
    if path.exists() and not force:
        raise RequeteError("output already exists; pass --force to overwrite it", path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise RequeteError(f"output folder {directory} does not exist; create it first", path)


def current_umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs should be like any file)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    refuse_existing(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())
        if not force and path.exists():
            raise RequeteError("output appeared while writing; pass --force to overwrite", path)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise RequeteError(f"cannot write the file ({err.strerror})", path) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
