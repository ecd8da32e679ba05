"""The redline: the new draft's package with every difference as a native tracked change,
in every story (body, notes, comments, headers, footers, text boxes)."""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from typing import Final

from lxml import etree

from requete.review.diff import Change, DraftDiff
from requete.review.importer import Importer, Output
from requete.review.marks import Marker, rebuild_changed
from requete.review.ooxml import (
    ALTERNATE,
    BODY,
    CHOICE,
    DEL,
    FALLBACK,
    INS,
    NOISE,
    SECT_PR,
    TBL,
    TC,
    TR,
    TXBX,
    P,
    w,
)
from requete.review.package import Package
from requete.review.text import Item, text_boxes

DEFAULT_DATE: Final = "2000-01-01T00:00:00Z"
_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def build_redline(diff: DraftDiff, author: str = "requete", date: str | None = None) -> bytes:
    """A .docx showing old → new as tracked changes (moves as deletion + insertion)."""
    when = date or modified_date(diff.new.package) or DEFAULT_DATE
    out = Output(diff.new.package, diff.new.parts)
    marker = _marker(diff, author, when)
    importer = Importer(diff.old, out, marker)
    done: set[int] = set()
    # Deepest stories first: a text box is redlined in place before the paragraph holding
    # it is rebuilt (which copies it), and the body comes last.
    for story in reversed(diff.stories):
        if story.new is None:
            continue  # a story of the old draft only: adopted with the anchor deleting it
        container = out.mirror(story.new.part, story.new.container)
        if id(container) in done:
            continue  # a header shared by several sections
        done.add(id(container))
        marker.adopt = importer.adopter(story.old.part if story.old else "", story.new.part)
        _Writer(diff, story.changes, out, story.new.part, marker, container).write()
        if story.kind == "textbox":
            _sync_fallback(container)
    main = diff.new.package.main
    marker.adopt = importer.adopter(diff.old.package.main, main)
    body = out.mirror(main, diff.new.root).find(BODY)
    assert body is not None
    _Writer(diff, diff.changes, out, main, marker, body).write()
    for root in out.trees():
        for el in list(root.iter(*NOISE)):
            el.getparent().remove(el)
    return out.write()


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


def _sync_fallback(box: etree._Element) -> None:
    """Give the VML fallback of a redlined text box the same content as its mc:Choice, or
    drop the fallback when the two do not match box for box."""
    choice = next((a for a in box.iterancestors(CHOICE)), None)
    alternate = choice.getparent() if choice is not None else None
    if alternate is None or alternate.tag != ALTERNATE:
        return
    fallback = alternate.find(FALLBACK)
    if fallback is None:
        return
    assert choice is not None
    drawing = [c for c in choice if isinstance(c.tag, str)]
    shown = [b for el in drawing for b in text_boxes(el)]
    old = [b for el in fallback for b in text_boxes(el)] if fallback is not None else []
    if len(shown) != len(old):
        alternate.remove(fallback)
        return
    for mine, theirs in zip(shown, old, strict=True):
        theirs.getparent().replace(theirs, deepcopy(mine))


