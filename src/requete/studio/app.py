"""The studio's web application: pages and forms over the public API, for one user on this
machine. Every route reads and writes through :class:`Workspace` (nothing outside its folder)
and calls the same verbs as the command line; one lock serialises them (the library caches
and the language of the messages are process-wide)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import shutil
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from requete.errors import Problem, RequeteError
from requete.studio import edits
from requete.studio.guard import Guard
from requete.studio.preview import filing_html, problems_html
from requete.studio.workspace import Conflict, NotInWorkspace, Refused, Workspace

if TYPE_CHECKING:
    from requete.api import Library, Session

MAX_UPLOAD = 20 * 1024 * 1024  # two drafts of a long filing with pictures
MAX_REDLINES = 16  # redlines kept in memory for download
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REVISION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/~^@{}-]{0,99}$")


class Studio:
    """The state of one studio: its folder, templates, redlines made, and the lock."""

    def __init__(self, root: Path):
        self.workspace = Workspace(root)
        self.lock = threading.RLock()
        self.redlines: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self.env = Environment(
            loader=PackageLoader("requete.studio", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["pdf"] = shutil.which("soffice") is not None
        self.env.filters["plain_title"] = _plain_title
        self.env.filters["urlpath"] = _urlpath

    @contextmanager
    def working(self) -> Iterator[None]:
        """One request at a time, its messages in French (the process's language is left
        as it was: the studio may run inside another program)."""
        from requete.i18n import using

        with self.lock, using("fr"):
            yield

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A template rendered as a response."""
        context.setdefault("root", self.workspace.root)
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status)

    def shown(self, path: Path | str | None, session: Session | None = None) -> str | None:
        """A problem's file as the user knows it: relative to the folder, or ``layer: file``."""
        if path is None:
            return None
        if isinstance(path, str):
            if not Path(path).is_absolute():
                return path  # an upload's name
            path = Path(path)
        if self.workspace.inside(path):
            return self.workspace.relative(path)
        for layer in reversed(session.layers if session else []):
            try:
                relative = path.resolve().relative_to(layer.root.resolve())
            except ValueError:
                continue
            shown = _layer_name(layer.name, session, self.workspace) if session else layer.name
            return f"{shown} : {relative.as_posix()}"
        return path.name


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _errors_of(case: Path) -> Callable[[], list[Problem]]:
    def errors() -> list[Problem]:
        from requete import api

        try:
            return [p for p in api.check(api.load_case(case)).problems if p.severity == "error"]
        except RequeteError as err:
            path = Path(err.path) if err.path is not None else None
            return [Problem("error", err.message, path, err.line)]

    return errors


def _errors_of_filings(studio: Studio, matter: Path, case: Path) -> Callable[[], list[Problem]]:
    """The errors of every filing of the folder that reads ``matter`` (a matter is shared),
    found by the same resolution of `matter:` as a build."""
    from requete import api

    readers = [case]
    for folder in studio.workspace.folders():
        for filing in folder.filings:
            path = studio.workspace.root / filing.path
            if path.resolve() == case.resolve():
                continue
            try:
                read = api.load_case(path).matter_path
            except RequeteError:
                continue  # a filing that cannot be read is not made worse by this change
            if read is not None and read.resolve() == matter.resolve():
                readers.append(path)
    checks = [_errors_of(path) for path in readers]

    def errors() -> list[Problem]:
        return [problem for check in checks for problem in check()]

    return errors


# -- the pages --------------------------------------------------------------------------------


def home(studio: Studio, request: Request) -> Response:
    """The matters of the folder and their filings."""
    return studio.page("home.html", folders=studio.workspace.folders())


def filing(studio: Studio, request: Request) -> Response:
    """A filing: its arguments on the left, the live preview on the right."""
    case = studio.workspace.filing(request.path_params["case"])
    return studio.page("filing.html", **_filing_context(studio, case))


