"""Errors and problems: every user-facing failure names a file, a line and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One finding of validation: ``path:line: severity: message``."""

    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{_where(self.path, self.line)}{self.severity}: {self.message}"


def _where(path: Path | str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}: " if line else f"{path}: "


class RequeteError(Exception):
    """Root of every error the CLI reports as one clear message and exit code 1."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return f"{_where(self.path, self.line)}error: {self.message}"


class LibraryError(RequeteError):
    """A YAML file of the library or a case file cannot be read or parsed."""


class ValidationFailed(RequeteError):
    """Validation found errors; ``problems`` holds every one of them."""

    def __init__(self, problems: list[Problem]):
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) found")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class AssemblyError(RequeteError):
    """A block body cannot be rendered (Jinja error, unknown citation or pièce)."""


class RenderError(RequeteError):
    """The Word template cannot be rendered or the output cannot be written."""


class DocxError(RequeteError):
    """A .docx given as input is unreadable, not a Word document, or hostile."""


class ExportError(RequeteError):
    """PDF conversion or bundle creation failed (LibreOffice missing, pièce missing…)."""