class _Writer:
    """Walks the comparison of one story in reading order and edits its copy."""

    def __init__(
        self,
        diff: DraftDiff,
        changes: list[Change],
        out: Output,
        part: str,
        marker: Marker,
        container: etree._Element,
    ):
        self.diff = diff
        self.changes = changes
        self.out = out
        self.part = part
        self.marker = marker
        self.container = container
        old_tables = [self._top(c.old.element) for c in changes if c.old is not None and c.old.cell]
        self.old_table_sizes = Counter(old_tables)
        self.touched_rows: set[etree._Element] = set()  # rows that received old content

    def mirror(self, item: Item) -> etree._Element:
        assert item.element is not None
        return self.out.mirror(self.part, item.element)

    def write(self) -> None:
        pending: list[Change] = []
        previous: etree._Element | None = None
        inserted_rows: Counter[etree._Element] = Counter()
        visible_rows: Counter[etree._Element] = Counter()
        for change in self.changes:
            if change.status == "deleted":
                pending.append(change)
                continue
            assert change.new is not None
            current = self.mirror(change.new)
            if change.new.cell:
                visible_rows[_row(current)] += 1
            self._place(pending, previous, current)
            pending = []
            if change.status == "inserted":
                self.marker.insert_paragraph(current)
                if change.new.cell:
                    inserted_rows[_row(current)] += 1
            elif change.status == "changed" and change.old is not None:
                rebuild_changed(current, change.old.element, change.segments, self.marker)
            previous = current
        self._place(pending, previous, None)
        for row, count in inserted_rows.items():
            if row is not None and count == visible_rows[row] and row not in self.touched_rows:
                self.marker.mark_row(row, INS)

    def _place(
        self, pending: list[Change], before: etree._Element | None, after: etree._Element | None
    ) -> None:
        """Put deleted paragraphs (or whole deleted tables) between two new paragraphs."""
        if not pending:
            return
        blocks = self._deleted_blocks(pending)
        top_level = any(block.tag == TBL for block, _ in blocks)
        top_level = top_level or any(c.old is not None and not c.old.cell for c in pending)
        prev, nxt = before, after
        anchor: etree._Element
        if (
            top_level
            and nxt is not None
            and (prev is None or self._top(prev) is not self._top(nxt))
        ):
            anchor, mode = self._top_or_self(nxt), "before"
        elif (
            top_level
            and prev is not None
            and (nxt is None or self._top(prev) is not self._top(nxt))
        ):
            anchor, mode = self._top_or_self(prev), "after"
        elif nxt is not None:
            anchor, mode = nxt, "before"
        elif prev is not None:
            anchor, mode = prev, "after"
        else:
            anchor, mode = self._end(), "before"
        for block, _ in blocks:
            if mode == "before":
                anchor.addprevious(block)
            else:
                anchor.addnext(block)
                anchor = block
            row = _row(block)
            if row is not None:
                self.touched_rows.add(row)

    def _deleted_blocks(self, pending: list[Change]) -> list[tuple[etree._Element, int]]:
        blocks: list[tuple[etree._Element, int]] = []
        index = 0
        while index < len(pending):
            item = pending[index].old
            assert item is not None and item.element is not None
            table = self._top(item.element) if item.cell else None
            size = self.old_table_sizes.get(table, 0) if table is not None else 0
            run = pending[index : index + size]
            if (
                size
                and all(c.old and c.old.cell and self._top(c.old.element) is table for c in run)
                and len(run) == size
            ):
                assert table is not None
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

    def _end(self) -> etree._Element:
        """Where deleted content goes in a story left empty: before the body's section
        properties, or in a new last paragraph of the story."""
        sect = self.container.find(SECT_PR) if self.container.tag == BODY else None
        if sect is None:
            sect = etree.SubElement(self.container, P)
        return sect

    def _top(self, el: etree._Element | None) -> etree._Element | None:
        """The block directly in the story's container (paragraph, table, content control)
        holding el; for an old element, the one directly in its own story."""
        current = el
        while current is not None:
            parent = current.getparent()
            if parent is None or parent is self.container or parent.tag in _STORY_TAGS:
                return current
            current = parent
        return None

    def _top_or_self(self, el: etree._Element) -> etree._Element:
        top = self._top(el)
        return el if top is None else top


_STORY_TAGS: Final = frozenset(
    {BODY, TXBX, w("footnote"), w("endnote"), w("comment"), w("hdr"), w("ftr")}
)


def _table_styles(diff: DraftDiff) -> set[str]:
    root = diff.new.package.xml("word/styles.xml")
    if root is None:
        return set()
    return {s.get(w("styleId"), "") for s in root.iter(w("style")) if s.get(w("type")) == "table"}


def _row(p: etree._Element) -> etree._Element | None:
    for ancestor in p.iterancestors(TR, TC):
        if ancestor.tag == TR:
            return ancestor
    return None
