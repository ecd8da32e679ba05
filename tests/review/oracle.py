"""An independent oracle for Word redlines: accept or reject tracked changes, then read the text.

This module deliberately imports nothing from requete: it is a second, separate reading of
WordprocessingML (ECMA-376 part 1, §17.13 "Annotations" for revisions) written with lxml only,
so that a bug shared with the engine cannot hide itself.

* :func:`accept` / :func:`reject` apply every tracked change of one part in place.
* :func:`stories` lists every visible paragraph of a package, one string each, story-prefixed.
* :func:`formatting` lists body paragraphs with their style and the direct formatting of runs.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Literal, TypeAlias

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"

Mode: TypeAlias = Literal["accept", "reject", "asis"]
Element: TypeAlias = etree._Element

FOOTNOTE_MARK = "⁽ᶠ⁾"
ENDNOTE_MARK = "⁽ᵉ⁾"
OBJECT_MARK = "⟦obj⟧"
ROW_MARK = "‖row‖"


def w(local: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{local}"


def m(local: str) -> str:
    """The Clark name of an Office Math element."""
    return f"{{{M}}}{local}"


def mc(local: str) -> str:
    """The Clark name of a markup-compatibility element."""
    return f"{{{MC}}}{local}"


# Elements that are revision *markers* (empty, or holding properties only) when they sit in
# these parents; anywhere else w:ins / w:del / w:moveFrom / w:moveTo wrap revised content.
MARKER_PARENTS = {w("rPr"), w("trPr"), w("numPr"), m("ctrlPr")}
REVISION_WRAPPERS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}
MOVE_RANGE_MARKS = {
    w("moveFromRangeStart"),
    w("moveFromRangeEnd"),
    w("moveToRangeStart"),
    w("moveToRangeEnd"),
}
# Property-change records (§17.13.5) and, for rejecting, which children of the parent properties
# are *not* covered by the old properties they hold and so must be kept.
PROPERTY_CHANGES: dict[str, set[str]] = {
    w("rPrChange"): {w("ins"), w("del"), w("moveFrom"), w("moveTo")},
    w("pPrChange"): {w("rPr"), w("sectPr")},
    w("sectPrChange"): {w("headerReference"), w("footerReference")},
    w("tblPrChange"): set(),
    w("trPrChange"): {w("ins"), w("del")},
    w("tcPrChange"): {w("cellIns"), w("cellDel"), w("cellMerge")},
    w("tblGridChange"): set(),
    w("tblPrExChange"): set(),
}


# --------------------------------------------------------------------------------------------
# Accept / reject
# --------------------------------------------------------------------------------------------


def _is_marker(el: Element) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag in MARKER_PARENTS


def _remove(el: Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _unwrap(el: Element) -> None:
    """Replace an element by its children."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _next_paragraph(p: Element) -> Element | None:
    """The paragraph a paragraph would merge into when its mark goes: the next block sibling."""
    sibling = p.getnext()
    while sibling is not None:
        if sibling.tag == w("p"):
            return sibling
        if sibling.tag == w("sdt"):
            content = sibling.find(w("sdtContent"))
            first = content[0] if content is not None and len(content) else None
            while first is not None and first.tag not in (w("p"), w("tbl"), w("sdt")):
                first = first.getnext()
            return first if first is not None and first.tag == w("p") else None
        if sibling.tag in (w("tbl"), w("sectPr")):
            return None
        sibling = sibling.getnext()  # bookmarks, comment ranges, other non-block markup
    return None


def _merge_into_next(p: Element) -> None:
    """Move a paragraph's content to the start of the next paragraph, which keeps its own pPr."""
    target = _next_paragraph(p)
    if target is None:
        return
    content = [child for child in p if child.tag != w("pPr")]
    anchor = 1 if len(target) and target[0].tag == w("pPr") else 0
    for offset, child in enumerate(content):
        target.insert(anchor + offset, child)
    _remove(p)


