"""The public Python API: a few verbs with typed results, for a firm that builds filings from
its own system instead of calling the CLI (docs/api.md).

Every failure is a :class:`requete.errors.RequeteError` with ``path``, ``line`` and a message;
a case with errors raises :class:`requete.errors.ValidationFailed`, whose ``problems`` hold
every one. Messages are in the language chosen by :func:`requete.i18n.activate` (English until
then). Nothing here prints, exits or writes anything but the outputs asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from requete.errors import Problem

if TYPE_CHECKING:
    from requete.bundle import Bundle
    from requete.manifest import Manifest
    from requete.ooxml.package import Source
    from requete.pipeline import Session
    from requete.review.arguments import ArgumentSummary
    from requete.review.diff import DraftDiff


@dataclass(frozen=True)
class CheckResult:
    """Every problem of a case, errors first."""

    problems: tuple[Problem, ...]

    def _count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)

    @property
    def errors(self) -> int:
        """How many errors (a build refuses the case)."""
        return self._count("error")

    @property
    def warnings(self) -> int:
        """How many warnings (``check --strict`` fails on them)."""
        return self._count("warning")

    @property
    def ok(self) -> bool:
        """True when the case has no error."""
        return self.errors == 0


@dataclass(frozen=True)
class BuildResult:
    """A built filing: the .docx bytes, its manifest and the warnings of the build."""

    docx: bytes
    manifest: Manifest
    problems: tuple[Problem, ...]

    def save(self, path: Path, force: bool = False) -> Path:
        """Write the .docx atomically (never over an existing file unless ``force``)."""
        from requete.output import refuse_existing, write_atomic

        refuse_existing(path, force)
        write_atomic(path, self.docx, force)
        return path


@dataclass(frozen=True)
class DiffResult:
    """Two drafts compared: the paragraph diff and, when both carry a manifest, which
    arguments changed."""

    diff: DraftDiff
    arguments: ArgumentSummary | None

    @property
    def counts(self) -> dict[str, int]:
        """Paragraphs added, removed, changed, moved, unchanged."""
        from requete.review.diff import count_changes

        found = count_changes(self.diff.changes)
        return {k: found[k] for k in ("added", "removed", "changed", "moved", "unchanged")}

    def redline(self, author: str = "requete", date: str | None = None) -> bytes:
        """The Word redline (tracked changes), verified on every story: accept-all gives the
        new draft, reject-all the old one, or a RequeteError is raised."""
        from requete.review import make_redline

        return make_redline(self.diff, author=author, date=date)


def load_case(
    case: Path | str, libraries: tuple[Path, ...] = (), allow_outside: bool = False
) -> Session:
    """Read a case file, its matter and library layers, and resolve its blocks. Problems
    found so far are in ``session.problems``; a file that cannot be read raises."""
    from requete.pipeline import open_case

    return open_case(Path(case), tuple(libraries), allow_outside)


def _session(case: Session | Path | str) -> Session:
    return load_case(case) if isinstance(case, Path | str) else case


def check(case: Session | Path | str) -> CheckResult:
    """Every problem of a case (errors, warnings, notes), as ``requete check`` finds them."""
    from requete import pipeline

    problems = pipeline.check(_session(case))
    order = {"error": 0, "warning": 1, "note": 2}
    return CheckResult(tuple(sorted(problems, key=lambda p: order[p.severity])))


def build(case: Session | Path | str, comments: bool = True, draft: bool = False) -> BuildResult:
    """Build the filing in memory: counsel's notes as Word comments unless ``comments`` is
    false, « PROJET » on every page if ``draft``. Raises ValidationFailed on errors."""
    from requete.pipeline import build_docx

    session = _session(case)
    data, document = build_docx(session, comments=comments, draft=draft)
    assert document.manifest is not None
    problems = [p for p in session.problems + document.warnings if p.severity != "note"]
    return BuildResult(data, document.manifest, tuple(problems))


def diff(old: Source, new: Source) -> DiffResult:
    """Compare two .docx drafts (paths or bytes); raises DocxError on an unreadable file."""
    from requete.review.arguments import summarise_arguments
    from requete.review.diff import diff_drafts

    result = diff_drafts(old, new)
    return DiffResult(result, summarise_arguments(result))


def bundle(
    case: Path | str,
    outdir: Path | str,
    allow_missing: bool = False,
    force: bool = False,
    draft: bool = False,
) -> Bundle:
    """Write the Télérecours bundle of a case into ``outdir`` (nothing written unless every
    check passes: ValidationFailed lists what blocks it)."""
    from requete.bundle import make_bundle

    return make_bundle(Path(case), Path(outdir), allow_missing, force, draft=draft)


__all__ = [
    "BuildResult",
    "CheckResult",
    "DiffResult",
    "build",
    "bundle",
    "check",
    "diff",
    "load_case",
]