def _filing_context(
    studio: Studio,
    case: Path,
    message: str | None = None,
    refused: list[Problem] | None = None,
    failed: bool = False,
) -> dict[str, Any]:
    from requete import api

    ws = studio.workspace
    session = api.load_case(case)
    _text, version = ws.read(case)
    result = api.check(session)
    problems = result.problems
    by_block = _problems_by_block(studio, session, problems)
    library: Library = session.library
    titles = _titles(session)
    present = {b.id for b in session.blocks}
    candidates = []
    if session.case is not None:
        procedure = library.procedures.get(session.case.procedure)
        for ident in sorted(library.blocks.names()):
            block = library.blocks.get(ident)
            if block is None or ident in present:
                continue
            if procedure is not None and not procedure.takes(block.procedures):
                continue
            candidates.append(block)
    blocks = []
    for index, resolved in enumerate(session.blocks):
        before = session.blocks[index - 1] if index else None
        after = session.blocks[index + 1] if index + 1 < len(session.blocks) else None
        block = resolved.block
        blocks.append(
            {
                "resolved": resolved,
                "block": block,
                "layer": _layer_name(resolved.layer, session, ws),
                "source": studio.shown(resolved.path, session),
                "up": before.id if before and before.block.section == block.section else None,
                "down": after.id if after and after.block.section == block.section else None,
                "title": titles.get(block.id) or _plain_title(block.title),
                "operations": [_provenance(op, ws) for op in resolved.operations],
                "problems": problems_html(_serious(by_block.get(block.id, []))),
                "notes": problems_html(_notes(by_block.get(block.id, []))),
                "cites": _cites(library, block.body + "\n" + (block.application or "")),
            }
        )
    placed = {id(p) for found in by_block.values() for p, _shown in found}
    general = [(p, studio.shown(p.path, session)) for p in problems if id(p) not in placed]
    return {
        "case": ws.relative(case),
        "title": titles.get("") or (session.case.title if session.case else None),
        "session": session,
        "version": version,
        "blocks": blocks,
        "candidates": candidates,
        "general": problems_html(general),
        "counts": {
            "error": result.errors,
            "warning": result.warnings,
            "note": len(problems) - result.errors - result.warnings,
        },
        "message": message,
        "typed": {},
        "failed": failed or bool(refused),
        "refused": problems_html([(p, studio.shown(p.path, session)) for p in refused or []]),
    }


def _serious(found: list[tuple[Problem, str | None]]) -> list[tuple[Problem, str | None]]:
    return [(p, s) for p, s in found if p.severity != "note"]


def _notes(found: list[tuple[Problem, str | None]]) -> list[tuple[Problem, str | None]]:
    return [(p, s) for p, s in found if p.severity == "note"]


_PROVENANCE = (  # what `explain` records (in English, for the manifest), as the studio shows it
    ("added (", "ajouté ("),
    ("moved (", "déplacé ("),
    ("override ", "réécrit : "),
    ("replaces ", "remplace "),
    ("section ", "section "),
    ("application of the matter (", "application de l'affaire ("),
    ("application (", "application propre ("),
    ("set ", "jeu "),
)


def _provenance(operation: str, ws: Workspace) -> str:
    """One operation of a block's provenance, in French, with paths relative to the folder."""
    text = operation.replace(f"{ws.root}/", "").replace("(case, ", "(écriture, ")
    text = text.replace(
        ") not used: an override gives its own", ") non retenue : l'override donne la sienne"
    )
    for english, french in _PROVENANCE:
        if text.startswith(english):
            return french + text[len(english) :]
    return text


def _layer_name(name: str, session: Session, ws: Workspace) -> str:
    """A library layer as the user knows it: « bibliothèque » for the built-in one, else its
    folder relative to the studio's."""
    if name == "built-in":
        return "bibliothèque"
    for layer in session.layers:
        if layer.name == name and ws.inside(layer.root):
            return ws.relative(layer.root) or "."
    return name


def _urlpath(path: str) -> str:
    """A relative path as it goes in a link (« # », « ? », spaces, accents encoded)."""
    from urllib.parse import quote

    return quote(path, safe="/")


def _plain_title(title: str) -> str:
    """A title not printed as a heading (a conclusion's), its template parts shown as « … »."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "…", title)


def _titles(session: Session) -> dict[str, str]:
    """Each block's heading as the filing prints it (the library's titles are templates), and
    the filing's own title under ``""``."""
    from requete import api

    try:
        document = api.assemble(session)
    except RequeteError:
        return {}
    out: dict[str, str] = {"": document.title}
    for paragraph in document.body:
        if paragraph.block and paragraph.block not in out and paragraph.kind.startswith("h"):
            out[paragraph.block] = "".join(r.text for r in paragraph.runs)
    return out


