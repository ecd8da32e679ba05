"""The redline: the new draft's package with every difference as a native tracked change."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from copy import deepcopy
from typing import Final

from lxml import etree

from requete.review.diff import Change, DraftDiff
from requete.review.marks import Marker, rebuild_changed
from requete.review.ooxml import (
    BODY,
    CT_NS,
    DEL,
    INS,
    NOISE,
    PKG_REL_NS,
    SECT_PR,
    TBL,
    TC,
    TR,
    P,
    w,
)
from requete.review.package import DOCUMENT, Package, parse_xml, serialise, write_package
from requete.review.text import Item

DEFAULT_DATE: Final = "2000-01-01T00:00:00Z"
_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_COMMENT_PARTS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")


def build_redline(diff: DraftDiff, author: str = "requete", date: str | None = None) -> bytes:
    """A .docx showing old → new as tracked changes (moves as deletion + insertion)."""
    when = date or modified_date(diff.new.package) or DEFAULT_DATE
    root = deepcopy(diff.new.root)
    position = {p: k for k, p in enumerate(diff.new.root.iter(P))}
    copies = list(root.iter(P))

    def mirror(item: Item) -> etree._Element:
        return copies[position[item.element]]

    marker = _marker(diff, author, when)
    _Writer(diff, mirror, marker, root).write()
    for el in list(root.iter(*NOISE)):
        el.getparent().remove(el)
    return _package(diff.new.package, serialise(root))


def modified_date(package: Package) -> str | None:
    """The dcterms:modified date of the package, if it has a well-formed one."""
    core = package.xml("docProps/core.xml")
    el = None if core is None else core.find("{http://purl.org/dc/terms/}modified")
    text = (el.text or "").strip() if el is not None else ""
    return text if _DATE.match(text) else None


def _marker(diff: DraftDiff, author: str, date: str) -> Marker:
    numbering = diff.new.package.xml("word/numbering.xml")
    num_ids = (
        set() if numbering is None else {n.get(w("numId"), "") for n in numbering.iter(w("num"))}
    )
    styles = diff.new.styles
    return Marker(author, date, set(styles.styles), styles.character, num_ids)


class _Writer:
    """Walks the comparison in reading order and edits the copy of the new body."""

    def __init__(
        self,
        diff: DraftDiff,
        mirror: Callable[[Item], etree._Element],
        marker: Marker,
        root: etree._Element,
    ):
        self.diff = diff
        self.mirror = mirror
        self.marker = marker
        self.body = root.find(BODY)
        old_tables = [_top(i.element) for i in diff.old.visible() if i.cell]
        self.old_table_sizes = Counter(old_tables)

    def write(self) -> None:
        pending: list[Change] = []
        previous: etree._Element | None = None
        inserted_rows: Counter[etree._Element] = Counter()
        for change in self.diff.changes:
            if change.status == "deleted":
                pending.append(change)
                continue
            assert change.new is not None
            current = self.mirror(change.new)
            self._place(pending, previous, current)
            pending = []
            if change.status == "inserted":
                self.marker.insert_paragraph(current)
                if change.new and change.new.cell:
                    inserted_rows[_row(current)] += 1
            elif change.status == "changed" and change.old is not None:
                rebuild_changed(current, change.old.element, change.segments, self.marker)
            previous = current
        self._place(pending, previous, None)
        self._mark_rows(inserted_rows)

    def _mark_rows(self, inserted: Counter[etree._Element]) -> None:
        visible = Counter(_row(self.mirror(i)) for i in self.diff.new.visible() if i.cell)
        for row, count in inserted.items():
            if row is not None and count == visible[row]:
                self.marker.mark_row(row, INS)

    def _place(
        self, pending: list[Change], before: etree._Element | None, after: etree._Element | None
    ) -> None:
        """Put deleted paragraphs (or whole deleted tables) between two new paragraphs."""
        if not pending:
            return
        blocks = self._deleted_blocks(pending)
        body_level = any(block.tag == TBL for block, _ in blocks)
        body_level = body_level or any(c.old is not None and not c.old.cell for c in pending)
        prev, nxt = before, after
        anchor: etree._Element
        if body_level and nxt is not None and (prev is None or _top(prev) is not _top(nxt)):
            anchor, mode = _top_or_self(nxt), "before"
        elif body_level and prev is not None and (nxt is None or _top(prev) is not _top(nxt)):
            anchor, mode = _top_or_self(prev), "after"
        elif nxt is not None:
            anchor, mode = nxt, "before"
        elif prev is not None:
            anchor, mode = prev, "after"
        else:
            anchor, mode = self._body_end(), "before"
        for block, _ in blocks:
            if mode == "before":
                anchor.addprevious(block)
            else:
                anchor.addnext(block)
                anchor = block

    def _deleted_blocks(self, pending: list[Change]) -> list[tuple[etree._Element, int]]:
        blocks: list[tuple[etree._Element, int]] = []
        index = 0
        while index < len(pending):
            item = pending[index].old
            assert item is not None and item.element is not None
            table = _top(item.element) if item.cell else None
            size = self.old_table_sizes.get(table, 0) if table is not None else 0
            run = pending[index : index + size]
            if (
                size
                and all(c.old and c.old.cell and _top(c.old.element) is table for c in run)
                and len(run) == size
            ):
                blocks.append((self._deleted_table(table), size))
                index += size
            else:
                blocks.append((self.marker.deleted_paragraph(item.element), 1))
                index += 1
        return blocks

    def _deleted_table(self, table: etree._Element) -> etree._Element:
        copy = deepcopy(table)
        for p in list(copy.iter(P)):
            p.addprevious(self.marker.deleted_paragraph(p))
            p.getparent().remove(p)
        for tr in copy.iter(TR):
            self.marker.mark_row(tr, DEL)
        style = copy.find(f"{w('tblPr')}/{w('tblStyle')}")
        if style is not None and style.get(
            w("val")
        ) not in self.marker.paragraph_styles | _table_styles(self.diff):
            style.getparent().remove(style)
        return copy

    def _body_end(self) -> etree._Element:
        assert self.body is not None
        sect = self.body.find(SECT_PR)
        if sect is None:
            sect = etree.SubElement(self.body, P)
        return sect


def _table_styles(diff: DraftDiff) -> set[str]:
    root = diff.new.package.xml("word/styles.xml")
    if root is None:
        return set()
    return {s.get(w("styleId"), "") for s in root.iter(w("style")) if s.get(w("type")) == "table"}


def _top(el: etree._Element | None) -> etree._Element | None:
    """The body-level block (paragraph, table, content control) holding el."""
    current = el
    while current is not None:
        parent = current.getparent()
        if parent is None or parent.tag == BODY:
            return current
        current = parent
    return None


def _top_or_self(el: etree._Element) -> etree._Element:
    top = _top(el)
    return el if top is None else top


def _row(p: etree._Element) -> etree._Element | None:
    for ancestor in p.iterancestors(TR, TC):
        if ancestor.tag == TR:
            return ancestor
    return None


def _package(package: Package, document: bytes) -> bytes:
    """The new package with the redline body, comments removed (they are not compared).
    Entries are read one at a time (memory: one entry plus the output); unsafe names were
    already dropped by open_package and are never copied."""
    drop = {f"word/{name}.xml" for name in _COMMENT_PARTS}

    def entries() -> Iterator[tuple[str, bytes, int]]:
        for info in package.infos:
            name = info.filename
            if name in drop:
                continue
            if name == DOCUMENT:
                yield name, document, info.compress_type
                continue
            data = package.read(name) or b""
            if name == "word/_rels/document.xml.rels":
                data = _drop_targets(data, package.label, drop)
            elif name == "[Content_Types].xml":
                data = _drop_overrides(data, package.label, drop)
            yield name, data, info.compress_type

    return write_package(entries())


def _drop_targets(data: bytes, label: str, drop: set[str]) -> bytes:
    root = parse_xml(data, label)
    for rel in root.findall(f"{{{PKG_REL_NS}}}Relationship"):
        if f"word/{rel.get('Target', '').lstrip('/').removeprefix('word/')}" in drop:
            root.remove(rel)
    return serialise(root)


def _drop_overrides(data: bytes, label: str, drop: set[str]) -> bytes:
    root = parse_xml(data, label)
    for override in root.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") in drop:
            root.remove(override)
    return serialise(root)
