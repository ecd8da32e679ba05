"""The only docxtpl import: Document -> .docx bytes, deterministic, manifest embedded."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time
from typing import Any

from requete.document import Document, Paragraph, Run
from requete.errors import RenderError
from requete.i18n import _
from requete.sandbox import LimitExceeded, template_budget, template_environment
from requete.word import document_properties, finish

MAX_TEMPLATE_BYTES = 20_000_000
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def render_docx(
    document: Document,
    template: bytes,
    created: datetime | None = None,
    author: str | None = None,
    comments: bool = True,
    draft: bool = False,
) -> bytes:
    """Fill the Word template with the document: the .docx bytes, with fixed dates (core
    properties and zip entries), so that the same input gives the same bytes."""
    from requete.ooxml.package import write_package

    parts = render_parts(document, template, created, author, comments, draft)
    return write_package((name, data, zipfile.ZIP_DEFLATED) for name, data in parts.items())


def render_parts(
    document: Document,
    template: bytes,
    created: datetime | None = None,
    author: str | None = None,
    comments: bool = True,
    draft: bool = False,
) -> dict[str, bytes]:
    """Fill the Word template with the document: each entry of the package, in order,
    ready to be zipped once (``build`` adds its manifest before it writes)."""
    from docxtpl import DocxTemplate, RichText

    _check_template(template)
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        styles = {style.style_id for style in tpl.get_docx().styles}
        rich = _Rich(RichText, styles)
        with template_budget():
            tpl.render(_context(document, rich), jinja_env=template_environment(), autoescape=True)
    except RenderError:
        raise
    except (LimitExceeded, RecursionError) as err:
        raise RenderError(
            _("the Word template's Jinja is refused: {reason} (see docs/security.md)").format(
                reason=_reason(err)
            )
        ) from None
    except Exception as err:  # docxtpl raises bare Jinja and lxml errors
        raise RenderError(
            _("cannot fill the Word template: {reason}; check its Jinja tags").format(
                reason=_reason(err)
            )
        ) from None
    from requete.fields import make_live  # live numbers, bookmarks and fields

    matched = make_live(tpl.docx, document)
    _set_properties(tpl, document, created, author)
    finish(tpl.docx, document, created or _EPOCH, matched, comments, draft)
    return package_parts(tpl.docx)


class _Collector:
    """Stands for python-docx's zip writer: keeps each entry instead of compressing it."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def write(self, uri: Any, blob: bytes) -> None:
        self.parts[uri.membername] = blob


def package_parts(docx_document: Any) -> dict[str, bytes]:
    """The entries python-docx would zip for ``docx_document`` (content types, package
    relationships, then each part and its relationships), without zipping them."""
    from docx.opc.pkgwriter import PackageWriter as _Writer

    writer: Any = _Writer  # its three steps, without the zip it would open
    package = docx_document.part.package
    parts = list(package.iter_parts())
    collector = _Collector()
    try:
        writer._write_content_types_stream(collector, parts)
        writer._write_pkg_rels(collector, package.rels)
        writer._write_parts(collector, parts)
    except AttributeError:  # pragma: no cover - another python-docx: zip it, then read it
        from requete.ooxml.package import open_package

        buffer = io.BytesIO()
        docx_document.save(buffer)
        opened = open_package(buffer.getvalue(), "<generated document>")
        return {name: opened.read(name) or b"" for name in opened.names()}
    return collector.parts


def _check_template(template: bytes) -> None:
    """Refuse an oversized, non-zip or bomb template from its zip directory, before docxtpl
    inflates anything (declared sizes, ratios, methods: ooxml/package.py)."""
    from requete.ooxml.package import check_zip
    from requete.templates import MAX_UNPACKED

    if len(template) > MAX_TEMPLATE_BYTES or not zipfile.is_zipfile(io.BytesIO(template)):
        raise RenderError(
            _("the Word template is not a .docx; regenerate it or pick another `template:`")
        )
    check_zip(template, None, RenderError, MAX_UNPACKED)


def _reason(err: Exception) -> str:
    line = getattr(err, "lineno", None)
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return (
        _("{message} (template line {line})").format(message=message, line=line)
        if line
        else message
    )


class _Rich:
    """Builds docxtpl RichText, using the template's character styles when it has them."""

    def __init__(self, rich_text: Any, styles: set[str]):
        self.rich_text = rich_text
        self.case_style = "NomDecision" if "NomDecision" in styles else None
        self.todo_style = "ACompleter" if "ACompleter" in styles else None

    def __call__(self, runs: tuple[Run, ...] = ()) -> Any:
        rt = self.rich_text()
        for run in runs:
            if run.todo:
                if self.todo_style:
                    rt.add(run.text, style=self.todo_style)
                else:
                    rt.add(run.text, bold=True, highlight="yellow")
            elif run.italic and self.case_style:
                rt.add(run.text, style=self.case_style, bold=run.bold or None)
            else:
                rt.add(run.text, italic=run.italic or None, bold=run.bold or None)
        return rt


def _rich(runs: tuple[Run, ...], rich: Any) -> Any:
    return rich(runs)


def _item(paragraph: Paragraph, rich_text: Any) -> dict[str, Any]:
    return {"kind": paragraph.kind, "rt": _rich(paragraph.runs, rich_text)}


def _context(document: Document, rich_text: Any) -> dict[str, Any]:
    head, _, tail = document.conclusions_intro.partition(",")
    intro = rich_text((Run(head, bold=True), Run("," + tail)))
    groups: dict[str, list[dict[str, Any]]] = {}
    for authority in document.authorities:
        entry = authority.runs + (Run(" — " + authority.places),)
        groups.setdefault(authority.group, []).append({"rt": _rich(entry, rich_text)})
    pieces = []
    for item in document.pieces:
        runs: list[Run] = [Run(f"Pièce n°\u00a0{item.number}\u00a0: {item.label}")]
        if item.file is None:  # a pièce the matter lists but nobody has yet (statuts, Kbis…)
            runs.append(Run(" (à produire)", todo=True))
        if not item.referenced:
            runs.append(Run(" (non citée dans le texte)", todo=True))
        pieces.append({"rt": _rich(tuple(runs), rich_text)})
    return {
        "title": document.title,
        "mention": document.mention,
        "docket": document.docket,
        "subtitles": [s for s in document.subtitles if s.strip()],
        "soutien": _rich(document.soutien, rich_text) if document.soutien else None,
        "parties": [_rich(p, rich_text) for p in document.parties],
        "counsel": _rich(document.counsel, rich_text),
        "contre": _rich(document.contre, rich_text),
        "body": [_item(p, rich_text) for p in document.body],
        "conclusions_intro": intro,
        "conclusions": [_item(p, rich_text) for p in document.conclusions],
        "place_date": document.place_date,
        "signature": _rich(document.signature, rich_text),
        "authorities": [{"name": name, "entries": entries} for name, entries in groups.items()],
        "pieces": pieces,
    }


def _set_properties(
    tpl: Any, document: Document, created: datetime | None, author: str | None
) -> None:
    props = tpl.docx.core_properties
    stamp = created or _EPOCH
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    document_properties(tpl.docx, document, author)


def filing_datetime(day: Any) -> datetime:
    """Core-property timestamp for a filing date: midnight UTC that day (deterministic)."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)