def _cites(library: Library, text: str) -> list[str]:
    """Each citation of a block as the lawyer reads it: the authority's short name, its
    pinpoint and its key."""
    from requete.api import citations

    out = []
    for key, locator in citations(text):
        precedent = library.precedents.get(key)
        name = (precedent.short or precedent.name or precedent.citation) if precedent else None
        shown = f"{name} — {key}" if name else key
        out.append(f"{shown}, {locator}" if locator else shown)
    return out


def _problems_by_block(
    studio: Studio, session: Session, problems: tuple[Problem, ...] | list[Problem]
) -> dict[str, list[tuple[Problem, str | None]]]:
    """Each problem found in a block's own file, under that block (a file holding one
    block); those of the case, the matter or a shared file stay at the top."""
    owners: dict[Path, set[str]] = {}
    for resolved in session.blocks:
        for path in (resolved.path, resolved.body_path, resolved.application_path):
            if path is not None:
                owners.setdefault(path.resolve(), set()).add(resolved.id)
    out: dict[str, list[tuple[Problem, str | None]]] = {}
    for problem in problems:
        if problem.path is None:
            continue
        found = owners.get(problem.path.resolve(), set())
        if len(found) == 1 and problem.path.resolve() != session.case_path.resolve():
            out.setdefault(next(iter(found)), []).append(
                (problem, studio.shown(problem.path, session))
            )
    return out


def preview(studio: Studio, request: Request) -> Response:
    """The filing as HTML, with check's problems in place."""
    from requete import api
    from requete.errors import ValidationFailed

    case = studio.workspace.filing(request.path_params["case"])
    session = api.load_case(case)
    problems = api.check(session).problems
    by_block = _problems_by_block(studio, session, problems)
    try:
        document = api.assemble(session)
    except ValidationFailed as failed:
        shown = [
            (p, studio.shown(p.path, session)) for p in failed.problems if p.severity == "error"
        ]
        return studio.page("preview_failed.html", problems=problems_html(shown))
    serious = {block: _serious(found) for block, found in by_block.items()}
    return studio.page("preview.html", body=filing_html(document, serious))


def operation(studio: Studio, request: Request, form: dict[str, str]) -> Response:
    """An overlay operation on the case file: remove, add, move up or down, override. What
    the user typed stays in the page when the change is refused."""
    from requete import api

    ws = studio.workspace
    case = ws.filing(request.path_params["case"])
    action, block = form.get("action", ""), form.get("block", "")
    typed = {"block": block, "application": form.get("application", "")}
    message, refused, failed = "", None, False
    try:
        text, _version = ws.read(case)
        session = api.load_case(case)
        new, done = _operation_text(case, text, action, block, form, session)
        lost = edits.lost_comments(text, new)
        if lost:
            raise edits.WouldLose(
                "Cette opération effacerait un commentaire du fichier (« "
                + lost[0][:80]
                + " ») : rien n'a été écrit ; faites-la dans un éditeur."
            )
        ws.replace(case, new, form.get("version", ""), _errors_of(case))
        message, typed = done, {}
    except Refused as err:
        message, refused = err.message, err.problems
    except (Conflict, edits.WouldLose) as err:
        message, failed = err.message, True
    context = _filing_context(studio, case, message, refused, failed)
    context["typed"] = typed
    if not _htmx(request):  # the form posted without htmx: the whole page, with the message
        return studio.page("filing.html", status=409 if failed or refused else 200, **context)
    response = studio.page("arguments.html", **context)
    response.headers["HX-Trigger"] = "refresh-preview"
    return response


