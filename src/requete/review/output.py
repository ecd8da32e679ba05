"""Writing review outputs: refuse to overwrite without force, replace atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from requete.errors import RequeteError


def check_writable(path: Path, force: bool) -> None:
    """Raise before any work if path exists (without force) or its folder does not."""
    if path.exists() and not force:
        raise RequeteError("output exists; pass --force to overwrite it", path=path)
    if not path.parent.is_dir():
        raise RequeteError(f"folder {path.parent} does not exist; create it first", path=path)


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write data through a temporary file in the same folder, then rename over path."""
    check_writable(path, force)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise RequeteError(f"cannot write the file ({err.strerror})", path=path) from err
