"""The public Python API: a few verbs with typed results, for a firm that builds filings from
its own system instead of calling the CLI (docs/api.md).

Every failure is a :class:`requete.errors.RequeteError` with ``path``, ``line`` and a message;
a case with errors raises :class:`requete.errors.ValidationFailed`, whose ``problems`` hold
every one. Messages are in the language chosen by :func:`requete.i18n.activate` (English until
then). Nothing here prints, exits or writes anything but the outputs asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from requete.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from requete.batch import BatchResult
    from requete.bundle import Bundle
    from requete.document import Document as Document
    from requete.library import Layer as Layer
    from requete.library import Library as Library
    from requete.manifest import Manifest as Manifest
    from requete.ooxml.package import Source
    from requete.pipeline import Session as Session
    from requete.review.arguments import ArgumentSummary
    from requete.review.diff import DraftDiff


@dataclass(frozen=True)
class CheckResult:
    """Every problem of a case, errors first; ``layers`` are the library layers read (to
    show paths as ``built-in: …``)."""

    problems: tuple[Problem, ...]
    layers: tuple[Layer, ...] = ()

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
    case: Path | str,
    libraries: Sequence[Path | str] = (),
    allow_outside: bool = False,
    notes: bool = True,
) -> Session:
    """Read a case file, its matter and library layers, and resolve its blocks. Problems
    found so far are in ``session.problems`` (without the notes unless ``notes``); a file
    that cannot be read raises."""
    from requete.pipeline import open_case

    return open_case(Path(case), tuple(Path(d) for d in libraries), allow_outside, notes)


def _session(case: Session | Path | str) -> Session:
    return load_case(case) if isinstance(case, Path | str) else case


def check(case: Session | Path | str) -> CheckResult:
    """Every problem of a case (errors, warnings, notes), as ``requete check`` finds them."""
    from requete import pipeline

    session = _session(case)
    return _sorted(pipeline.check(session), session.layers)


def _sorted(problems: Sequence[Problem], layers: Sequence[Layer]) -> CheckResult:
    order = {"error": 0, "warning": 1, "note": 2}
    return CheckResult(tuple(sorted(problems, key=lambda p: order[p.severity])), tuple(layers))


def build_many(
    cases: Sequence[Path | str],
    outdir: Path | str,
    libraries: Sequence[Path | str] = (),
    jobs: int | None = None,
    force: bool = False,
) -> Iterator[BatchResult]:
    """Build many cases into ``outdir`` (created if needed) in parallel worker processes,
    one per core unless ``jobs``; yield each result (``.case``, ``.output``, ``.error``) as
    it completes. One case's failure is its result's ``error``, never an exception."""
    from requete.batch import build_many as build
    from requete.batch import make_outdir

    make_outdir(Path(outdir))
    paths = [Path(c) for c in cases]
    return build(paths, Path(outdir), tuple(Path(d) for d in libraries), jobs, force)


def library_layer(directory: Path | str) -> Layer:
    """A library directory given by a user: it must exist and hold a library (a folder of one
    of its kinds), else reading it would find nothing and report success."""
    from requete.errors import RequeteError
    from requete.i18n import _
    from requete.library import LIBRARY_KINDS, Layer

    directory = Path(directory)
    if not directory.is_dir():
        raise RequeteError(_("library directory not found; check the path"), directory)
    if not any((directory / kind).is_dir() for kind in LIBRARY_KINDS):
        raise RequeteError(
            _("not a library: it holds none of {folders}; give the folder that holds them").format(
                folders=", ".join(f"{kind}/" for kind in LIBRARY_KINDS)
            ),
            directory,
        )
    return Layer(str(directory), directory, shared=not (directory / "matters").is_dir())


def check_library(directories: Sequence[Path | str]) -> CheckResult:
    """Every problem of library directories read over the built-in library, without a case."""
    from requete import pipeline
    from requete.library import Layer, builtin_root

    layers = [Layer("built-in", builtin_root())] + [library_layer(d) for d in directories]
    return _sorted(pipeline.check_library(layers), layers)


def open_library(libraries: Sequence[Path | str] = ()) -> Library:
    """The built-in library with the given layers over it (and the project's, found from the
    working directory), read on demand: blocks, precedents, sets, facts, procedures."""
    from requete.library import library_layers, load_library

    return load_library(library_layers(None, tuple(Path(d) for d in libraries)))


def procedure_deadline(
    procedure: str,
    start: date,
    origin: str = "publication",
    months: int | None = None,
    libraries: Sequence[Path | str] = (),
) -> list[str]:
    """The time limit of a procedure of the library from ``start``, step by step in French."""
    from requete.procedures import describe_procedure_deadline

    return describe_procedure_deadline(open_library(libraries), procedure, start, origin, months)


def read_manifest(source: Source) -> Manifest | None:
    """The build manifest a .docx carries (None for a document requete did not build); a
    malformed or newer one raises ManifestError."""
    from requete.manifest import load_manifest

    return load_manifest(source)


def citations(text: str) -> list[tuple[str, str | None]]:
    """The (precedent key, pinpoint) of every citation of a block's text, in order, once
    each, as the assembly reads them (``[@cjue-2020-schrems-ii, pt 185]``)."""
    from requete.markup import cites

    return list(dict.fromkeys((c.key, c.locator) for c in cites(text)))


def bundle_checks(
    case: Path | str, allow_missing: bool = False, draft: bool = False
) -> list[Problem]:
    """Every check of the Télérecours bundle (pièces present, readable and well named, cited
    and listed alike, nothing left « [à compléter] » unless ``draft``), without converting or
    writing anything; a case with errors raises ValidationFailed."""
    from requete.bundle import check_bundle

    return check_bundle(Path(case), allow_missing, draft)


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind (``case``, ``matter``, ``argument``…), as
    ``requete schema`` writes it; KeyError for an unknown kind."""
    from requete.schema import schemas

    return schemas()[kind]