def _operation_text(
    case: Path,
    text: str,
    action: str,
    block: str,
    form: dict[str, str],
    session: Session,
) -> tuple[str, str]:
    """The case file's new text for an operation, and what to tell the user."""
    shown = case.name
    order = [b.id for b in session.blocks]
    present = {b.id: b for b in session.blocks}
    if action == "remove":
        if block not in present:
            raise edits.WouldLose(f"« {block} » n'est pas dans cette écriture ; rechargez la page.")
        section = present[block].block.section
        same = [b.id for b in session.blocks if b.block.section == section]
        new = edits.remove_block(text, block, same, section)
        _expect(case, new, [b for b in order if b != block])
        return new, f"« {block} » retiré de l'écriture (remove: du fichier {shown})."
    if action == "add":
        if block not in session.library.blocks.names():
            raise edits.WouldLose(f"Le bloc « {block} » n'existe pas dans la bibliothèque.")
        new = edits.add_block(text, block, after=form.get("after") or None)
        return new, f"« {block} » ajouté (add: du fichier {shown})."
    if action in ("up", "down"):
        target = form.get("target", "")
        if block not in present or target not in present:
            raise edits.WouldLose("Ce bloc a changé de place entre-temps ; rechargez la page.")
        expected = [b for b in order if b != block]
        at = expected.index(target) + (0 if action == "up" else 1)
        expected.insert(at, block)
        place = {"before": target} if action == "up" else {"after": target}
        for new in edits.move_candidates(text, block, **place):
            if _resolved_order(case, new) == expected:
                return new, f"« {block} » déplacé (move: du fichier {shown})."
        raise edits.WouldLose(
            "Ce déplacement ne peut s'écrire simplement dans le fichier (d'autres blocs y sont "
            "placés par rapport à celui-ci) ; rien n'a été écrit : faites-le dans un éditeur."
        )
    if action == "override":
        if block not in present:
            raise edits.WouldLose(f"« {block} » n'est pas dans cette écriture ; rechargez la page.")
        version = present[block].library_version
        new = edits.override_application(text, block, version, form.get("application"))
        return new, f"Application de « {block} » enregistrée (override: du fichier {shown})."
    raise edits.WouldLose(f"Opération inconnue : {action!r}.")


def _expect(case: Path, text: str, expected: list[str]) -> None:
    """Refuse a change whose resolved order is not the one the user asked for."""
    if _resolved_order(case, text) != expected:
        raise edits.WouldLose(
            "Cette opération déplacerait aussi d'autres blocs (placés par rapport à celui-ci) ; "
            "rien n'a été écrit : faites-la dans un éditeur."
        )


def _resolved_order(case: Path, text: str) -> list[str] | None:
    """The blocks a case file's text resolves to, read from a hidden copy beside it (same
    folder, so the same matter and layers), removed at once."""
    from requete import api

    handle, name = tempfile.mkstemp(prefix=f".{case.stem}.", suffix=".yaml", dir=case.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        return [b.id for b in api.load_case(Path(name)).blocks]
    except RequeteError:
        return None
    finally:
        Path(name).unlink(missing_ok=True)


def build_docx(studio: Studio, request: Request) -> Response:
    """The .docx, built as `requete build` builds it, as a download."""
    from requete import api

    case = studio.workspace.filing(request.path_params["case"])
    result = api.build(api.load_case(case))
    return Response(result.docx, media_type=DOCX, headers=_attachment(case.stem + ".docx"))


def build_pdf(studio: Studio, request: Request) -> Response:
    """The PDF of the filing, converted by LibreOffice."""
    from requete import api
    from requete.export.pdf import converted

    case = studio.workspace.filing(request.path_params["case"])
    result = api.build(api.load_case(case))
    with tempfile.TemporaryDirectory(prefix="requete-studio-") as scratch:
        source = Path(scratch) / f"{case.stem}.docx"
        source.write_bytes(result.docx)
        with converted([source]) as produced:
            data = produced[source].read_bytes()
    return Response(data, media_type="application/pdf", headers=_attachment(case.stem + ".pdf"))


def _attachment(name: str) -> dict[str, str]:
    """A download's name: ASCII for old clients, UTF-8 for the others (RFC 6266)."""
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return {
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    }


def deadline(studio: Studio, request: Request) -> Response:
    """The last day to file, step by step, from the matter's dates."""
    from requete import api

    case = studio.workspace.filing(request.path_params["case"])
    session = api.load_case(case)
    lines: list[str] = []
    problem = None
    if session.case is None:
        problem = "Le dossier ne peut être lu : corrigez d'abord les erreurs signalées."
    else:
        decl = session.library.procedures.get(session.case.procedure)
        start, origin = _deadline_start(session)
        if decl is None:
            problem = f"Procédure inconnue : {session.case.procedure}."
        elif start is None:
            problem = (
                "Le point de départ du délai manque : la date de publication ou de notification "
                "de l'acte (ou d'enregistrement de la requête introductive)."
            )
        else:
            lines = api.procedure_deadline(decl.id, start, origin, None, _layers(session))
    last = None
    if lines and re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[-1]):  # the ISO day, for scripts
        from requete.french import date_fr

        last = date_fr(dt.date.fromisoformat(lines.pop()), weekday=True)
    return studio.page(
        "deadline.html",
        case=studio.workspace.relative(case),
        lines=lines,
        last=last,
        problem=problem,
    )


