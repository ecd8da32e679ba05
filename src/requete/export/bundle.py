"""The Télérecours bundle: requête (PDF, .docx), one file per pièce, inventory (PDF, CSV)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from requete.document import Document, Run
from requete.errors import ExportError, Problem, Severity, ValidationFailed
from requete.export.inventory import InventoryLine, inventory_csv, inventory_docx
from requete.export.telerecours import (
    Listed,
    cross_check,
    document_name,
    name_problems,
    piece_references,
    telerecours_name,
)
from requete.model import Case
from requete.paths import contained

INVENTORY = "Inventaire des pièces"
Progress = Callable[[int, int, str], None]  # (done, total, what is being done)


@dataclass(frozen=True)
class PlannedPiece:
    """One pièce of the bundle: where its file is, the name it gets, whether it is missing."""

    number: int
    key: str
    label: str
    source: Path | None
    name: str

    @property
    def needs_conversion(self) -> bool:
        """True for a document that is not already a PDF."""
        return self.source is not None and self.source.suffix.lower() != ".pdf"


@dataclass
class Bundle:
    """What `requete bundle` writes (or would write) and what it found on the way."""

    outdir: Path
    requete: str
    pieces: list[PlannedPiece]
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def inventory(self) -> list[InventoryLine]:
        """The inventory lines, missing pièces marked « à produire »."""
        return [InventoryLine(p.number, p.label, p.name if p.source else None) for p in self.pieces]


def make_bundle(
    case_path: Path,
    outdir: Path,
    allow_missing: bool = False,
    force: bool = False,
    libraries: tuple[Path, ...] = (),
    progress: Progress | None = None,
    allow_outside: bool = False,
) -> Bundle:
    """Build the filing and write the Télérecours bundle; nothing is written unless all checks."""
    from requete.pipeline import build_docx, open_case

    _refuse_existing(outdir, force)
    session = open_case(case_path, libraries, allow_outside)
    data, document = build_docx(session)
    assert session.case is not None
    bundle = plan_bundle(session.case, document, outdir, allow_missing, allow_outside)
    if any(p.severity == "error" for p in bundle.problems):
        raise ValidationFailed(bundle.problems)
    _write(bundle, data, session.case, document.title, progress or _silent)
    return bundle


def plan_bundle(
    case: Case, document: Document, outdir: Path, allow_missing: bool, allow_outside: bool = False
) -> Bundle:
    """Name every file and run every cross-check, without writing anything."""
    requete = document_name(_sentence_case(document.title), "pdf").removesuffix(".pdf")
    bundle = Bundle(outdir, requete, [])
    indexes = {piece.key: index for index, piece in enumerate(case.pieces)}
    for item in document.pieces:
        index = indexes.get(item.key)
        where = _where(case, index)
        source = _source(case, index)
        if source is not None and not allow_outside and not contained(source, where[0].parent):
            bundle.problems.append(Problem("error", _outside(item.number, source), *where))
            source = None
        elif source is None or not source.is_file():
            severity: Severity = "warning" if allow_missing else "error"
            shown = case.pieces[index].file if index is not None else None
            bundle.problems.append(Problem(severity, _missing(item.number, shown), *where))
            source = None
        elif source.stat().st_size == 0 or not _plausible(source):
            bundle.problems.append(Problem("error", _damaged(item.number, source), *where))
        ext = source.suffix if source and source.suffix.lower() == ".pdf" else ".pdf"
        name = telerecours_name(item.number, item.label, ext)
        bundle.problems += [Problem("error", text, *where) for text in name_problems(name)]
        bundle.pieces.append(PlannedPiece(item.number, item.key, item.label, source, name))
    listed = [Listed(p.number, p.key, p.key == case.acte.piece) for p in bundle.pieces]
    cited = [number for _offset, number in piece_references(document_text(document))]
    origin = case.origin
    pieces_at = (origin.path_of("pieces"), origin.line_of("pieces"))
    bundle.problems += [Problem("error", text, *pieces_at) for text in cross_check(listed, cited)]
    return bundle


def document_text(document: Document) -> str:
    """All the text of the filing where a « pièce n° X » may appear."""
    runs: list[tuple[Run, ...]] = [*document.parties, document.contre]
    runs += [p.runs for p in document.body + document.conclusions]
    return "\n".join("".join(r.text for r in group) for group in runs)


def _write(bundle: Bundle, docx_data: bytes, case: Case, title: str, progress: Progress) -> None:
    """Write everything into a scratch folder beside ``outdir``, then rename it into place."""
    from requete.export.pdf import convert_to_pdf
    from requete.output import current_umask

    present = [p for p in bundle.pieces if p.source is not None]
    total, done = len(present) + 3, 0
    bundle.outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{bundle.outdir.name}-", dir=bundle.outdir.parent))
    staging.chmod(0o777 & ~current_umask())  # mkdtemp made it private
    try:
        scratch = staging / ".scratch"
        scratch.mkdir()
        requete_docx = staging / f"{bundle.requete}.docx"
        requete_docx.write_bytes(docx_data)
        inventory_stem = document_name(INVENTORY, "pdf").removesuffix(".pdf")
        inventory = scratch / f"{inventory_stem}.docx"
        inventory.write_bytes(inventory_docx(title, case.date, bundle.inventory))
        (staging / f"{inventory_stem}.csv").write_text(
            inventory_csv(bundle.inventory), encoding="utf-8-sig"
        )
        to_convert = [requete_docx, inventory]
        for piece in present:
            assert piece.source is not None
            progress(done := done + 1, total, f"pièce n° {piece.number}")
            if piece.needs_conversion:
                copy = scratch / (Path(piece.name).stem + piece.source.suffix.lower())
                shutil.copyfile(piece.source, copy)
                to_convert.append(copy)
            else:
                shutil.copyfile(piece.source, staging / piece.name)
        progress(done := done + 1, total, f"PDF of {len(to_convert)} document(s) (LibreOffice)")
        convert_to_pdf(to_convert, staging)
        shutil.rmtree(scratch)
        progress(done := done + 1, total, "checking the file names")
        _check_names(staging)
        progress(done + 1, total, f"writing {bundle.outdir}")
        _replace_dir(staging, bundle.outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    bundle.written = sorted(bundle.outdir.iterdir())


def _check_names(folder: Path) -> None:
    """Make sure every file written obeys the naming rules (a bug otherwise)."""
    for path in folder.iterdir():
        problems = name_problems(path.name)
        if problems:
            raise ExportError("; ".join(problems), path)


def _replace_dir(staging: Path, outdir: Path) -> None:
    """Rename ``staging`` to ``outdir``, moving an existing ``outdir`` out of the way first."""
    if not outdir.exists():
        os.replace(staging, outdir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-old-", dir=outdir.parent))
    os.replace(outdir, old / outdir.name)
    os.replace(staging, outdir)
    shutil.rmtree(old)


def _refuse_existing(outdir: Path, force: bool) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise ExportError("exists and is not a folder: choose another -o", outdir)
    if outdir.is_dir() and any(outdir.iterdir()) and not force:
        raise ExportError("folder is not empty: use --force to replace its content", outdir)


def _source(case: Case, index: int | None) -> Path | None:
    if index is None or case.pieces[index].file is None:
        return None
    base = case.origin.path_of("pieces", index, "file").parent
    return base / str(case.pieces[index].file)


def _where(case: Case, index: int | None) -> tuple[Path, int]:
    loc: tuple[str | int, ...] = ("pieces", index, "file") if index is not None else ("pieces",)
    return case.origin.path_of(*loc), case.origin.line_of(*loc)


def _plausible(source: Path) -> bool:
    """A file named .pdf must start like a PDF."""
    if source.suffix.lower() != ".pdf":
        return True
    with source.open("rb") as handle:
        return handle.read(1024).lstrip().startswith(b"%PDF")


def _missing(number: int, file: str | None) -> str:
    if file is None:
        return (
            f"pièce n° {number} has no `file:`; add it, or pass --allow-missing to list it "
            "as « à produire »"
        )
    return (
        f"pièce n° {number}: file '{file}' not found; add it, correct the path, or pass "
        "--allow-missing to list it as « à produire »"
    )


def _outside(number: int, source: Path) -> str:
    return (
        f"pièce n° {number}: '{source}' is outside the case directory; move it inside "
        "or pass --allow-outside"
    )


def _damaged(number: int, source: Path) -> str:
    return f"pièce n° {number}: '{source}' is empty or not a PDF; replace it with the real document"


def _sentence_case(title: str) -> str:
    return title.capitalize() if title.isupper() else title


def _silent(_done: int, _total: int, _what: str) -> None:
    """Progress callback that shows nothing."""
