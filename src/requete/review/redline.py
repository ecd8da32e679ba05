"""The redline: the new draft's package with every difference as a native tracked change,
in every story (body, notes, comments, headers, footers, text boxes)."""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Final

from lxml import etree

from requete.ooxml.names import (
    ALTERNATE,
    BODY,
    CHOICE,
    DEL,
    FALLBACK,
    INS,
    MATH,
    NOISE,
    SECT_PR,
    TBL,
    TC,
    TR,
    TXBX,
    P,
    w,
)
from requete.ooxml.package import Package
from requete.ooxml.text import text_boxes
from requete.review.diff import Change, DraftDiff
from requete.review.importer import Importer, Output
from requete.review.marks import Marker, format_differs, rebuild_changed
from requete.review.tables import TableMap, cell_of
from requete.review.words import Segment

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
        writer = _Writer(diff, story.changes, story.tables, out, story.new.part, marker, container)
        writer.write(story.new.container)
        if story.kind == "textbox":
            _sync_fallback(container)
    main = diff.new.package.main
    marker.adopt = importer.adopter(diff.old.package.main, main)
    source = diff.new.root.find(BODY)
    assert source is not None
    body = out.mirror(main, diff.new.root).find(BODY)
    assert body is not None
    _Writer(diff, diff.changes, diff.tables, out, main, marker, body).write(source)
    dropped = NOISE - {
        w(f"{kind}Range{end}") for kind in ("moveFrom", "moveTo") for end in ("Start", "End")
    }
    for root in out.trees():
        for el in list(root.iter(*dropped)):  # proofing marks: the moves are ours
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
    """Walks the comparison of one story in reading order and edits its copy: paragraphs
    inserted, changed and deleted where they were; table rows of the old draft only put
    back as deleted rows, rows of the new draft only marked inserted."""

    def __init__(
        self,
        diff: DraftDiff,
        changes: list[Change],
        tables: TableMap,
        out: Output,
        part: str,
        marker: Marker,
        container: etree._Element,
    ):
        self.diff = diff
        self.changes = changes
        self.tables = tables
        self.out = out
        self.part = part
        self.marker = marker
        self.container = container
        self.cursor: dict[etree._Element, etree._Element] = {}  # new cell → last placed
        self.done: set[etree._Element] = set()  # old tables already put back whole
        self.moves = _tracked_moves(changes)  # move number → its name, for w:moveFrom/To
        self.moved: dict[etree._Element, str] = {}  # old paragraph → name of its move

    def mirror(self, el: etree._Element) -> etree._Element:
        return self.out.mirror(self.part, el)

    def write(self, source: etree._Element) -> None:
        """Edit the copy of the story whose new draft's container is source."""
        pending: list[etree._Element] = []  # old blocks waiting for the next new paragraph
        previous: etree._Element | None = None
        for change in self.changes:
            if change.status == "deleted":
                assert change.old is not None and change.old.element is not None
                if change.move in self.moves:
                    self.moved[change.old.element] = self.moves[change.move]
                block = self._unit(change.old.element)
                if block is not None:
                    pending.append(block)
                continue
            assert change.new is not None and change.new.element is not None
            current = self.mirror(change.new.element)
            self._place(pending, previous, current)
            pending = []
            if change.status == "inserted" and change.move in self.moves:
                self.marker.moved_to(current, self.moves[change.move])
            elif change.status == "inserted":
                self.marker.insert_paragraph(current)
            elif change.status == "changed" and change.old is not None:
                rebuild_changed(current, change.old.element, change.segments, self.marker)
            elif (
                change.old is not None
                and change.old.element is not None
                and format_differs(change.old.element, current)
            ):  # the same text, formatted otherwise
                whole = (Segment("equal", change.new.key),)
                rebuild_changed(current, change.old.element, whole, self.marker)
            if change.new.cell:
                cell = cell_of(change.new.element)
                if cell is not None:
                    self.cursor[self.mirror(cell)] = current
            previous = current
        self._place(pending, previous, None)
        self._rows(self._new_tables(source))

    def _unit(self, p: etree._Element) -> etree._Element | None:
        """What a deleted old paragraph brings back: itself, placed now in the cell that
        continues its cell (None: done here), or the outermost old table that nothing
        continues (at story level: a block to place; in a cell: placed now); None as well
        when a deleted row will bring it back."""
        unit = p
        while True:
            cell = cell_of(unit)
            if cell is None:
                if unit in self.done:
                    return None
                if unit.tag == TBL:
                    self.done.add(unit)
                return unit
            row = cell.getparent()
            table = row.getparent() if row is not None else None
            if table is None or table not in self.tables.tables:
                unit = table if table is not None else cell
                continue
            if row not in self.tables.rows:
                return None  # the row comes back whole
            if unit in self.done:
                return None
            if unit.tag == TBL:
                self.done.add(unit)
            target = self.tables.cells.get(cell)
            if target is None:  # a cell merged away: into the first cell of the row
                target = next(self.tables.rows[row].iterchildren(TC))
            self._into_cell(self._block(unit), self.mirror(target))
            return None

    def _block(self, unit: etree._Element) -> etree._Element:
        if unit.tag == TBL:
            return self._deleted_table(unit)
        if unit in self.moved:
            return self.marker.moved_from(unit, self.moved[unit])
        return self.marker.deleted_paragraph(unit)

    def _into_cell(self, block: etree._Element, cell: etree._Element) -> None:
        last = self.cursor.get(cell)
        if last is not None:
            last.addnext(block)
        else:
            props = cell.find(w("tcPr"))
            cell.insert(0 if props is None else cell.index(props) + 1, block)
        self.cursor[cell] = block

    def _new_tables(self, source: etree._Element) -> list[etree._Element]:
        """The tables of the story (not of a text box in it) that continue no old table."""
        paired = set(self.tables.tables.values())
        out = []
        for table in source.iter(TBL):
            story = next(table.iterancestors(*_STORY_TAGS), None)
            if table not in paired and (story is source or story is None):
                out.append(table)
        return out

    def _rows(self, new_tables: list[etree._Element]) -> None:
        """Old rows back as deleted rows; new rows (and new tables) marked inserted."""
        for old_table, new_table in self.tables.tables.items():
            if old_table in self.done:
                continue
            target = self.mirror(new_table)
            for tr in self.tables.inserted_rows(new_table):
                self.marker.mark_row(self.mirror(tr), INS)
            following: etree._Element | None = None
            for tr in reversed(list(old_table.iterchildren(TR))):
                if tr in self.tables.rows:
                    following = self.mirror(self.tables.rows[tr])
                    continue
                copy = self._deleted_row(tr)
                if following is not None:
                    following.addprevious(copy)
                else:
                    target.append(copy)
                following = copy
        for table in new_tables:
            for tr in table.iterchildren(TR):
                self.marker.mark_row(self.mirror(tr), INS)

    def _place(
        self,
        pending: list[etree._Element],
        before: etree._Element | None,
        after: etree._Element | None,
    ) -> None:
        """Put deleted paragraphs (or whole deleted tables) between two new paragraphs."""
        if not pending:
            return
        blocks = [self._block(unit) for unit in pending]
        top_level = any(unit.tag == TBL or cell_of(unit) is None for unit in pending)
        prev, nxt = before, after
        apart = prev is None or nxt is None or self._top(prev) is not self._top(nxt)
        anchor: etree._Element
        if top_level and nxt is not None and apart:
            anchor, mode = self._top_or_self(nxt), "before"
        elif top_level and prev is not None and apart:
            anchor, mode = self._top_or_self(prev), "after"
        elif nxt is not None:
            anchor, mode = nxt, "before"
        elif prev is not None:
            anchor, mode = prev, "after"
        else:
            anchor, mode = self._end(), "before"
        for block in blocks:
            if mode == "before":
                anchor.addprevious(block)
            else:
                anchor.addnext(block)
                anchor = block

    def _deleted_row(self, tr: etree._Element) -> etree._Element:
        copy = deepcopy(tr)
        self._delete_inside(copy)
        self.marker.mark_row(copy, DEL)
        return copy

    def _deleted_table(self, table: etree._Element) -> etree._Element:
        copy = deepcopy(table)
        self._delete_inside(copy)
        style = copy.find(f"{w('tblPr')}/{w('tblStyle')}")
        if style is not None and style.get(
            w("val")
        ) not in self.marker.paragraph_styles | _table_styles(self.diff):
            style.getparent().remove(style)
        return copy

    def _delete_inside(self, copy: etree._Element) -> None:
        for p in list(copy.iter(P)):
            p.addprevious(self.marker.deleted_paragraph(p))
            p.getparent().remove(p)
        for tr in copy.iter(TR):
            if tr is not copy:
                self.marker.mark_row(tr, DEL)

    def _end(self) -> etree._Element:
        """Where deleted content goes in a story left empty: before the body's section
        properties, or in a new last paragraph of the story."""
        sect = self.container.find(SECT_PR) if self.container.tag == BODY else None
        if sect is None:
            sect = etree.SubElement(self.container, P)
        return sect

    def _top(self, el: etree._Element | None) -> etree._Element | None:
        """The block directly in the story's container (paragraph, table, content control)
        holding el."""
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


def _tracked_moves(changes: list[Change]) -> dict[int | None, str]:
    """Moves shown as Word moves (w:moveFrom / w:moveTo): a paragraph moved unchanged,
    outside tables, without equations; others are a deletion and an insertion."""
    out: dict[int | None, str] = {}
    for change in changes:
        if change.status != "inserted" or change.move is None or change.segments:
            continue
        old, new = change.old, change.new
        if old is None or new is None or old.cell or new.cell:
            continue
        if any(True for _ in old.element.iter(*MATH)) if old.element is not None else True:
            continue
        out[change.move] = f"requete-move-{change.move + 1}"
    return out


_STORY_TAGS: Final = frozenset(
    {BODY, TXBX, w("footnote"), w("endnote"), w("comment"), w("hdr"), w("ftr")}
)


def _table_styles(diff: DraftDiff) -> set[str]:
    root = diff.new.package.xml("word/styles.xml")
    if root is None:
        return set()
    return {s.get(w("styleId"), "") for s in root.iter(w("style")) if s.get(w("type")) == "table"}