def _layers(session: Session) -> list[Path]:
    return [layer.root for layer in session.layers if layer.name != "built-in"]


def _deadline_start(session: Session) -> tuple[dt.date | None, str]:
    case = session.case
    assert case is not None
    decl = session.library.procedures.get(case.procedure)
    if decl is not None and decl.deadline.rule == "instance":
        for instance in case.instances:
            if instance.numero == case.instance:
                return instance.enregistrement, "publication"
        return None, "publication"
    if case.acte.notification is not None and case.acte.publication is None:
        return case.acte.notification, "notification"
    return case.acte.publication, "publication"


def bundle_page(studio: Studio, request: Request) -> Response:
    """The Télérecours bundle: its checks, and the zip when they pass."""
    from requete import api
    from requete.errors import ValidationFailed

    ws = studio.workspace
    case = ws.filing(request.path_params["case"])
    allow_missing = bool(request.query_params.get("allow_missing"))
    draft = bool(request.query_params.get("draft"))
    session = api.load_case(case)
    try:
        found = api.bundle_checks(case, allow_missing=allow_missing, draft=draft)
    except ValidationFailed as failed:
        found = [p for p in failed.problems if p.severity == "error"]
    shown = [(p, studio.shown(p.path, session)) for p in found]
    return studio.page(
        "bundle.html",
        case=ws.relative(case),
        checks=problems_html(shown),
        passes=not any(p.severity == "error" for p in found),
        allow_missing=allow_missing,
        draft=draft,
        problems=None,
    )


def bundle_zip(studio: Studio, request: Request, form: dict[str, str]) -> Response:
    """Make the bundle in a scratch folder and send it as a zip (nothing written in DIR)."""
    from requete import api
    from requete.errors import ValidationFailed

    ws = studio.workspace
    case = ws.filing(request.path_params["case"])
    allow_missing = bool(form.get("allow_missing"))
    draft = bool(form.get("draft"))
    with tempfile.TemporaryDirectory(prefix="requete-studio-") as scratch:
        outdir = Path(scratch) / f"depot-{case.stem}"
        try:
            api.bundle(case, outdir, allow_missing=allow_missing, draft=draft)
        except ValidationFailed as failed:
            session = api.load_case(case)
            shown = [(p, studio.shown(p.path, session)) for p in failed.problems]
            return studio.page(
                "bundle.html",
                case=ws.relative(case),
                problems=problems_html(shown),
                allow_missing=allow_missing,
                draft=draft,
                status=422,
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(scratch).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(scratch).as_posix())
    return Response(
        buffer.getvalue(), media_type="application/zip", headers=_attachment(outdir.name + ".zip")
    )


# -- the matter -------------------------------------------------------------------------------


def matter_page(studio: Studio, request: Request) -> Response:
    """The matter's parties, act, facts and application parts, as a form."""
    case = studio.workspace.filing(request.path_params["case"])
    return studio.page("matter.html", **_matter_context(studio, case))


def _matter_context(
    studio: Studio,
    case: Path,
    typed: dict[str, str] | None = None,
    message: str | None = None,
    refused: list[Problem] | None = None,
) -> dict[str, Any]:
    from requete import api
    from requete.studio.matterform import matter_fields

    ws = studio.workspace
    session = api.load_case(case)
    matter = session.matter_path
    if matter is None or not ws.inside(matter):
        raise NotInWorkspace(
            "Le dossier n'a pas de fichier d'affaire dans le dossier du studio "
            "(`matter:` absent ou pris dans une autre bibliothèque)."
        )
    text, version = ws.read(matter)
    groups = matter_fields(edits.load(text))
    if typed:
        for group in groups:
            for item in group.fields:
                item.value = typed.get(item.name, item.value)
    return {
        "case": ws.relative(case),
        "matter": ws.relative(matter),
        "version": version,
        "groups": groups,
        "message": message,
        "refused": problems_html([(p, studio.shown(p.path, session)) for p in refused or []]),
    }


