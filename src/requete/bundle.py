"""The Télérecours bundle: a folder to upload (the requête, one file per pièce and the
inventory, all PDF), and beside it the requête in Word and the inventory as CSV."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from requete.document import Document, Run
from requete.errors import ExportError, Problem, Severity, ValidationFailed
from requete.export.inventory import Heading, InventoryLine, inventory_csv, inventory_docx
from requete.export.telerecours import (
    Listed,
    cross_check,
    document_name,
    main_name,
    name_problems,
    piece_references,
    telerecours_name,
)
from requete.french import date_fr
from requete.i18n import N_, _
from requete.model import Case, Party
from requete.paths import contained, real_path

if TYPE_CHECKING:
    from requete.pipeline import Session

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
    when: date | None = None

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
    with_docx: bool = True

    @property
    def inventory(self) -> list[InventoryLine]:
        """The inventory lines, missing pièces marked « à produire »."""
        return [
            InventoryLine(p.number, p.label, p.name if p.source else None, p.when)
            for p in self.pieces
        ]

    @property
    def docx(self) -> Path | None:
        """The requête in Word, beside the folder (``DIR.docx``), not in it: Télérecours
        converts Word files itself, and this one carries the drafting manifest."""
        return beside(self.outdir, ".docx") if self.with_docx else None

    @property
    def csv(self) -> Path:
        """The inventory as CSV, beside the folder (``DIR.csv``): not a file to upload."""
        return beside(self.outdir, ".csv")


def beside(outdir: Path, suffix: str) -> Path:
    """``depot/`` → ``depot.docx``: named after the folder, so that two bundles in one
    parent folder do not overwrite each other's files."""
    return outdir.parent / f"{outdir.name}{suffix}"


def make_bundle(
    case_path: Path,
    outdir: Path,
    allow_missing: bool = False,
    force: bool = False,
    libraries: tuple[Path, ...] = (),
    progress: Progress | None = None,
    allow_outside: bool = False,
    draft: bool = False,
    with_docx: bool = True,
) -> Bundle:
    """Build the filing and write the Télérecours bundle; nothing is written unless all checks
    pass. A filing with « [à compléter] » or comments for counsel is refused unless ``draft``,
    which stamps « PROJET » on every page; the comments never reach the bundle."""
    from requete.output import protected_paths
    from requete.pipeline import build_docx, open_case, template_source

    _refuse_existing(outdir, force, with_docx)
    session = open_case(case_path, libraries, allow_outside)
    _refuse_inputs(outdir, with_docx, protected_paths(session))
    data, document = build_docx(session, comments=False, draft=draft)
    assert session.case is not None
    bundle = _checked(session, document, outdir, allow_missing, allow_outside, draft)
    bundle.with_docx = with_docx
    if any(p.severity == "error" for p in bundle.problems):
        raise ValidationFailed(bundle.problems)
    heading = inventory_heading(session.case, document, draft)
    template = template_source(session)
    inventory = inventory_docx(heading, session.case.date, bundle.inventory, template)
    _write(bundle, data, inventory, progress or _silent)
    return bundle


def _checked(
    session: Session,
    document: Document,
    outdir: Path,
    allow_missing: bool,
    allow_outside: bool,
    draft: bool,
) -> Bundle:
    """The bundle planned, with every check of the pièces and of what is left unfinished."""
    from requete.export.unfinished import unfinished

    assert session.case is not None
    bundle = plan_bundle(session.case, document, outdir, allow_missing, allow_outside)
    left = unfinished(session.case, document, session.blocks)
    if left and draft:
        bundle.problems.insert(0, left.draft_warning(session.case))
    elif left:
        bundle.problems = [*left.problems(), *bundle.problems, left.advice(session.case)]
    return bundle


