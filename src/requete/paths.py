"""Path containment: shared content may not reach outside its directory."""

from __future__ import annotations

import os
from pathlib import Path


def contained(path: Path, base: Path) -> bool:
    """True when ``path`` (symbolic links followed) lies inside ``base``."""
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def real_path(path: Path) -> Path:
    """``path`` made absolute, symbolic links and ``..`` resolved (as written when it
    cannot be resolved)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))
