"""The Word file as the firm receives it, after docxtpl has filled the template: counsel's
comments, placeholders that cannot be missed, French proofing, document properties, and the
typography and layout the template's own text and Word need (non-breaking hyphens in case
numbers, superscript ordinals, the signature kept with the conclusions).

Every step edits the python-docx document in place and is deterministic: the same filing gives
the same bytes (comments are dated with the filing, not with the clock)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from requete.document import Document
from requete.fields import Matched, R, T, run_text, split_run

LANG = "fr-FR"
AUTHOR = "requete"
# C-311/18, T-553/23, R. 522-3, L. 521-1, 2023-146: a line must not break at their hyphen.
_HYPHENATED = re.compile(
    r"\b[CT]-\d+/\d+\b|\b[A-Z]\.\s?\d+(?:-\d+)+\b|\b\d{4}-\d+\b|\bFoto-Frost\b"
)
_ORDINAL = re.compile(r"\b(1)(er|re)\b")
_NOS = re.compile(r"\b(n)(os)(?=\u00a0)")


def finish(
    doc: Any,
    document: Document,
    when: datetime,
    matched: Matched,
    comments: bool = True,
    draft: bool = False,
) -> None:
    """Every finishing step, in order; ``matched`` pairs the model's paragraphs with the
    Word paragraphs that show them (``fields.make_live``)."""
    body = doc.element.body
    _no_break_hyphens(body)
    _superscripts(body)
    _highlight_placeholders(body)
    _keep_signature_with_conclusions(doc, document)
    french_proofing(doc)
    if comments:
        add_comments(doc, document, when, matched)
    if draft:
        stamp_draft(doc)


def _isolate(run: Any, start: int, end: int) -> Any | None:
    """The run holding exactly [start, end) of ``run``'s text, split off it (``run`` keeps
    what comes before); None where a split would cut a non-text element."""
    if end < len(run_text(run)) and not split_run(run, end):
        return None
    if start == 0:
        return run
    return run.getnext() if split_run(run, start) else None


def _no_break_hyphens(body: Any) -> None:
    """C-311/18, R. 522-3, 2023-146: each hyphen becomes a ``w:noBreakHyphen`` beside the
    text, in the same run."""
    for t in list(body.iter(T)):
        text = t.text or ""
        cuts = [
            m.start() + i
            for m in _HYPHENATED.finditer(text)
            for i, c in enumerate(m.group())
            if c == "-"
        ]
        if not cuts:
            continue
        pieces = [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]
        t.text = pieces[0]
        t.set(qn("xml:space"), "preserve")
        anchor = t
        for piece in pieces[1:]:
            anchor.addnext(parse_xml(f"<w:noBreakHyphen {nsdecls('w')}/>"))
            anchor = anchor.getnext()
            if piece:
                after = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve"/>')
                after.text = piece
                anchor.addnext(after)
                anchor = after


def _superscripts(body: Any) -> None:
    """« 1er », « 1re » and the « os » of « nos » (pièces nos 1 et 4) as the French write
    them. One pass over the text elements finds the runs that can hold either (a « 1 » or
    an « os »); only those runs are read whole and matched."""
    candidates: dict[Any, None] = {}  # runs in document order, each once
    for t in body.iter(T):
        text = t.text
        if text and ("1" in text or "os" in text):
            run = t.getparent()
            if run is not None and run.tag == R:
                candidates[run] = None
    for run in candidates:
        text = run_text(run)
        matches = [m for pattern in (_ORDINAL, _NOS) for m in pattern.finditer(text)]
        for match in sorted(matches, key=lambda m: m.start(), reverse=True):  # last first
            suffix = _isolate(run, match.start(2), match.end(2))
            if suffix is not None:
                suffix.get_or_add_rPr().superscript = True


def _highlight_placeholders(body: Any) -> None:
    """A direct yellow highlight on every run of the « À compléter » style: LibreOffice does
    not take a highlight from a character style, Word does; both take it from the run."""
    for run in body.iter(R):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            continue
        style = rpr.find(qn("w:rStyle"))
        shading = rpr.find(qn("w:shd"))
        if (style is None or style.get(qn("w:val")) != "ACompleter") and shading is None:
            continue
        if shading is not None:  # docxtpl writes its "highlight" as shading
            rpr.remove(shading)
        rpr.highlight_val = WD_COLOR_INDEX.YELLOW


def _keep_signature_with_conclusions(doc: Any, document: Document) -> None:
    """The last conclusion, « Fait à … » and the signature stay on one page."""
    from docx.text.paragraph import Paragraph

    wanted = document.place_date.strip()
    paragraphs = list(doc.element.body.iterchildren(qn("w:p")))
    # the text of w:t only (no field codes), from the end: the tables that follow are long
    index = next(
        (
            i
            for i in range(len(paragraphs) - 1, -1, -1)
            if "".join(t.text or "" for t in paragraphs[i].iter(T)).strip() == wanted
        ),
        None,
    )
    if index is None:
        return
    for element in paragraphs[max(0, index - 1) : index + 1]:
        Paragraph(element, doc.part).paragraph_format.keep_with_next = True


def french_proofing(doc: Any) -> None:
    """fr-FR on the defaults and on every style; no « already proofread » flag; French list
    and decimal separators."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}/>")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            rpr_default.append(rpr)
        _set_lang(rpr)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) not in ("paragraph", "character"):
            continue
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            style.append(rpr)
        _set_lang(rpr)
    settings = doc.settings.element
    for name in ("proofState",):
        for element in settings.findall(qn(f"w:{name}")):
            settings.remove(element)
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANG)
    for name, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        element = settings.find(qn(f"w:{name}"))
        if element is not None:
            element.set(qn("w:val"), value)