def check_bundle(
    case_path: Path,
    allow_missing: bool = False,
    draft: bool = False,
    libraries: tuple[Path, ...] = (),
    allow_outside: bool = False,
) -> list[Problem]:
    """Every check `make_bundle` runs, without building the PDFs or writing anything (the
    case's own errors raise ValidationFailed, as for a build)."""
    from requete.pipeline import assemble_document, open_case

    session = open_case(case_path, libraries, allow_outside)
    document = assemble_document(session)
    errors = [p for p in document.warnings if p.severity == "error"]
    if errors:
        raise ValidationFailed(session.problems + document.warnings)
    scratch = case_path.parent / ".requete-bundle-plan"  # a name only: nothing is written
    return _checked(session, document, scratch, allow_missing, allow_outside, draft).problems


def plan_bundle(
    case: Case, document: Document, outdir: Path, allow_missing: bool, allow_outside: bool = False
) -> Bundle:
    """Name every file and run every cross-check, without writing anything."""
    requete = main_name(document.title, "pdf").removesuffix(".pdf")
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
        elif (unreadable := _unreadable(source)) is not None:
            bundle.problems.append(
                Problem(
                    "error",
                    _("pièce n° {number}: {reason}").format(number=item.number, reason=unreadable),
                    *where,
                )
            )
            source = None
        elif source.stat().st_size == 0 or not _plausible(source):
            bundle.problems.append(Problem("error", _damaged(item.number, source), *where))
        ext = source.suffix if source and source.suffix.lower() == ".pdf" else ".pdf"
        when = case.pieces[index].date if index is not None else None
        name = telerecours_name(item.number, item.label, ext, when)
        bundle.problems += [Problem("error", text, *where) for text in name_problems(name)]
        bundle.pieces.append(PlannedPiece(item.number, item.key, item.label, source, name, when))
    listed = [Listed(p.number, p.key, p.key == case.acte.piece) for p in bundle.pieces]
    cited = cited_pieces(document)
    origin = case.origin
    pieces_at = (origin.path_of("pieces"), origin.line_of("pieces"))
    bundle.problems += [Problem("error", text, *pieces_at) for text in cross_check(listed, cited)]
    return bundle


def cited_pieces(document: Document) -> list[int]:
    """The numbers of the pièces the filing refers to: those its markup made (the runs that
    carry a pièce number, read from the document, never re-parsed), then the references a
    lawyer typed by hand in the prose (« pièce n° 4 »), which no markup renumbers — those
    are the ones that can point at a pièce the inventaire lacks."""
    groups: list[tuple[Run, ...]] = [*document.parties, document.contre]
    groups += [p.runs for p in document.body + document.conclusions]
    marked = [run.piece for group in groups for run in group if run.piece is not None]
    # a marked number stands as an object (U+FFFC), so that « pièce n° » before it and the
    # text after it never read as a reference typed by hand (« [pièce:a] 2 fois »)
    typed = "\n".join(
        "".join("\ufffc" if r.piece is not None else r.text for r in group) for group in groups
    )
    return marked + [number for _offset, number in piece_references(typed)]


def inventory_heading(case: Case, document: Document, draft: bool = False) -> Heading:
    """The inventaire's first lines: the filing's title, its parties, the act, the date."""
    names = [_party_name(party) for party in case.requerants]
    parties = names[0] if len(names) == 1 else f"{names[0]} et autres"
    if len(names) == 2:
        parties = f"{names[0]} et {names[1]}"
    dated = document.place_date
    if "[à compléter" in dated or not dated.strip():
        dated = f"Le {date_fr(case.date, nbsp=True)}"
    contre = "".join(run.text for run in document.contre)
    return Heading(document.title, parties, contre, dated, document.docket, draft)


def _party_name(party: Party) -> str:
    if party.personne == "physique" and party.nom and "[à compléter" not in party.nom:
        return f"{party.civilite or ''} {party.nom}".strip()
    return party.denomination or party.designation or party.nom or "[requérant]"