def _paragraph_mark_revised(p: Element, kinds: tuple[str, ...]) -> bool:
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    return rpr is not None and any(rpr.find(kind) is not None for kind in kinds)


def _apply(root: Element, keep_insertions: bool) -> None:
    """Accept (keep_insertions) or reject every revision of the tree in place."""
    dropped = (w("del"), w("moveFrom")) if keep_insertions else (w("ins"), w("moveTo"))

    if not keep_insertions:
        for el in list(root.iter(w("delText"))):
            el.tag = w("t")
        for el in list(root.iter(w("delInstrText"))):
            el.tag = w("instrText")

    # 1. Revised content: drop one side, unwrap the other.
    for el in list(root.iter(*REVISION_WRAPPERS)):
        if _is_marker(el):
            continue
        if el.tag in dropped:
            _remove(el)
        else:
            _unwrap(el)
    for el in list(root.iter(*MOVE_RANGE_MARKS)):
        _remove(el)

    # 2. Paragraph marks that go: the paragraph joins the next one (document order, so chains of
    #    several deleted marks end up in the last paragraph).
    for p in list(root.iter(w("p"))):
        if _paragraph_mark_revised(p, dropped):
            _merge_into_next(p)

    # 3. Rows and cells.
    row_dropped = dropped[0]
    for tr in list(root.iter(w("tr"))):
        trpr = tr.find(w("trPr"))
        if trpr is not None and trpr.find(row_dropped) is not None:
            _remove(tr)
    cell_dropped = w("cellDel") if keep_insertions else w("cellIns")
    for tc in list(root.iter(w("tc"))):
        tcpr = tc.find(w("tcPr"))
        if tcpr is not None and tcpr.find(cell_dropped) is not None:
            _remove(tc)
    for tr in list(root.iter(w("tr"))):
        if tr.find(f".//{w('tc')}") is None:
            _remove(tr)
    for tbl in list(root.iter(w("tbl"))):
        if tbl.find(f".//{w('tr')}") is None:
            _remove(tbl)

    # 4. The markers that remain are now settled.
    for el in list(root.iter(*REVISION_WRAPPERS, w("cellIns"), w("cellDel"))):
        if el.tag in (w("cellIns"), w("cellDel")) or _is_marker(el):
            _remove(el)

    # 5. Property changes: accept drops the record, reject restores the old properties.
    for el in list(root.iter(*PROPERTY_CHANGES, w("numberingChange"))):
        parent = el.getparent()
        if parent is None:
            continue
        if keep_insertions or el.tag == w("numberingChange"):
            parent.remove(el)
            continue
        old = next((child for child in el if isinstance(child.tag, str)), None)
        keep = [
            child for child in parent if child is not el and child.tag in PROPERTY_CHANGES[el.tag]
        ]
        restored = list(old) if old is not None else []
        for child in list(parent):
            parent.remove(child)
        ordered = keep + restored if el.tag == w("sectPrChange") else restored + keep
        for child in ordered:
            parent.append(child)


def accept(part_root: Element) -> None:
    """Accept every tracked change of a WordprocessingML part (document, notes, header...)."""
    _apply(part_root, keep_insertions=True)


def reject(part_root: Element) -> None:
    """Reject every tracked change of a WordprocessingML part, restoring the old properties."""
    _apply(part_root, keep_insertions=False)


# --------------------------------------------------------------------------------------------
# Reading the package
# --------------------------------------------------------------------------------------------


