"""Tables compared as tables: old and new tables paired, their rows paired, cells matched by
column, so that a redline deletes and inserts whole rows and keeps text in its cell.

A paragraph paired across the structure (from one cell to another, or from outside a table
into one) cannot be a single change in Word: it becomes a deletion and an insertion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from requete.ooxml.names import BODY, TBL, TC, TR, TXBX, VAL, w
from requete.review.align import _longest_increasing

_GRID_SPAN = w("gridSpan")
# Where a story starts: a cell outside it is not the paragraph's cell.
_STORIES = (TXBX, BODY, w("footnote"), w("endnote"), w("comment"), w("hdr"), w("ftr"))


@dataclass
class TableMap:
    """Which old table, row and cell became which new one (original tree elements)."""

    tables: dict[etree._Element, etree._Element] = field(default_factory=dict)
    rows: dict[etree._Element, etree._Element] = field(default_factory=dict)
    cells: dict[etree._Element, etree._Element] = field(default_factory=dict)
    new_rows: set[etree._Element] = field(default_factory=set)  # rows that are paired

    def deleted_rows(self, table: etree._Element) -> list[etree._Element]:
        """Rows of a paired old table that no new row continues, in order."""
        return [tr for tr in table.iterchildren(TR) if tr not in self.rows]

    def inserted_rows(self, table: etree._Element) -> list[etree._Element]:
        """Rows of a paired new table that continue no old row."""
        return [tr for tr in table.iterchildren(TR) if tr not in self.new_rows]


def cell_of(p: etree._Element | None) -> etree._Element | None:
    """The table cell directly holding a paragraph (nearest w:tc), or None."""
    if p is None:
        return None
    for ancestor in p.iterancestors(TC, TBL, *_STORIES):
        return ancestor if ancestor.tag == TC else None
    return None


def map_tables(links: list[tuple[etree._Element, etree._Element]]) -> TableMap:
    """Pair tables, rows and cells from the paragraphs the comparison kept or changed
    (``links``: old paragraph, new paragraph)."""
    result = TableMap()
    row_links: Counter[tuple[etree._Element, etree._Element]] = Counter()
    for old_p, new_p in links:
        old_cell, new_cell = cell_of(old_p), cell_of(new_p)
        if old_cell is not None and new_cell is not None:
            row_links[(old_cell.getparent(), new_cell.getparent())] += 1
    table_links: Counter[tuple[etree._Element, etree._Element]] = Counter()
    for (old_row, new_row), count in row_links.items():
        table_links[(old_row.getparent(), new_row.getparent())] += count
    taken: set[etree._Element] = set()
    for (old_table, new_table), _ in table_links.most_common():
        if old_table not in result.tables and new_table not in taken:
            result.tables[old_table] = new_table
            taken.add(new_table)
    for old_table, new_table in result.tables.items():
        _pair_rows(old_table, new_table, row_links, result)
    return result


def _pair_rows(
    old_table: etree._Element,
    new_table: etree._Element,
    links: Counter[tuple[etree._Element, etree._Element]],
    result: TableMap,
) -> None:
    old_rows = list(old_table.iterchildren(TR))
    new_rows = list(new_table.iterchildren(TR))
    new_index = {tr: j for j, tr in enumerate(new_rows)}
    best: dict[int, tuple[int, int]] = {}
    for (old_row, new_row), count in links.items():
        if old_row.getparent() is not old_table or new_row.getparent() is not new_table:
            continue
        i, j = old_rows.index(old_row), new_index[new_row]
        if i not in best or count > best[i][1]:
            best[i] = (j, count)
    anchors = _longest_increasing(sorted((i, j) for i, (j, _) in best.items()))
    pairs = list(anchors)
    bounds = [(-1, -1), *anchors, (len(old_rows), len(new_rows))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        if i1 - i0 == j1 - j0 and i1 - i0 > 1:  # as many rows on each side: row by row
            pairs.extend((i0 + k, j0 + k) for k in range(1, i1 - i0))
    for i, j in pairs:
        old_row, new_row = old_rows[i], new_rows[j]
        result.rows[old_row] = new_row
        result.new_rows.add(new_row)
        _pair_cells(old_row, new_row, result)


def _pair_cells(old_row: etree._Element, new_row: etree._Element, result: TableMap) -> None:
    """Cells matched by the grid column they start at."""
    by_column = dict(_columns(new_row))
    for column, tc in _columns(old_row):
        match = by_column.get(column)
        if match is not None:
            result.cells[tc] = match


def _columns(row: etree._Element) -> list[tuple[int, etree._Element]]:
    out = []
    column = 0
    for tc in row.iterchildren(TC):
        out.append((column, tc))
        span = tc.find(f"{w('tcPr')}/{_GRID_SPAN}")
        value = span.get(VAL) if span is not None else None
        column += int(value) if value and value.isdigit() else 1
    return out
