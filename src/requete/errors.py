"""Errors and problems: every user-facing failure names a file, a line and what to do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from requete.i18n import N_, _, ngettext

Severity = Literal["error", "warning", "note"]
# How each severity heads a message (translated where it is shown).
_HEADED = {
    "error": N_("error: {message}"),
    "warning": N_("warning: {message}"),
    "note": N_("note: {message}"),
}


@dataclass(frozen=True)
class Problem:
    """One finding of validation: ``path:line: severity: message``."""

    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None
    # What the finding is about, for ``check``'s summary of notes ("typography",
    # "to-complete", "unused"…; "" when it is shown on its own) and how many fixes it counts.
    kind: str = ""
    count: int = 1

    def headed(self) -> str:
        """``severity: message`` in the current language."""
        return _(_HEADED[self.severity]).format(message=self.message)

    def __str__(self) -> str:
        headed = _(_HEADED[self.severity]).format(message=self.message)
        return f"{_where(self.path, self.line)}{headed}"


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
        headed = _(_HEADED["error"]).format(message=self.message)
        return f"{_where(self.path, self.line)}{headed}"


class LibraryError(RequeteError):
    """A YAML file of the library or a case file cannot be read or parsed."""


class ValidationFailed(RequeteError):
    """Validation found errors; ``problems`` holds every one of them."""

    def __init__(self, problems: list[Problem]):
        errors = [p for p in problems if p.severity == "error"]
        count = len(errors)
        super().__init__(
            ngettext("{count} error(s) found", "{count} error(s) found", count).format(count=count)
        )
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


# -- wording helpers shared by every message -------------------------------------------


def short(name: str, limit: int = 60) -> str:
    """A name as quoted in a message: at most ``limit`` characters."""
    return name if len(name) <= limit else f"{name[: limit - 1]}…"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a candidate is close, else an empty string."""
    import difflib  # only when a message needs a suggestion: errors.py loads at start-up

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return " " + _("(did you mean '{name}'?)").format(name=close[0]) if close else ""