def matter_save(studio: Studio, request: Request, form: dict[str, str]) -> Response:
    """Write the fields changed into the matter file (checked, undone when it breaks)."""
    from requete import api
    from requete.studio.matterform import FieldError, changes_from

    ws = studio.workspace
    case = ws.filing(request.path_params["case"])
    session = api.load_case(case)
    matter = session.matter_path
    if matter is None or not ws.inside(matter):
        raise NotInWorkspace("Le fichier d'affaire n'est pas dans le dossier du studio.")
    text, _version = ws.read(matter)
    typed = {k: v for k, v in form.items() if k.startswith("f:")}
    try:
        changes = changes_from(edits.load(text), typed, dt.date.today())
        new = edits.set_fields(text, changes)
        ws.replace(matter, new, form.get("version", ""), _errors_of_filings(studio, matter, case))
    except FieldError as err:
        context = _matter_context(studio, case, typed, err.message)
        context["field_errors"] = err.errors
        return studio.page("matter.html", status=422, **context)
    except Refused as err:
        return studio.page(
            "matter.html",
            status=422,
            **_matter_context(studio, case, typed, err.message, err.problems),
        )
    except Conflict as err:
        return studio.page(
            "matter.html", status=409, **_matter_context(studio, case, typed, err.message)
        )
    return studio.page(
        "matter.html",
        **_matter_context(studio, case, message=f"{ws.relative(matter)} enregistré."),
    )


# -- a new matter -----------------------------------------------------------------------------


def _new_context(
    studio: Studio, form_values: dict[str, str], errors: dict[str, str], suggestion: str = ""
) -> dict[str, Any]:
    from requete import newmatter as nm
    from requete.studio.newform import APPLICANT_ROWS, fact_field, fact_needs, html_attributes

    library = nm.open_library(studio.workspace.root)
    procedure = form_values.get("procedure") or nm.default_procedure(library) or ""
    sets = nm.set_choices(library, procedure) if procedure in library.procedures.names() else []
    chosen = form_values.get("set") or (sets[0][0] if sets else "")
    if chosen not in {s for s, _n in sets}:
        chosen = sets[0][0] if sets else ""
    needs = fact_needs(library, procedure, chosen)
    values = dict(form_values)
    values.setdefault("procedure", procedure)
    values["set"] = chosen
    values.setdefault("filing_date", dt.date.today().strftime("%d/%m/%Y"))
    nature = values.get("act_nature", "").strip()
    return {
        "needs_gender": bool(nature) and nm.nature_gender(nature[:1].lower() + nature[1:]) is None,
        "suggestion": suggestion,
        "oob": False,
        "values": values,
        "errors": errors,
        "procedures": nm.procedure_choices(library),
        "needs_instance": bool(procedure) and nm.needs_instance(library, procedure),
        "asks_sommaire": bool(procedure) and nm.asks_sommaire(library, procedure),
        "sets": sets,
        "facts": [(fact_field(n), n) for n in needs],
        "kinds": nm.kind_labels(),
        "counsel_kinds": nm.counsel_kind_labels(),
        "rows": range(APPLICANT_ROWS),
        "attrs": html_attributes,
    }


def new_page(studio: Studio, request: Request) -> Response:
    """The form of a new matter."""
    return studio.page("new.html", **_new_context(studio, {}, {}))


def new_check(studio: Studio, request: Request, form: dict[str, str]) -> Response:
    """Live check of the form: the fields filled in and their errors, the sets of the
    procedure and the facts of the set (the form's variable part, swapped in place)."""
    from requete import newmatter as nm
    from requete.studio.newform import live_errors, read_form

    library = nm.open_library(studio.workspace.root)
    typed = dict(form)
    checked = read_form(form, library, studio.workspace.root, dt.date.today())
    suggestion = checked.values.get("directory", "") if not typed.get("directory") else ""
    context = _new_context(studio, typed, live_errors(checked), suggestion)
    trigger = request.headers.get("hx-trigger-name", "")
    names = ["procedure", "act_nature", "act_number", "act_author", "act_title", "act_date"]
    names += ["event_date", "counsel", "counsel_detail", "counsel_email", "filing_date", "place"]
    names.append("directory")
    names += [f"applicant{i}_{k}" for i in range(3) for k in ("name", "siege", "objet")]
    if trigger != "procedure":
        names += ["instance_number", "instance_date", "instance_procedure"]
    if trigger != "act_nature":
        names.append("act_gender")
    if trigger not in ("procedure", "set"):
        names += ["set"] + [name for name, _need in context["facts"]]
    context.update(oob=True, trigger=trigger, checked_fields=names)
    return studio.page("new_check.html", **context)


