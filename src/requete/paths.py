"""Path containment: shared content may not reach outside its directory."""

from __future__ import annotations

from pathlib import Path


def contained(path: Path, base: Path) -> bool:
    """True when ``path`` (symbolic links followed) lies inside ``base``."""
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True
