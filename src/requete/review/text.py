"""The text model: a document body read in order as paragraphs and table cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from requete.errors import DocxError
from requete.review.numbering import Numbering
from requete.review.ooxml import BODY, NUMPR, PPR, PSTYLE, SDT, SDT_CONTENT, TBL, TC, TR, VAL, P, w
from requete.review.package import DOCUMENT, NOT_DOCX, Package, Source, open_package
from requete.review.revisions import accept_all
from requete.review.runs import paragraph_text
from requete.review.styles import StyleSheet

Kind = Literal["heading", "paragraph", "cell"]


@dataclass(frozen=True)
class Item:
    """One paragraph of the body or of a table cell, as currently shown."""

    index: int
    text: str
    style: str
    level: int | None = None
    number: str | None = None
    body_index: int | None = None
    cell: tuple[int, int, int] | None = None
    element: etree._Element | None = field(default=None, compare=False, repr=False)
    row: etree._Element | None = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> Kind:
        """Heading, table cell or ordinary paragraph."""
        if self.level is not None:
            return "heading"
        return "cell" if self.cell else "paragraph"

    @property
    def where(self) -> str:
        """Where a reader finds it: "¶ 12", "table 1, row 2, cell 3"."""
        if self.cell:
            return "table {}, row {}, cell {}".format(*self.cell)
        return f"¶ {self.number.rstrip('.')}" if self.number else f"paragraph {self.index + 1}"


@dataclass
class Draft:
    """A .docx read for review: its package, its body with changes accepted, its items."""

    label: str
    package: Package
    root: etree._Element
    styles: StyleSheet
    items: list[Item]

    def visible(self) -> list[Item]:
        """Items with visible text (blank paragraphs are layout, not content)."""
        return [item for item in self.items if item.text.strip()]


def read_draft(source: Source, label: str | None = None) -> Draft:
    """Read a .docx (path or bytes) as shown with its tracked changes accepted."""
    package = open_package(source, label)
    root = package.xml(DOCUMENT)
    if root is None or root.find(BODY) is None:
        raise DocxError(f"{NOT_DOCX}: {DOCUMENT} has no w:body", path=package.label)
    accept_all(root)
    styles = StyleSheet(package.xml("word/styles.xml"))
    items = extract_items(root, styles, Numbering(package.xml("word/numbering.xml")))
    return Draft(package.label, package, root, styles, items)


def extract_items(root: etree._Element, styles: StyleSheet, numbering: Numbering) -> list[Item]:
    """Every paragraph of the body in reading order, tables row by row."""
    reader = _Reader(styles, numbering)
    body = root.find(BODY)
    if body is not None:
        reader.block(body, top=True)
    return reader.items


class _Reader:
    def __init__(self, styles: StyleSheet, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.items: list[Item] = []
        self.tables = 0
        self.body_paragraphs = 0

    def block(
        self,
        parent: etree._Element,
        top: bool = False,
        cell: tuple[int, int, int] | None = None,
        row: etree._Element | None = None,
    ) -> None:
        for child in parent:
            if child.tag == P:
                body_index = self.body_paragraphs if top else None
                if top:
                    self.body_paragraphs += 1
                self.paragraph(child, body_index, cell, row)
            elif child.tag == TBL:
                self.table(child)
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.block(content, cell=cell, row=row)
            elif child.tag == w("customXml"):
                self.block(child, cell=cell, row=row)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        for r, tr in enumerate(tbl.iterchildren(TR), start=1):
            for c, tc in enumerate(tr.iterchildren(TC), start=1):
                self.block(tc, cell=(number, r, c), row=tr)

    def paragraph(
        self,
        p: etree._Element,
        body_index: int | None,
        cell: tuple[int, int, int] | None,
        row: etree._Element | None,
    ) -> None:
        ppr = p.find(PPR)
        style_id = _child_val(ppr, PSTYLE)
        level = _outline(ppr)
        if level is None:
            level = self.styles.heading_level(style_id)
        item = Item(
            index=len(self.items),
            text=paragraph_text(p),
            style=self.styles.name(style_id),
            level=level,
            number=self._number(ppr, style_id),
            body_index=body_index,
            cell=cell,
            element=p,
            row=row,
        )
        self.items.append(item)

    def _number(self, ppr: etree._Element | None, style_id: str | None) -> str | None:
        num = ppr.find(NUMPR) if ppr is not None else None
        style_num, style_ilvl = self.styles.numbering(style_id)
        num_id = _child_val(num, w("numId")) if num is not None else None
        ilvl_text = _child_val(num, w("ilvl")) if num is not None else None
        num_id = num_id if num_id is not None else style_num
        if num_id is None:
            return None
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else style_ilvl
        if ilvl is None:
            ilvl = self.numbering.level_of_style(num_id, style_id) or 0
        return self.numbering.advance(num_id, ilvl)


def body_texts(root: etree._Element) -> list[str]:
    """The text of every paragraph in the same order as :func:`extract_items`, fast."""
    texts: list[str] = []
    body = root.find(BODY)
    if body is not None:
        _collect_texts(body, texts)
    return texts


def _collect_texts(parent: etree._Element, texts: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if tag == P:
            texts.append(paragraph_text(child))
        elif tag == TBL:
            for tr in child.iterchildren(TR):
                for tc in tr.iterchildren(TC):
                    _collect_texts(tc, texts)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _collect_texts(content, texts)
        elif tag == w("customXml"):
            _collect_texts(child, texts)


def _child_val(parent: etree._Element | None, tag: str) -> str | None:
    el = parent.find(tag) if parent is not None else None
    return None if el is None else el.get(VAL)


def _outline(ppr: etree._Element | None) -> int | None:
    value = _child_val(ppr, w("outlineLvl"))
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else None


def format_text(items: list[Item]) -> str:
    """Plain text for reading or a git textconv: one paragraph a line, headings marked."""
    lines = []
    for item in items:
        if not item.text.strip():
            continue
        prefix = f"[T{item.cell[0]}R{item.cell[1]}C{item.cell[2]}] " if item.cell else ""
        if item.level is not None:
            prefix += "#" * item.level + " "
        if item.number:
            prefix += item.number + " "
        lines.append(prefix + item.text)
    return "\n\n".join(lines) + ("\n" if lines else "")


def document_text(source: Source, label: str | None = None) -> str:
    """The document as plain text (see :func:`format_text`)."""
    return format_text(read_draft(source, label).items)