def _set_lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # python-docx has no accessor for w:lang: put it in schema order
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)


def add_comments(doc: Any, document: Document, when: datetime, matched: Matched) -> None:
    """Each block's comment, anchored on the block's first paragraph in the Word file."""
    if not document.comments:
        return
    first_of: dict[str, Any] = {}
    for model, element in matched:
        if model.block:
            first_of.setdefault(model.block, element)
    word = {p._p: p for p in doc.paragraphs}
    for comment in document.comments:
        element = first_of.get(comment.block)
        paragraph = word.get(element) if element is not None else None
        if paragraph is None or not paragraph.runs:
            continue
        first, *rest = comment.paragraphs
        made = doc.add_comment(paragraph.runs, text=first, author=AUTHOR, initials="rq")
        for text in rest:
            made.add_paragraph(text)
        made._comment_elm.date = when


def stamp_draft(doc: Any) -> None:
    """« PROJET » at the top of every page: the header of every section."""
    for section in doc.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.text = ""
        run = paragraph.add_run("PROJET — document de travail, ne pas déposer")
        run.bold = True
        paragraph.alignment = 1  # centred


def document_properties(doc: Any, document: Document, author: str | None) -> None:
    """Core properties from the case: title, subject, author, language; none of
    python-docx's defaults."""
    props = doc.core_properties
    props.title = _fit(document.title)
    props.subject = _fit(" ".join("".join(r.text for r in document.contre).split()))
    props.author = props.last_modified_by = author or AUTHOR
    props.language = LANG
    props.keywords = ""
    props.category = "Conseil d'État"
    props.comments = ""
    props.content_status = "Projet"
    _app_properties(doc)


def _fit(text: str, limit: int = 255) -> str:
    """A core property within Word's 255 characters: cut at a word, marked « … »."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>requete</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def _app_properties(doc: Any) -> None:
    """docProps/app.xml without python-docx's « Microsoft Macintosh Word », Normal.dotm,
    Pages 1, Words 0: the word processor counts pages when it saves."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _APP.encode("utf-8")