def _write(bundle: Bundle, docx_data: bytes, inventory_data: bytes, progress: Progress) -> None:
    """Write everything into a scratch folder (and scratch files) beside ``outdir``, then
    rename each into place once the conversion has succeeded. An error, Ctrl-C or SIGTERM
    removes the scratch folder and files (and stops LibreOffice): nothing partial is left."""
    from requete.output import io_error

    outdir = real_path(bundle.outdir)  # the working directory may be inside it
    parent = outdir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name[:100]}-", dir=parent))
    except OSError as err:
        raise io_error(N_("create the bundle folder"), outdir, err) from err
    parked: list[tuple[Path, Path]] = []  # (.part file beside the folder, final place)
    try:
        _fill(bundle, staging, parked, docx_data, inventory_data, progress)
        total = sum(piece.source is not None for piece in bundle.pieces) + 3
        progress(total, total, _("writing {path}").format(path=bundle.outdir))
        _replace_dir(staging, outdir)
        for partial, target in parked:
            os.replace(partial, target)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        for partial, _target in parked:
            partial.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise io_error(N_("write the bundle"), err.filename or bundle.outdir, err) from err
        raise
    written = sorted(p for p in outdir.iterdir() if p.name != MARKER)
    bundle.written = [bundle.outdir / p.name for p in written]
    bundle.written += [bundle.outdir.parent / target.name for _p, target in parked]


def _fill(
    bundle: Bundle,
    staging: Path,
    parked: list[tuple[Path, Path]],
    docx_data: bytes,
    inventory_data: bytes,
    progress: Progress,
) -> None:
    """Write the bundle's files into ``staging`` and the files beside it as ``.part`` files."""
    from requete.export.pdf import convert_to_pdf
    from requete.output import current_umask, io_error

    staging.chmod(0o777 & ~current_umask())  # mkdtemp made it private
    parent = staging.parent
    present = [p for p in bundle.pieces if p.source is not None]
    total, done = len(present) + 3, 0
    siblings: list[tuple[Path, Path]] = []  # (scratch file, final place) beside the folder
    scratch = staging / ".scratch"
    scratch.mkdir()
    requete_docx = scratch / f"{bundle.requete}.docx"
    requete_docx.write_bytes(docx_data)
    inventory_stem = document_name(INVENTORY, "pdf").removesuffix(".pdf")
    inventory = scratch / f"{inventory_stem}.docx"
    inventory.write_bytes(inventory_data)
    csv_scratch = scratch / "inventaire.csv"
    csv_scratch.write_text(inventory_csv(bundle.inventory), encoding="utf-8-sig")
    siblings.append((csv_scratch, parent / bundle.csv.name))
    if bundle.docx is not None:
        siblings.append((requete_docx, parent / bundle.docx.name))
    to_convert = [requete_docx, inventory]
    for piece in present:
        assert piece.source is not None
        progress(done := done + 1, total, _("pièce n° {number}").format(number=piece.number))
        copy = staging / piece.name
        if piece.needs_conversion:
            copy = scratch / (Path(piece.name).stem + piece.source.suffix.lower())
            to_convert.append(copy)
        try:
            shutil.copyfile(piece.source, copy)
        except OSError as err:
            if err.filename == str(piece.source):
                raise io_error(N_("read the pièce"), piece.source, err) from err
            raise
    progress(
        done := done + 1,
        total,
        _("PDF of {count} document(s) (LibreOffice)").format(count=len(to_convert)),
    )
    convert_to_pdf(to_convert, staging)
    progress(done + 1, total, _("checking the file names"))
    # the files to keep beside the folder move there, under .part names until the end
    for source, target in siblings:
        handle, name = tempfile.mkstemp(".part", f".{target.name[:100]}-", parent)
        os.close(handle)
        parked.append((Path(name), target))
        os.replace(source, name)
        os.chmod(name, 0o666 & ~current_umask())
    shutil.rmtree(scratch)
    _check_names(staging)
    write_marker(staging)


def _check_names(folder: Path) -> None:
    """Make sure every file written obeys the naming rules (a bug otherwise)."""
    for path in folder.iterdir():
        problems = name_problems(path.name)
        if problems:
            raise ExportError("; ".join(problems), path)


