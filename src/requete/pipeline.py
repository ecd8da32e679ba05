"""The verbs of the pipeline: load -> resolve -> validate -> assemble -> render."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from requete.cases import CaseFile, load_case, read_case
from requete.document import Document
from requete.errors import LibraryError, Problem, RequeteError, ValidationFailed
from requete.facts import check_facts
from requete.i18n import _, ngettext
from requete.leaks import foreign_party_problems, leak_problems
from requete.library import Layer, Library, library_layers, load_library, outermost_project
from requete.model import Case
from requete.overlay import ResolvedBlock, resolve_blocks
from requete.paths import contained, display_path
from requete.procedures import procedure_problems, renewal_problems
from requete.validate import (
    typography_notes,
    validate_case,
    validate_document,
    validate_library,
)

if TYPE_CHECKING:
    from requete.manifest import Manifest


@dataclass
class Session:
    """A case opened with its library layers, resolved blocks and every problem so far."""

    case_path: Path
    layers: list[Layer]
    library: Library
    case: Case | None
    blocks: list[ResolvedBlock] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    removed: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    other_parties: list[tuple[str, Path]] = field(default_factory=list)
    own_parties: bool = False
    template: bytes | None = None  # the Word template, read and restyled once per session
    matter_path: Path | None = None  # the matter file the case reads, if any

    @property
    def has_errors(self) -> bool:
        """True when at least one problem is an error."""
        return any(p.severity == "error" for p in self.problems)


def open_case(
    case_path: Path,
    libraries: tuple[Path, ...] = (),
    allow_outside: bool = False,
    notes: bool = True,
) -> Session:
    """Load a case, its library layers, and resolve its blocks; collect every problem."""
    case_file = read_case(case_path)
    case_libraries = [
        _case_library(case_file, i, entry, allow_outside)
        for i, entry in enumerate(case_file.libraries)
    ]
    layers = library_layers(case_path, tuple(libraries), case_libraries)
    loaded = load_case(case_file, layers, allow_outside)
    case = loaded.case
    library = load_library(layers)
    session = Session(case_path, layers, library, case, problems=list(loaded.problems))
    session.other_parties = loaded.other_parties
    session.own_parties = loaded.own_parties
    session.matter_path = loaded.matter_path
    if case is None:
        return session
    resolution = resolve_blocks(library, case)
    session.blocks, session.chain = resolution.blocks, resolution.chain
    session.removed = resolution.removed
    session.problems += resolution.problems
    facts = check_facts(case, library.facts)
    session.facts = facts.values
    session.problems += facts.problems
    session.problems += validate_case(case, library, resolution.blocks, notes)
    session.problems += procedure_problems(
        case, library, resolution.blocks, notes, same_applicants=not session.own_parties
    )
    session.problems += leak_problems(session.layers, library, resolution.blocks, case)
    session.problems += library.problems  # the files read so far, for this case
    try:
        template_source(session)
    except RequeteError as err:
        session.problems.append(Problem("error", err.message, _path(err.path), err.line))
    return session


def _case_library(case_file: CaseFile, index: int, entry: str, allow_outside: bool) -> Path:
    """A library layer the case names, kept inside its project (the outermost directory above
    the case that holds a library) unless ``--allow-outside``: a case file someone sends
    cannot pull blocks from anywhere on the disk. A library elsewhere is named by the user,
    with ``-L`` or REQUETE_LIBRARY, not by the case."""
    path = Path(entry)
    case_dir = case_file.path.parent
    root = path if path.is_absolute() else Path(os.path.normpath(case_dir / path))
    if allow_outside:
        return root
    project = outermost_project(case_dir)
    if path.is_absolute() or not contained(root, project):
        raise LibraryError(
            _(
                "library '{entry}' is outside the project ({project}); move it "
                "inside, name it with -L / REQUETE_LIBRARY, or pass --allow-outside"
            ).format(entry=entry, project=display_path(project)),
            case_file.path,
            case_file.lines.line(("library", index)) or case_file.lines.line(("library",)),
        )
    return root


def check(session: Session, deep: bool = True) -> list[Problem]:
    """Every problem of the session; with ``deep``, also those seen by a trial assembly."""
    problems = list(session.problems)
    if deep and not session.has_errors and session.case is not None:
        try:
            document = assemble_document(session, typography=False, with_manifest=False)
        except ValidationFailed as failed:
            problems += failed.problems
        except RequeteError as err:
            problems.append(Problem("error", err.message, _path(err.path), err.line))
        else:
            problems += document.warnings + typography_notes(document, session.blocks)
            problems += _left_out_notes(session, document)
            problems += _placeholder_notes(session, document)
    return _unique(problems)


def _placeholder_notes(session: Session, document: Document) -> list[Problem]:
    """How many « [à compléter] » the filing still holds, by kind, and counsel's comments:
    what stands between the draft and a filing (`bundle` refuses both without `--draft`)."""
    from requete.document import count_by_kind, placeholders

    assert session.case is not None
    out = []
    left = placeholders(document)
    if left:
        counts = count_by_kind(left)
        out.append(
            Problem(
                "note",
                ngettext(
                    "{count} « [à compléter] » left in the filing ({kinds}); they are "
                    "highlighted in the Word file",
                    "{count} « [à compléter] » left in the filing ({kinds}); they are "
                    "highlighted in the Word file",
                    len(left),
                ).format(count=len(left), kinds=counts),
                session.case_path,
                1,
            )
        )
    if document.comments:
        out.append(
            Problem(
                "note",
                ngettext(
                    "{count} block(s) carry notes or caveats for counsel; they are Word "
                    "comments in the built file (`build --no-comments` leaves them out)",
                    "{count} block(s) carry notes or caveats for counsel; they are Word "
                    "comments in the built file (`build --no-comments` leaves them out)",
                    len(document.comments),
                ).format(count=len(document.comments)),
                session.case_path,
                1,
            )
        )
    return out


def _left_out_notes(session: Session, document: Document) -> list[Problem]:
    out = []
    for resolved in session.blocks:
        if resolved.id in document.left_out:
            out.append(
                Problem(
                    "note",
                    _(
                        "block '{id}' is left out of this filing: its condition "
                        "`{condition}` is false for this matter"
                    ).format(id=resolved.id, condition=resolved.block.condition),
                    resolved.path,
                    resolved.block.origin.line_of("condition"),
                )
            )
    return out


def _path(value: object) -> Path | None:
    return Path(str(value)) if value is not None else None


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            out.append(problem)
    return out


def check_library(layers: list[Layer]) -> list[Problem]:
    """Problems of library directories on their own (``requete check --library DIR``)."""
    library = load_library(layers, eager=True)
    return _unique(library.problems + validate_library(library) + leak_problems(layers, library))


def assemble_document(
    session: Session, typography: bool = True, with_manifest: bool = True
) -> Document:
    """Assemble the filing (French typography fixed unless asked not to); raise
    ValidationFailed when the session has errors."""
    from requete.assemble import assemble
    from requete.counsel import counsel_comments
    from requete.typography import fix_typography

    if session.has_errors or session.case is None:
        raise ValidationFailed(session.problems)
    fixer = fix_typography if typography else str
    document = assemble(session.case, session.blocks, session.library, session.facts, fix=fixer)
    document.warnings = validate_document(session.case, document, session.library, session.blocks)
    document.warnings += foreign_party_problems(document, session.other_parties, session.case)
    procedure = session.library.procedures[session.case.procedure]
    if not session.own_parties:  # the matter's instances are these applicants' own
        document.warnings += renewal_problems(session.case, procedure, document)
    document.comments = counsel_comments(session.blocks, session.library, document)
    if with_manifest:
        document.manifest = manifest_for(session, document)
    return document


def build_docx(
    session: Session, comments: bool = True, draft: bool = False
) -> tuple[bytes, Document]:
    """Assemble and render the filing to .docx bytes (deterministic, manifest inside): with
    counsel's comments unless ``comments`` is false, « PROJET » on every page if ``draft``."""
    from requete.manifest import embed_manifest_parts
    from requete.render import filing_datetime, render_parts

    document = assemble_document(session)
    errors = [p for p in document.warnings if p.severity == "error"]
    if errors:
        raise ValidationFailed(session.problems + document.warnings)
    assert session.case is not None
    template = template_source(session)
    parts = render_parts(
        document,
        template,
        filing_datetime(session.case.date),
        session.case.author or (session.case.avocat.nom if session.case.avocat else None),
        comments=comments,
        draft=draft,
    )
    assert document.manifest is not None
    return embed_manifest_parts(parts, document.manifest), document  # one zip write