def new_create(studio: Studio, request: Request, form: dict[str, str]) -> Response:
    """Write the new matter (both files, checked, or nothing) and open its filing."""
    from requete import newmatter as nm
    from requete.studio.newform import read_form

    root = studio.workspace.root
    library = nm.open_library(root)
    checked = read_form(form, library, root, dt.date.today())
    if checked.answers is None:
        context = _new_context(studio, checked.values, checked.errors)
        context["message"] = (
            "Le formulaire contient des erreurs : elles sont indiquées à chaque champ."
        )
        return studio.page("new.html", status=422, **context)
    try:
        written = nm.create(checked.answers, library)
    except RequeteError as err:
        context = _new_context(studio, checked.values, {})
        context["message"] = err.message
        return studio.page("new.html", status=422, **context)
    target = _urlpath(studio.workspace.relative(written.case))
    return RedirectResponse(f"/dossier/{target}", status_code=303)


# -- review -----------------------------------------------------------------------------------


def review_page(studio: Studio, request: Request) -> Response:
    """Compare two drafts: uploaded, chosen in the folder, or built at two git revisions."""
    return studio.page("review.html", **_review_context(studio))


def _review_context(studio: Studio, **more: Any) -> dict[str, Any]:
    ws = studio.workspace
    filings = [f for folder in ws.folders() for f in folder.filings]
    return {
        "drafts": ws.docx_files(),
        "filings": filings,
        "git": (ws.root / ".git").exists() or _in_git(ws.root),
        **more,
    }


def _in_git(root: Path) -> bool:
    return any((parent / ".git").exists() for parent in root.parents)


async def review_run(studio: Studio, request: Request) -> Response:
    """The argument summary, the paragraph diff and a redline to download."""
    from starlette.concurrency import run_in_threadpool

    async with request.form(max_files=2, max_fields=20, max_part_size=MAX_UPLOAD) as form:
        sources: list[bytes | str | None] = []
        names: list[str] = []
        for side in ("old", "new"):
            upload = form.get(f"{side}_file")
            chosen = str(form.get(f"{side}_draft") or "")
            if isinstance(upload, UploadFile) and upload.filename:
                sources.append(await upload.read())
                names.append(upload.filename)
            elif chosen:
                sources.append(chosen)  # a draft of the folder, resolved in the worker
                names.append(chosen)
            else:
                sources.append(None)
                names.append("")
        fields = {k: str(v) for k, v in form.items() if not isinstance(v, UploadFile)}

    def work() -> Response:
        with studio.working():
            return _guarded(studio, request, lambda: _review(studio, sources, names, fields))

    return await run_in_threadpool(work)


def _review(
    studio: Studio, given: list[bytes | str | None], names: list[str], fields: dict[str, str]
) -> Response:
    from requete import api
    from requete.compare import build_at_revision, build_case
    from requete.review.report import render_html
    from requete.review.summary import argument_lines

    sources: list[bytes | Path | None] = [
        studio.workspace.path(s) if isinstance(s, str) else s for s in given
    ]

    if fields.get("case"):
        case = studio.workspace.filing(fields["case"])
        old_rev, new_rev = fields.get("old_rev", "").strip(), fields.get("new_rev", "").strip()
        for rev in (old_rev, new_rev):
            if rev and not REVISION.match(rev):
                return studio.page(
                    "review.html",
                    status=422,
                    **_review_context(studio, message=f"Révision git invalide : {rev!r}."),
                )
        if not old_rev:
            return studio.page(
                "review.html",
                status=422,
                **_review_context(
                    studio, message="Indiquez la révision git de l'ancienne version."
                ),
            )
        sources = [
            build_at_revision(case, old_rev),
            build_at_revision(case, new_rev) if new_rev else build_case(case),
        ]
        names = [
            f"{fields['case']} @ {old_rev}",
            f"{fields['case']} @ {new_rev or 'copie de travail'}",
        ]
    if any(s is None for s in sources):
        return studio.page(
            "review.html",
            status=422,
            **_review_context(studio, message="Choisissez ou déposez les deux projets à comparer."),
        )
    result = api.diff(sources[0], sources[1], names[0], names[1])  # type: ignore[arg-type]
    token = secrets.token_urlsafe(16)
    redline_error = None
    try:
        studio.redlines[token] = (
            Path(names[1]).stem + "-redline.docx",
            result.redline(author="requete studio"),
        )
        while len(studio.redlines) > MAX_REDLINES:
            studio.redlines.popitem(last=False)
    except RequeteError as err:
        token, redline_error = "", err.message
    return studio.page(
        "review_result.html",
        names=names,
        counts=result.diff.counts,
        arguments=argument_lines(result.diff),
        report=render_html(result.diff),
        token=token,
        redline_error=redline_error,
    )