class Package:
    """The parts of a .docx that the stories need, parsed and accepted / rejected."""

    def __init__(self, data: bytes, mode: Mode) -> None:
        if mode not in ("accept", "reject", "asis"):
            raise ValueError(f"mode must be accept, reject or asis, not {mode!r}")
        self.mode = mode
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        self.main = self._main_part()
        self.rels = self._relationships(self.main)
        document = self.part(self.main)
        if document is None:
            raise ValueError(f"main part {self.main} missing")
        self.document: Element = document

    def _main_part(self) -> str:
        root = etree.fromstring(self.zip.read("_rels/.rels"))
        for rel in root.iter(f"{{{PR}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return str(rel.get("Target", "")).lstrip("/")
        raise ValueError("no officeDocument relationship in _rels/.rels")

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name not in self.names:
            return {}
        result: dict[str, tuple[str, str]] = {}
        for rel in etree.fromstring(self.zip.read(rels_name)).iter(f"{{{PR}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            result[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return result

    def part(self, name: str) -> Element | None:
        """A part parsed, with this package's mode applied, or None if absent."""
        if name not in self.names:
            return None
        root = etree.fromstring(self.zip.read(name))
        if self.mode == "accept":
            accept(root)
        elif self.mode == "reject":
            reject(root)
        return root

    def part_of_type(self, suffix: str) -> Element | None:
        """The part the main part relates to with a relationship type ending in /suffix."""
        for rel_type, path in self.rels.values():
            if rel_type.endswith("/" + suffix):
                return self.part(path)
        return None

    def part_by_id(self, rid: str) -> Element | None:
        """The part behind one relationship id of the main part."""
        if rid not in self.rels:
            return None
        return self.part(self.rels[rid][1])


def _visible_iter(el: Element, tag: str) -> Iterator[Element]:
    """Descendants with this tag in document order, never inside an mc:Fallback."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag == mc("Fallback"):
            continue
        if child.tag == tag:
            yield child
        yield from _visible_iter(child, tag)


def _choice(alternate: Element) -> Element | None:
    return alternate.find(mc("Choice"))


# --------------------------------------------------------------------------------------------
# Paragraph text
# --------------------------------------------------------------------------------------------

SKIPPED = {
    w("pPr"),
    w("rPr"),
    w("sdtPr"),
    w("sdtEndPr"),
    w("customXmlPr"),
    w("smartTagPr"),
    w("instrText"),
    w("delText"),
    w("delInstrText"),
    w("fldChar"),
    w("fldData"),
    w("commentReference"),
    w("footnoteRef"),
    w("endnoteRef"),
    w("annotationRef"),
    w("separator"),
    w("continuationSeparator"),
    w("lastRenderedPageBreak"),
    w("softHyphen"),
    w("proofErr"),
    w("permStart"),
    w("permEnd"),
    w("bookmarkStart"),
    w("bookmarkEnd"),
    w("commentRangeStart"),
    w("commentRangeEnd"),
    mc("Fallback"),
}
OBJECTS = {w("drawing"), w("pict"), w("object")}
MATHS = {m("oMath"), m("oMathPara")}


def _text_boxes(el: Element) -> Iterator[Element]:
    """The w:txbxContent of an object, reading mc:Choice only, not nested ones."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag == mc("Fallback"):
            continue
        if child.tag == w("txbxContent"):
            yield child
        elif child.tag == mc("AlternateContent"):
            choice = _choice(child)
            if choice is not None:
                yield from _text_boxes(choice)
        else:
            yield from _text_boxes(child)


def _inline(el: Element, out: list[str], boxes: list[Element]) -> None:
    """Append the text of a paragraph's content to out, and its text boxes to boxes."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == w("t"):
            out.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            out.append("\t")
        elif tag == w("br"):
            if child.get(w("type")) in (None, "textWrapping"):
                out.append("\n")
        elif tag == w("cr"):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == w("sym"):
            char = child.get(w("char"))
            if char:
                out.append(chr(int(char, 16)))
        elif tag == w("footnoteReference"):
            out.append(FOOTNOTE_MARK)
        elif tag == w("endnoteReference"):
            out.append(ENDNOTE_MARK)
        elif tag in OBJECTS:
            out.append(OBJECT_MARK)
            boxes.extend(_text_boxes(child))
        elif tag in MATHS:
            # An equation whose whole content was inserted (then rejected) or deleted (then
            # accepted) shows nothing: Word leaves no visible math zone.
            if any(
                isinstance(c.tag, str) and not c.tag.endswith("Pr")
                for c in child.iter()
                if c is not child and c.tag not in MATHS
            ):
                out.append("⟦math:" + "".join(t.text or "" for t in child.iter(m("t"))) + "⟧")
        elif tag == mc("AlternateContent"):
            choice = _choice(child)
            if choice is not None:
                _inline(choice, out, boxes)
        else:  # w:r, hyperlink, smartTag, fldSimple, customXml, dir, bdo, sdt, sdtContent...
            _inline(child, out, boxes)


def paragraph_text(p: Element) -> tuple[str, list[Element]]:
    """The text of one paragraph and the text boxes it anchors."""
    out: list[str] = []
    boxes: list[Element] = []
    _inline(p, out, boxes)
    return "".join(out), boxes


# --------------------------------------------------------------------------------------------
# Stories
# --------------------------------------------------------------------------------------------

BLOCK_WRAPPERS = {
    w("customXml"),
    w("sdtContent"),
    w("ins"),
    w("del"),
    w("moveTo"),
    w("moveFrom"),
    w("smartTag"),
}


def _rows(tbl: Element) -> Iterator[Element]:
    for child in tbl:
        if child.tag == w("tr"):
            yield child
        elif child.tag in (w("sdt"), w("customXml"), w("sdtContent")):
            yield from _rows(child.find(w("sdtContent")) if child.tag == w("sdt") else child)


def _cells(tr: Element) -> Iterator[Element]:
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag in (w("sdt"), w("customXml"), w("sdtContent")):
            yield from _cells(child.find(w("sdtContent")) if child.tag == w("sdt") else child)


def blocks(container: Element | None, prefix: str = "") -> list[str]:
    """The lines of a block container (body, cell, note, header, text box...), in order."""
    lines: list[str] = []
    if container is None:
        return lines
    for child in container:
        tag = child.tag
        if tag == w("p"):
            text, boxes = paragraph_text(child)
            if text.strip():
                lines.append(prefix + text)
            for box in boxes:
                lines.extend(blocks(box, prefix + "[tb] "))
        elif tag == w("tbl"):
            for tr in _rows(child):
                lines.append(prefix + ROW_MARK)
                for tc in _cells(tr):
                    lines.extend(blocks(tc, prefix))
        elif tag == w("sdt"):
            lines.extend(blocks(child.find(w("sdtContent")), prefix))
        elif tag in BLOCK_WRAPPERS:
            lines.extend(blocks(child, prefix))
        elif tag == mc("AlternateContent"):
            lines.extend(blocks(_choice(child), prefix))
    return lines


def _notes(
    pkg: Package, body: Element, reference: str, part: str, note: str, label: str
) -> list[str]:
    root = pkg.part_of_type(part)
    if root is None:
        return []
    by_id = {
        n.get(w("id")): n
        for n in root.iter(w(note))
        if n.get(w("type"), "normal")
        not in ("separator", "continuationSeparator", "continuationNotice")
    }
    order: list[str] = []
    for ref in _visible_iter(body, w(reference)):
        nid = ref.get(w("id"))
        if nid in by_id and nid not in order:
            order.append(nid)
    lines: list[str] = []
    for position, nid in enumerate(order, start=1):
        lines.extend(blocks(by_id[nid], f"[{label}{position}] "))
    return lines


def stories(docx_bytes: bytes, mode: Mode) -> list[str]:
    """Every visible paragraph of the document after accept / reject (or as is), story-prefixed.

    Body first (tables mark each row with ‖row‖), then footnotes ``[fn<n>]`` and endnotes
    ``[en<n>]`` in the order the body refers to them, comments ``[c<n>]`` likewise, then the
    headers and footers of each section ``[s<k> header-<type>]``; text boxes follow the
    paragraph anchoring them, prefixed ``[tb]``.  Empty paragraphs are left out.
    """
    pkg = Package(docx_bytes, mode)
    body = pkg.document.find(w("body"))
    if body is None:
        return []
    lines = blocks(body)
    lines += _notes(pkg, body, "footnoteReference", "footnotes", "footnote", "fn")
    lines += _notes(pkg, body, "endnoteReference", "endnotes", "endnote", "en")
    lines += _notes(pkg, body, "commentReference", "comments", "comment", "c")
    sections = [
        s for s in _visible_iter(body, w("sectPr")) if s.getparent().tag != w("sectPrChange")
    ]
    for k, sect in enumerate(sections, start=1):
        for ref in sect:
            if ref.tag not in (w("headerReference"), w("footerReference")):
                continue
            kind = "header" if ref.tag == w("headerReference") else "footer"
            root = pkg.part_by_id(ref.get(f"{{{R}}}id", ""))
            if root is not None:
                label = f"[s{k} {kind}-{ref.get(w('type'), 'default')}] "
                lines.extend(blocks(root, label))
    return lines


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------

Run = tuple[str, bool, bool, bool, bool, str | None]
Paragraph = tuple[str, str | None, tuple[Run, ...]]


def _on(rpr: Element | None, name: str) -> bool:
    """Whether a toggle property (w:b, w:i, w:strike...) is set directly on the run."""
    el = rpr.find(w(name)) if rpr is not None else None
    if el is None:
        return False
    value = str(el.get(w("val"), "true"))
    if name == "u":
        return value != "none"
    return value not in ("0", "false", "off")


def _runs(el: Element) -> Iterator[Element]:
    for child in el:
        if not isinstance(child.tag, str) or child.tag in SKIPPED or child.tag in OBJECTS:
            continue
        if child.tag == w("r"):
            yield child
        elif child.tag == mc("AlternateContent"):
            choice = _choice(child)
            if choice is not None:
                yield from _runs(choice)
        elif child.tag not in MATHS:
            yield from _runs(child)


def _body_paragraphs(container: Element | None) -> Iterator[Element]:
    if container is None:
        return
    for child in container:
        if child.tag == w("p"):
            yield child
        elif child.tag == w("tbl"):
            for tr in _rows(child):
                for tc in _cells(tr):
                    yield from _body_paragraphs(tc)
        elif child.tag == w("sdt"):
            yield from _body_paragraphs(child.find(w("sdtContent")))
        elif child.tag in BLOCK_WRAPPERS:
            yield from _body_paragraphs(child)


def formatting(docx_bytes: bytes, mode: Mode) -> list[Paragraph]:
    """Per non-empty body paragraph: (text, pStyle, runs), runs as (text, b, i, u, strike, rStyle).

    Only direct formatting is read (styles are not resolved); adjacent runs with the same
    formatting are merged, so that the way a producer splits runs does not matter.
    """
    pkg = Package(docx_bytes, mode)
    result: list[Paragraph] = []
    for p in _body_paragraphs(pkg.document.find(w("body"))):
        text, _ = paragraph_text(p)
        if not text.strip():
            continue
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        runs: list[Run] = []
        for r in _runs(p):
            out: list[str] = []
            _inline(r, out, [])
            run_text = "".join(out)
            if not run_text:
                continue
            rpr = r.find(w("rPr"))
            rstyle = rpr.find(w("rStyle")) if rpr is not None else None
            key = (
                _on(rpr, "b"),
                _on(rpr, "i"),
                _on(rpr, "u"),
                _on(rpr, "strike") or _on(rpr, "dstrike"),
                rstyle.get(w("val")) if rstyle is not None else None,
            )
            if runs and runs[-1][1:] == key:
                runs[-1] = (runs[-1][0] + run_text, *key)
            else:
                runs.append((run_text, *key))
        result.append((text, style.get(w("val")) if style is not None else None, tuple(runs)))
    return result
