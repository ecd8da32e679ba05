"""requete: draft filings for the French Conseil d'État from a validated YAML library.

The public API (docs/api.md) is imported on first use, so that ``import requete`` stays free
for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from requete.api import (
        BuildResult,
        CheckResult,
        DiffResult,
        build,
        bundle,
        check,
        diff,
        load_case,
    )
    from requete.errors import Problem, RequeteError, ValidationFailed

_API = {
    "BuildResult": "requete.api",
    "CheckResult": "requete.api",
    "DiffResult": "requete.api",
    "build": "requete.api",
    "bundle": "requete.api",
    "check": "requete.api",
    "diff": "requete.api",
    "load_case": "requete.api",
    "Problem": "requete.errors",
    "RequeteError": "requete.errors",
    "ValidationFailed": "requete.errors",
}

__all__ = [
    "BuildResult",
    "CheckResult",
    "DiffResult",
    "Problem",
    "RequeteError",
    "ValidationFailed",
    "__version__",
    "build",
    "bundle",
    "check",
    "diff",
    "load_case",
]


def __getattr__(name: str) -> Any:
    """Import a name of the public API on first use (PEP 562)."""
    if name not in _API:
        raise AttributeError(f"module 'requete' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_API[name]), name)