def _replace_dir(staging: Path, outdir: Path) -> None:
    """Rename ``staging`` to ``outdir``, moving an existing ``outdir`` out of the way first
    (and back, if the second rename fails or is interrupted)."""
    if not outdir.exists():
        os.replace(staging, outdir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{outdir.name[:100]}-old-", dir=outdir.parent))
    try:
        os.replace(outdir, old / outdir.name)
        os.replace(staging, outdir)
    except BaseException:
        if not outdir.exists() and (old / outdir.name).exists():
            os.replace(old / outdir.name, outdir)
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


# The bundle folder's own marker: a dot-file (file pickers and Télérecours' upload page skip
# it), listing each file requete wrote with its SHA-256, so that --force replaces a folder
# only while it holds exactly what requete wrote there.
MARKER = ".requete-bundle"
_MARKER_HEADER = (
    "# Written by `requete bundle`: not a pièce, do not upload this file.\n"
    "# `requete bundle --force` replaces this folder only while it holds exactly the files\n"
    "# below, unchanged; anything else in it makes --force refuse.\n"
)
# Files an operating system adds to any folder it shows: --force replaces them too.
_SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", ".directory"}
_SHOWN = 5  # entries named in a refusal


def write_marker(folder: Path) -> None:
    """Write the marker listing every file of ``folder`` with its SHA-256."""
    lines = [f"{_digest(path)}  {path.name}\n" for path in sorted(folder.iterdir())]
    (folder / MARKER).write_text(_MARKER_HEADER + "".join(lines), encoding="utf-8")


def read_marker(folder: Path) -> dict[str, str] | None:
    """The files the marker of ``folder`` lists (name -> SHA-256), None without a marker."""
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(_MARKER_HEADER.splitlines()[0]):
        return None
    listed: dict[str, str] = {}
    for line in text.splitlines():
        digest, _sep, name = line.partition("  ")
        if line.startswith("#") or not name:
            continue
        listed[name] = digest
    return listed


def _digest(path: Path) -> str:
    import hashlib

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _entries(folder: Path) -> list[str]:
    """The names in ``folder``, folders marked with a slash."""
    return sorted(
        p.name + ("/" if p.is_dir() and not p.is_symlink() else "") for p in folder.iterdir()
    )


def _shown(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    if len(names) > _SHOWN:
        return _("{names}, … ({count} in all)").format(names=shown, count=len(names))
    return shown


def _refuse_existing(outdir: Path, force: bool, with_docx: bool = True) -> None:
    """Refuse, before any work, an ``-o`` that --force would wrongly replace: anything but a
    new or empty folder, or a folder requete wrote (its marker lists exactly what it holds)."""
    from requete.output import io_error

    if outdir.name in ("", ".", ".."):
        raise ExportError(_("give -o the name of a new folder, e.g. -o depot"), outdir)
    real = real_path(outdir)
    if ".git" in real.parts:
        raise ExportError(_("is inside a .git folder: choose another -o"), outdir)
    try:
        _refuse_folder(outdir, real, force)
        for suffix in (".docx", ".csv") if with_docx else (".csv",):
            path = beside(outdir, suffix)
            if path.is_dir():
                raise ExportError(
                    _("is a folder beside the bundle folder: choose another -o"), path
                )
            if path.exists() and not force:
                raise ExportError(
                    _(
                        "exists beside the bundle folder: use --force to replace it, or choose "
                        "another -o"
                    ),
                    path,
                )
    except OSError as err:
        raise io_error(N_("read the folder"), err.filename or outdir, err) from err


def _refuse_folder(outdir: Path, real: Path, force: bool) -> None:
    if outdir.is_symlink():
        raise ExportError(_("is a symbolic link: give -o the folder itself"), outdir)
    if outdir.exists() and not outdir.is_dir():
        raise ExportError(_("exists and is not a folder: choose another -o"), outdir)
    if not outdir.is_dir():
        return
    entries = _entries(real)
    if not entries:
        return
    listed = read_marker(real)
    if listed is None:
        raise ExportError(
            _(
                "folder is not empty and was not written by `requete bundle` (no {marker} in "
                "it): requete never replaces it, even with --force, since that would delete "
                "{names}; choose a new -o, or empty the folder yourself"
            ).format(marker=MARKER, names=_shown(entries)),
            outdir,
        )
    if not force:
        raise ExportError(
            _(
                "folder holds a bundle written earlier: use --force to replace it, or choose "
                "another -o"
            ),
            outdir,
        )
    foreign = [
        name if name not in listed else _("{name} (changed since)").format(name=name)
        for name in entries
        if name != MARKER
        and name not in _SYSTEM_FILES
        and not name.startswith("._")
        and (name not in listed or _digest(real / name) != listed[name])
    ]
    if foreign:
        raise ExportError(
            _(
                "folder holds files requete did not write there, or changed since: --force "
                "would delete {names}; move them out of the folder, or choose another -o"
            ).format(names=_shown(foreign)),
            outdir,
        )


def _refuse_inputs(outdir: Path, with_docx: bool, inputs: set[Path]) -> None:
    """Refuse an ``-o`` that is, or holds, one of the inputs (case, matter, templates, blocks,
    pièces) — even with --force — and a file beside it that would overwrite one."""
    real = real_path(outdir)
    held = sorted(
        str(path) for path in inputs if (found := real_path(path)) == real or real in found.parents
    )
    if held:
        raise ExportError(
            _(
                "folder holds files the filing is made from: --force would delete {names}; "
                "choose another -o"
            ).format(names=_shown(held)),
            outdir,
        )
    reals = {real_path(path) for path in inputs}
    for suffix in (".docx", ".csv") if with_docx else (".csv",):
        path = beside(outdir, suffix)
        if real_path(path) in reals:
            raise ExportError(
                _(
                    "is one of the files the filing is made from (case, matter, template, "
                    "pièce): requete never writes over it, even with --force; choose another -o"
                ),
                path,
            )


def _source(case: Case, index: int | None) -> Path | None:
    if index is None or case.pieces[index].file is None:
        return None
    base = case.origin.path_of("pieces", index, "file").parent
    return base / str(case.pieces[index].file)


def _where(case: Case, index: int | None) -> tuple[Path, int]:
    loc: tuple[str | int, ...] = ("pieces", index, "file") if index is not None else ("pieces",)
    return case.origin.path_of(*loc), case.origin.line_of(*loc)


def _unreadable(source: Path) -> str | None:
    """Why the pièce file cannot be read (permissions, a device, a name too long), or None."""
    try:
        with source.open("rb") as handle:
            handle.read(1)
    except OSError as err:
        reason = (err.strerror or type(err).__name__).lower()
        return _("cannot read '{path}' ({reason}); check its permissions, or replace it").format(
            path=source, reason=reason
        )
    return None


def _plausible(source: Path) -> bool:
    """A file named .pdf must start like a PDF."""
    if source.suffix.lower() != ".pdf":
        return True
    with source.open("rb") as handle:
        return handle.read(1024).lstrip().startswith(b"%PDF")


def _missing(number: int, file: str | None) -> str:
    if file is None:
        return _(
            "pièce n° {number} has no `file:`; add it, or pass --allow-missing to list it "
            "as « à produire »"
        ).format(number=number)
    return _(
        "pièce n° {number}: file '{file}' not found; add it, correct the path, or pass "
        "--allow-missing to list it as « à produire »"
    ).format(number=number, file=file)


def _outside(number: int, source: Path) -> str:
    return _(
        "pièce n° {number}: '{path}' is outside the case directory; move it inside "
        "or pass --allow-outside"
    ).format(number=number, path=source)


def _damaged(number: int, source: Path) -> str:
    return _(
        "pièce n° {number}: '{path}' is empty or not a PDF; replace it with the real document"
    ).format(number=number, path=source)


def _silent(_done: int, _total: int, _what: str) -> None:
    """Progress callback that shows nothing."""
