"""The Word file as the firm receives it, after docxtpl has filled the template: counsel's
comments, placeholders that cannot be missed, French proofing, document properties, and the
typography and layout the template's own text and Word need (non-breaking hyphens in case
numbers, superscript ordinals, the signature kept with the conclusions).

Every step edits the python-docx document in place and is deterministic: the same filing gives
the same bytes (comments are dated with the filing, not with the clock)."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from requete.document import Document, Paragraph

LANG = "fr-FR"
AUTHOR = "requete"
HIGHLIGHT = "yellow"
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
    comments: bool = True,
    draft: bool = False,
) -> None:
    """Every finishing step, in order."""
    from requete.export.typography import fix_typography

    body = doc.element.body
    _typography(body, fix_typography)
    _no_break_hyphens(body)
    _superscripts(body)
    _highlight_placeholders(doc)
    _keep_signature_with_conclusions(doc, document)
    french_proofing(doc)
    if comments:
        add_comments(doc, document, when)
    if draft:
        stamp_draft(doc)


def _texts(element: Any) -> list[Any]:
    return list(element.iter(qn("w:t")))


def _typography(body: Any, fix: Any) -> None:
    """The template's and the frame's own text (« CONSEIL D'ÉTAT », POUR, table headings,
    authority groups) gets the pass the blocks get; the pass is idempotent."""
    for t in _texts(body):
        if t.text:
            fixed = fix(t.text)
            if fixed != t.text:
                t.text = fixed


def _split_run(t: Any, pieces: list[tuple[str, str]]) -> None:
    """Replace the run holding ``w:t`` by runs of the same formatting built from (kind, text)
    pieces: ``text`` a ``w:t``, ``nbh`` a ``w:noBreakHyphen``, ``sup`` a superscript run.
    Only a run whose content is that one ``w:t`` is split (the runs docxtpl writes)."""
    run = t.getparent()
    if run is None or run.tag != qn("w:r"):
        return
    if [c for c in run if c.tag != qn("w:rPr")] != [t]:
        return
    rpr = run.find(qn("w:rPr"))

    def new_run(superscript: bool = False) -> Any:
        made = parse_xml(f"<w:r {nsdecls('w')}/>")
        props = copy.deepcopy(rpr) if rpr is not None else None
        if superscript:
            if props is None:
                props = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            props.append(parse_xml(f'<w:vertAlign {nsdecls("w")} w:val="superscript"/>'))
            _order_rpr(props)
        if props is not None:
            made.append(props)
        return made

    runs = [new_run()]
    for kind, text in pieces:
        if kind == "sup":
            sup = new_run(superscript=True)
            sup.append(_t(text))
            runs += [sup, new_run()]
        elif kind == "nbh":
            runs[-1].append(parse_xml(f"<w:noBreakHyphen {nsdecls('w')}/>"))
        else:
            runs[-1].append(_t(text))
    anchor = run
    for made in runs:
        if len([c for c in made if c.tag != qn("w:rPr")]):
            anchor.addnext(made)
            anchor = made
    run.getparent().remove(run)


def _t(text: str) -> Any:
    t = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve"/>')
    t.text = text
    return t


def _no_break_hyphens(body: Any) -> None:
    for t in _texts(body):
        text = t.text or ""
        if "-" not in text or not _HYPHENATED.search(text):
            continue
        pieces: list[tuple[str, str]] = []
        last = 0
        for match in _HYPHENATED.finditer(text):
            pieces.append(("text", text[last : match.start()]))
            for i, part in enumerate(match.group().split("-")):
                if i:
                    pieces.append(("nbh", ""))
                pieces.append(("text", part))
            last = match.end()
        pieces.append(("text", text[last:]))
        _split_run(t, [(k, v) for k, v in pieces if k == "nbh" or v])


def _superscripts(body: Any) -> None:
    """« 1er », « 1re » and « nos » (pièces nos 1 et 4) as the French write them."""
    for t in _texts(body):
        text = t.text or ""
        if not (_ORDINAL.search(text) or _NOS.search(text)):
            continue
        pieces: list[tuple[str, str]] = []
        last = 0
        matches = sorted([*_ORDINAL.finditer(text), *_NOS.finditer(text)], key=lambda m: m.start())
        for match in matches:
            pieces.append(("text", text[last : match.end(1)]))
            pieces.append(("sup", match.group(2)))
            last = match.end()
        pieces.append(("text", text[last:]))
        _split_run(t, [(k, v) for k, v in pieces if v])


def _highlight_placeholders(doc: Any) -> None:
    """A direct yellow highlight on every run of the « À compléter » style: LibreOffice does
    not take a highlight from a character style, Word does; both take it from the run."""
    for run in doc.element.body.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            continue
        style = rpr.find(qn("w:rStyle"))
        shading = rpr.find(qn("w:shd"))
        if (style is None or style.get(qn("w:val")) != "ACompleter") and shading is None:
            continue
        if shading is not None:  # docxtpl writes its "highlight" as shading
            rpr.remove(shading)
        if rpr.find(qn("w:highlight")) is None:
            rpr.append(parse_xml(f'<w:highlight {nsdecls("w")} w:val="{HIGHLIGHT}"/>'))
        _order_rpr(rpr)


# The schema order of w:rPr children (ECMA-376 §17.3.2.28): Word refuses others.
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
]  # fmt: skip


def _order_rpr(rpr: Any) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_RPR_ORDER)}
    children = sorted(rpr, key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        rpr.append(child)


def _keep_signature_with_conclusions(doc: Any, document: Document) -> None:
    """The last conclusion, « Fait à … » and the signature stay on one page."""
    paragraphs = doc.paragraphs
    place = next((p for p in paragraphs if p.text.strip() == document.place_date.strip()), None)
    if place is None:
        return
    index = paragraphs.index(place)
    for paragraph in paragraphs[max(0, index - 1) : index + 1]:
        paragraph.paragraph_format.keep_with_next = True


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
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    _order_rpr(rpr)


def add_comments(doc: Any, document: Document, when: datetime) -> None:
    """Each block's comment, anchored on the block's first paragraph in the Word file."""
    if not document.comments:
        return
    anchors = _block_paragraphs(doc, document)
    for comment in document.comments:
        paragraph = anchors.get(comment.block)
        if paragraph is None or not paragraph.runs:
            continue
        first, *rest = comment.paragraphs
        made = doc.add_comment(paragraph.runs, text=first, author=AUTHOR, initials="rq")
        for text in rest:
            made.add_paragraph(text)
        made._comment_elm.date = when


def _block_paragraphs(doc: Any, document: Document) -> dict[str, Any]:
    """The Word paragraph where each block starts: the model's paragraphs appear in the Word
    file in the same order, so a forward scan matches each on its text (a heading whose
    number Word prints from a list carries only its title)."""
    wanted: list[Paragraph] = []
    seen: set[str] = set()
    for paragraph in document.body + document.conclusions:
        if paragraph.block and paragraph.block not in seen:
            seen.add(paragraph.block)
            wanted.append(paragraph)
    out: dict[str, Any] = {}
    words = doc.paragraphs
    texts = [_plain(p.text) for p in words]  # read once: python-docx builds text per call
    position = 0
    for paragraph in wanted:
        target = _plain(paragraph.text)
        for index in range(position, len(words)):
            text = texts[index]
            if text and (text == target or target.endswith(text)):
                out[paragraph.block or ""] = words[index]
                position = index + 1
                break
    return out


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


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