def redline(studio: Studio, request: Request) -> Response:
    """A redline made by the review page."""
    found = studio.redlines.get(request.path_params["token"])
    if found is None:
        raise NotInWorkspace("Ce redline n'est plus disponible : relancez la comparaison.")
    name, data = found
    return Response(data, media_type=DOCX, headers=_attachment(name))


# -- the application --------------------------------------------------------------------------


def make_app(root: Path, port: int, max_upload: int = MAX_UPLOAD) -> Starlette:
    """The studio over ``root``, answering only as http://127.0.0.1:``port``."""
    studio = Studio(root)
    static = StaticFiles(packages=[("requete.studio", "static")])

    def page(fn: Callable[[Studio, Request], Response]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            from starlette.concurrency import run_in_threadpool

            def work() -> Response:
                with studio.working():
                    return _guarded(studio, request, lambda: fn(studio, request))

            return await run_in_threadpool(work)

        return endpoint

    def post(fn: Callable[[Studio, Request, dict[str, str]], Response]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            from starlette.concurrency import run_in_threadpool

            async with request.form(max_files=0, max_fields=200, max_part_size=1024 * 1024) as data:
                form = {k: str(v) for k, v in data.items()}

            def work() -> Response:
                with studio.working():
                    return _guarded(studio, request, lambda: fn(studio, request, form))

            return await run_in_threadpool(work)

        return endpoint

    async def review_endpoint(request: Request) -> Response:
        try:
            return await review_run(studio, request)
        except RequeteError as err:
            return _error_page(studio, request, err)

    routes = [
        Route("/", page(home)),
        Route("/nouveau", page(new_page), methods=["GET"]),
        Route("/nouveau", post(new_create), methods=["POST"]),
        Route("/nouveau/verifier", post(new_check), methods=["POST"]),
        Route("/comparer", page(review_page), methods=["GET"]),
        Route("/comparer", review_endpoint, methods=["POST"]),
        Route("/comparer/{token}/redline.docx", page(redline)),
        Route("/dossier/{case:path}/apercu", page(preview)),
        Route("/dossier/{case:path}/operation", post(operation), methods=["POST"]),
        Route("/dossier/{case:path}/affaire", page(matter_page), methods=["GET"]),
        Route("/dossier/{case:path}/affaire", post(matter_save), methods=["POST"]),
        Route("/dossier/{case:path}/docx", page(build_docx)),
        Route("/dossier/{case:path}/pdf", page(build_pdf)),
        Route("/dossier/{case:path}/delai", page(deadline)),
        Route("/dossier/{case:path}/depot", page(bundle_page), methods=["GET"]),
        Route("/dossier/{case:path}/depot", post(bundle_zip), methods=["POST"]),
        Route("/dossier/{case:path}", page(filing)),
        Mount("/static", static, name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        message = (
            "Cette page n'existe pas dans le studio."
            if status == 404
            else "Envoi refusé : trop de fichiers ou de champs, ou formulaire illisible."
            if status == 400
            else "Requête refusée."
        )
        return studio.page("error.html", status=status, message=message, where=None)

    app = Starlette(
        routes=routes, exception_handlers={404: not_found, 400: not_found, 405: not_found}
    )
    app.add_middleware(Guard, port=port, max_body=max_upload)
    return app


def _guarded(studio: Studio, request: Request, fn: Callable[[], Response]) -> Response:
    try:
        return fn()
    except RequeteError as err:
        return _error_page(studio, request, err)
    except Exception:  # a bug of the studio: said in French, the traceback in the terminal
        import traceback

        traceback.print_exc()
        return studio.page(
            "error_fragment.html" if _htmx(request) else "error.html",
            status=200 if _htmx(request) else 500,
            message="Erreur interne du studio : rien n'a été écrit. Le détail est affiché dans "
            "le terminal où le studio a été lancé ; signalez-le avec ce détail.",
            where=None,
        )


def _error_page(studio: Studio, request: Request, err: RequeteError) -> Response:
    status = 404 if isinstance(err, NotInWorkspace) else 422
    where = studio.shown(err.path) if err.path else None
    if where and err.line:
        where = f"{where}:{err.line}"
    template = "error_fragment.html" if _htmx(request) else "error.html"
    return studio.page(
        template, status=200 if _htmx(request) else status, message=err.message, where=where
    )