def template_source(session: Session) -> bytes:
    """The Word template the case names, from the highest layer, extensions applied: read
    and restyled once per session (check, build and bundle all ask for it)."""
    from requete.errors import did_you_mean
    from requete.templates import template_bytes

    if session.template is not None:
        return session.template
    assert session.case is not None
    name = session.case.template
    library = session.library
    known = {**library.templates, **library.template_extensions}
    if name not in known:
        hint = did_you_mean(name, known)
        origin = session.case.origin
        raise RequeteError(
            _("template '{name}' not found in any library layer{hint}").format(
                name=name, hint=hint
            ),
            origin.path_of("template"),
            origin.line_of("template"),
        )
    session.template = template_bytes(name, library.templates, library.template_extensions)
    return session.template


# -- the build manifest: provenance of the filing -----------------------------------------


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _relative(path: Path, base: Path) -> str | None:
    """``path`` relative to the directory ``base`` (both resolved), POSIX; None when it
    cannot be (another drive)."""
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:
        return None


def manifest_for(session: Session, document: Document) -> Manifest:
    """Provenance of the filing: blocks, paragraphs, precedents, pièces — no path that
    depends on the working directory or on where the case lies on the disk."""
    from requete import __version__
    from requete.manifest import (
        BUILTIN_LAYER,
        BlockRecord,
        Manifest,
        ParagraphRecord,
        PieceRecord,
    )

    assert session.case is not None
    case_dir = session.case_path.resolve().parent
    names: dict[str, str] = {}
    roots: dict[str, Path] = {}
    for layer in session.layers:
        if layer.name == BUILTIN_LAYER:
            name = BUILTIN_LAYER
        else:
            name = _relative(layer.root, case_dir) or layer.root.resolve().name
        names[layer.name], roots[layer.name] = name, layer.root
    texts: dict[str | None, list[str]] = {}
    for paragraph in document.body + document.conclusions:
        texts.setdefault(paragraph.block, []).append(paragraph.text)
    comments = {c.block: "\n".join(c.paragraphs) for c in document.comments}
    blocks = []
    for resolved in session.blocks:
        if resolved.id in document.left_out:
            continue
        where, file = _block_source(resolved.layer, resolved.path, names, roots, case_dir)
        blocks.append(
            BlockRecord(
                id=resolved.id,
                title=resolved.block.title,
                section=resolved.block.section,
                version=resolved.block.version,
                layer=where,
                file=file,
                line=resolved.line,
                operations=tuple(_portable(op, case_dir) for op in resolved.operations),
                text_sha1=_sha1("\n".join(texts.get(resolved.id, []))),
                comment_sha1=_sha1(comments[resolved.id]) if resolved.id in comments else None,
            )
        )
    return Manifest(
        requete_version=__version__,
        case_file=_relative(session.case_path, case_dir) or session.case_path.name,
        procedure=session.case.procedure,
        filing_date=session.case.date.isoformat(),
        set_chain=tuple(session.chain),
        layers=tuple(names[layer.name] for layer in session.layers),
        blocks=tuple(blocks),
        paragraphs=tuple(
            ParagraphRecord(text_sha1=_sha1(p.text), kind=p.kind, number=p.number, block=p.block)
            for p in document.body + document.conclusions
        ),
        precedents=tuple(document.cited),
        pieces=tuple(PieceRecord(i.number, i.key, i.label) for i in document.pieces),
    )


_WHERE = re.compile(r"(\(|, )([^(),]+):(\d+)\)")


def _portable(operation: str, case_dir: Path) -> str:
    """An operation (``added (set x, PATH:LINE)``) with PATH, shown relative to the working
    directory when it was recorded, made relative to the case file's directory instead."""

    def local(match: re.Match[str]) -> str:
        path = Path(match.group(2))
        if not path.is_file():
            return match.group(0)
        where = _relative(path, case_dir) or path.name
        return f"{match.group(1)}{where}:{match.group(3)})"

    return _WHERE.sub(local, operation)


def _block_source(
    layer: str, path: Path, names: dict[str, str], roots: dict[str, Path], case_dir: Path
) -> tuple[str, str]:
    """(layer as the manifest names it, path inside that layer) of a block's file."""
    root = roots.get(layer)
    if root is not None:
        try:
            inside = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
        else:
            return names[layer], inside
    from requete.manifest import CASE_LAYER

    return CASE_LAYER, _relative(path, case_dir) or path.name