def write_schemas(outdir: Path | str) -> list[Path]:
    """Write the JSON Schema of each file kind into ``outdir``; the paths written."""
    from requete.schema import write_schemas as write

    return list(write(Path(outdir)))


def assemble(case: Session | Path | str) -> Document:
    """The filing assembled but not rendered: numbered paragraphs of runs, the table of
    authorities, the inventaire, counsel's comments and the document's own problems
    (``warnings``), as the build would write them. Raises ValidationFailed on errors."""
    from requete.pipeline import assemble_document

    return assemble_document(_session(case))


def build(case: Session | Path | str, comments: bool = True, draft: bool = False) -> BuildResult:
    """Build the filing in memory: counsel's notes as Word comments unless ``comments`` is
    false, « PROJET » on every page if ``draft``. Raises ValidationFailed on errors."""
    from requete.pipeline import build_docx

    session = _session(case)
    data, document = build_docx(session, comments=comments, draft=draft)
    assert document.manifest is not None
    problems = [p for p in session.problems + document.warnings if p.severity != "note"]
    return BuildResult(data, document.manifest, tuple(problems))


def diff(
    old: Source, new: Source, old_label: str | None = None, new_label: str | None = None
) -> DiffResult:
    """Compare two .docx drafts (paths or bytes; the labels name them in the report, the
    file names by default); raises DocxError on an unreadable file."""
    from requete.review.arguments import summarise_arguments
    from requete.review.diff import diff_drafts

    result = diff_drafts(old, new, old_label, new_label)
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
    "assemble",
    "build",
    "build_many",
    "bundle",
    "bundle_checks",
    "check",
    "check_library",
    "citations",
    "diff",
    "file_schema",
    "library_layer",
    "load_case",
    "open_library",
    "procedure_deadline",
    "read_manifest",
    "write_schemas",
]
