"""Tracked-change markup: runs in w:ins / w:del, paragraph-mark and table-row marks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from copy import deepcopy

from lxml import etree

from requete.ooxml.names import (
    CONTAINERS,
    DEL,
    DEL_INSTR_TEXT,
    DEL_TEXT,
    INS,
    INSTR_TEXT,
    MATH,
    MATH_NS,
    MOVE_FROM,
    MOVE_TO,
    NUMPR,
    PPR,
    PSTYLE,
    RPR,
    RSTYLE,
    SDT,
    SDT_CONTENT,
    SECT_PR,
    TRPR,
    VAL,
    XML_NS,
    P,
    R,
    T,
    w,
)
from requete.ooxml.runs import Piece, paragraph_pieces
from requete.review.words import Segment

Chunk = tuple[str, etree._Element | None]
Bit = tuple[str, etree._Element | None, etree._Element | None]
"""Text with its run properties, or (token, None, object) for an object a reader sees."""
_BREAKS = re.compile("([\t\n])")
OMATH = f"{{{MATH_NS}}}oMath"


def _same(el: etree._Element) -> etree._Element:
    return el


class Marker:
    """Makes w:ins / w:del elements with one author, one date and unique ids."""

    def __init__(
        self,
        author: str,
        date: str,
        paragraph_styles: set[str],
        character_styles: set[str],
        num_ids: set[str],
    ):
        self.author = author
        self.date = date
        self.ids = itertools.count(1)
        self.paragraph_styles = paragraph_styles
        self.character_styles = character_styles
        self.num_ids = num_ids
        # Brings an object of the old draft (a picture, a note anchor) into the part being
        # written: its relationships, note and drawing ids made valid there.
        self.adopt: Callable[[etree._Element], etree._Element] = _same
        # Parts of the paragraph being rebuilt that came from inside a hyperlink or field.
        self.chains: dict[etree._Element, tuple[etree._Element, ...]] = {}

    def change(self, tag: str) -> etree._Element:
        """An empty w:ins or w:del carrying id, author and date."""
        el = etree.Element(tag)
        el.set(w("id"), str(next(self.ids)))
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        return el

    def mark_paragraph(self, p: etree._Element, tag: str) -> None:
        """Record the paragraph mark itself as inserted or deleted."""
        ppr = p.find(PPR)
        if ppr is None:
            ppr = etree.Element(PPR)
            p.insert(0, ppr)
        rpr = ppr.find(RPR)
        if rpr is None:
            rpr = etree.Element(RPR)
            tail = ppr.find(SECT_PR)
            if tail is None:
                tail = ppr.find(w("pPrChange"))
            if tail is not None:
                tail.addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.change(tag))

    def mark_row(self, tr: etree._Element, tag: str) -> None:
        """Record a whole table row as inserted or deleted."""
        trpr = tr.find(TRPR)
        if trpr is None:
            trpr = etree.Element(TRPR)
            prex = tr.find(w("tblPrEx"))
            tr.insert(0 if prex is None else tr.index(prex) + 1, trpr)
        trpr.append(self.change(tag))

    def insert_paragraph(self, p: etree._Element) -> None:
        """Mark every run and the mark of a paragraph that exists only in the new draft."""
        _wrap_runs(p, self, INS)
        for math in [c for c in p if c.tag in MATH]:
            self.mark_math(math, INS)
        self.mark_paragraph(p, INS)

    def delete_in_place(self, p: etree._Element) -> None:
        """Mark every run and the mark of a paragraph as deleted, in place (the paragraphs
        of a note that only the old draft has)."""
        _wrap_runs(p, self, DEL)
        for el in p.iter(T, INSTR_TEXT):
            if any(a.tag == DEL for a in el.iterancestors(DEL)):
                el.tag = DEL_TEXT if el.tag == T else DEL_INSTR_TEXT
        self.mark_paragraph(p, DEL)

    def deleted_paragraph(self, old: etree._Element, tag: str = DEL) -> etree._Element:
        """A copy of an old paragraph whose text, objects and mark are all deleted (or, with
        tag w:moveFrom, moved away)."""
        p = etree.Element(P)
        ppr = old.find(PPR)
        if ppr is not None:
            p.append(self.foreign_ppr(ppr))
        bits = [_bit(piece) for piece in paragraph_pieces(old) if piece.text]
        if bits:
            p.extend(self.lift_math(self.runs(bits, tag, foreign=True)))
        self.mark_paragraph(p, tag)
        return p

    def moved_from(self, old: etree._Element, name: str) -> etree._Element:
        """A copy of an old paragraph marked as the source of the move called name."""
        p = self.deleted_paragraph(old, MOVE_FROM)
        self._move_range(p, "moveFrom", name)
        return p

    def moved_to(self, p: etree._Element, name: str) -> None:
        """Mark a new paragraph as the destination of the move called name."""
        _wrap_runs(p, self, MOVE_TO)
        self.mark_paragraph(p, MOVE_TO)
        self._move_range(p, "moveTo", name)

    def _move_range(self, p: etree._Element, kind: str, name: str) -> None:
        start = self.change(w(f"{kind}RangeStart"))
        start.set(w("name"), name)
        end = etree.Element(w(f"{kind}RangeEnd"))
        end.set(w("id"), start.get(w("id"), ""))
        ppr = p.find(PPR)
        p.insert(0 if ppr is None else p.index(ppr) + 1, start)
        p.append(end)

    def lift_math(self, change: etree._Element) -> list[etree._Element]:
        """A w:ins or w:del as elements a paragraph may hold: an equation cannot sit in
        one, so it is taken out and its own content marked instead (as Word does)."""
        if not any(c.tag in MATH for c in change):
            return [change]
        out: list[etree._Element] = []
        current: etree._Element | None = None
        for child in list(change):
            if child.tag in MATH:
                self.mark_math(child, change.tag)
                out.append(child)
                current = None
                continue
            if current is None:
                current = self.change(change.tag)
                out.append(current)
            current.append(child)
        return out

    def mark_math(self, math: etree._Element, tag: str) -> None:
        """Mark the content of an equation (m:oMath, or each of an m:oMathPara) inserted or
        deleted."""
        for om in [math] if math.tag == OMATH else list(math.iterchildren(OMATH)):
            content = [c for c in om if isinstance(c.tag, str) and c.tag not in (INS, DEL)]
            content = [c for c in content if not c.tag.endswith("Pr")]
            if content:
                change = self.change(tag)
                content[0].addprevious(change)
                change.extend(content)

    def foreign_ppr(self, ppr: etree._Element) -> etree._Element:
        """Old paragraph properties, minus what the new package cannot resolve."""
        ppr = deepcopy(ppr)
        for tag in (SECT_PR, w("pPrChange")):
            for el in ppr.findall(tag):
                ppr.remove(el)
        style = ppr.find(PSTYLE)
        if style is not None and style.get(VAL) not in self.paragraph_styles:
            ppr.remove(style)
        num = ppr.find(NUMPR)
        num_id = num.find(w("numId")) if num is not None else None
        if num is not None and (num_id is None or num_id.get(VAL) not in self.num_ids):
            ppr.remove(num)
        rpr = ppr.find(RPR)
        if rpr is not None:
            self._clean_rpr(rpr)
        return ppr

    def runs(
        self, chunks: list[Chunk] | list[Bit], tag: str | None, foreign: bool = False
    ) -> etree._Element:
        """Runs for text chunks (and objects), wrapped in w:ins / w:del (tag) or in a bare
        holder (None); objects of the old draft (foreign) are adopted into the new one."""
        holder = self.change(tag) if tag else etree.Element("holder")
        for text, rpr, obj in _merge(chunks):
            if obj is not None:
                run = self.adopt(obj) if foreign else obj
                if foreign and run.tag == R and run.find(RPR) is not None:
                    self._clean_rpr(run.find(RPR))
                holder.append(run)
                continue
            run = etree.SubElement(holder, R)
            if rpr is not None:
                copy = deepcopy(rpr)
                if foreign:
                    self._clean_rpr(copy)
                run.append(copy)
            _fill(run, text, deleted=tag in (DEL, MOVE_FROM))
        return holder

    def formatted_runs(
        self, chunks: list[Chunk], start: int, spans: list[tuple[int, int, etree._Element | None]]
    ) -> list[etree._Element]:
        """Runs for new text chunks starting at offset start, split where the old formatting
        of the same characters (spans: start, end, old rPr) changes; a run formatted
        otherwise than before records the old formatting in w:rPrChange."""
        pieces: list[tuple[str, etree._Element | None, etree._Element | None]] = []
        offset = start
        for text, rpr in chunks:
            end = offset + len(text)
            for lo, hi, old in spans:
                if hi <= offset or lo >= end:
                    continue
                a, b = max(lo, offset), min(hi, end)
                pieces.append((text[a - offset : b - offset], rpr, old))
            offset = end
        runs: list[etree._Element] = []
        merged: list[tuple[list[str], etree._Element | None, etree._Element | None]] = []
        for text, rpr, old in pieces:
            if merged and merged[-1][1] is rpr and merged[-1][2] is old:
                merged[-1][0].append(text)
            elif text:
                merged.append(([text], rpr, old))
        for texts, rpr, old in merged:
            run = etree.Element(R)
            if rpr is not None:
                run.append(deepcopy(rpr))
            if props_key(rpr) != props_key(old):
                self.record_rpr(run, old)
            _fill(run, "".join(texts), deleted=False)
            runs.append(run)
        return runs

    def record_rpr(self, run: etree._Element, old: etree._Element | None) -> None:
        """Add to a run's properties the formatting it had before (w:rPrChange)."""
        rpr = run.find(RPR)
        if rpr is None:
            rpr = etree.Element(RPR)
            run.insert(0, rpr)
        for el in rpr.findall(w("rPrChange")):
            rpr.remove(el)
        change = self.change(w("rPrChange"))
        before = etree.SubElement(change, RPR)
        if old is not None:
            copy = deepcopy(old)
            self._clean_rpr(copy)
            before.extend(list(copy))
        rpr.append(change)

    def track_paragraph_format(self, p: etree._Element, old: etree._Element) -> None:
        """Record the old paragraph properties in w:pPrChange when they differ."""
        new_ppr, old_ppr = p.find(PPR), old.find(PPR)
        if ppr_key(new_ppr) == ppr_key(old_ppr):
            return
        if new_ppr is None:
            new_ppr = etree.Element(PPR)
            p.insert(0, new_ppr)
        change = self.change(w("pPrChange"))
        before = etree.SubElement(change, PPR)
        if old_ppr is not None:
            cleaned = self.foreign_ppr(old_ppr)
            before.extend(c for c in list(cleaned) if c.tag not in (RPR, SECT_PR))
        new_ppr.append(change)

    def _clean_rpr(self, rpr: etree._Element) -> None:
        for el in list(rpr):
            if el.tag in (INS, DEL, w("rPrChange")) or (
                el.tag == RSTYLE and el.get(VAL) not in self.character_styles
            ):
                rpr.remove(el)


def rebuild_changed(
    p: etree._Element, old: etree._Element, segments: tuple[Segment, ...], marker: Marker
) -> None:
    """Rewrite a paragraph as word-level changes: old text formatted as before, new as now."""
    new_side = _Side(paragraph_pieces(p))
    old_side = _Side(paragraph_pieces(old))
    for child in [c for c in p if c.tag != PPR]:
        p.remove(child)
    out: list[etree._Element] = []
    for segment in segments:
        size = len(segment.text)
        if segment.op == "delete":
            out.append(marker.runs(old_side.take(size), DEL, foreign=True))
            continue
        before = old_side.take(size) if segment.op == "equal" else None
        tag = INS if segment.op == "insert" else None
        holder = etree.Element("holder") if tag is None else marker.change(tag)
        for part in new_side.emit(size, marker, before):
            holder.append(part)
        out.append(holder)
    out.append(_holder(new_side.rest()))
    marker.track_paragraph_format(p, old)
    for holder in out:
        if holder.tag == "holder":
            p.extend(list(holder))
        elif len(holder):
            p.extend(marker.lift_math(holder))
    if marker.chains:
        _rewrap(p, marker)
        marker.chains.clear()


class _Side:
    """A cursor over one paragraph's pieces: text with formatting, objects at offsets."""

    def __init__(self, pieces: list[Piece]):
        self.pieces = pieces
        self.index = 0
        self.offset = 0

    def take(self, size: int) -> list[Bit]:
        """The next size characters as (text, rPr) chunks and the objects a reader sees
        among them (objects a reader does not see, bookmarks or field codes, skipped)."""
        out: list[Bit] = []
        for chunk, piece in self._advance(size):
            if chunk is not None:
                out.append((chunk[0], chunk[1], None))
            elif piece is not None and piece.text and piece.obj is not None:
                out.append(_bit(piece))
        return out

    def skip(self, size: int) -> None:
        """Move past size characters."""
        for _ in self._advance(size):
            pass

    def emit(self, size: int, marker: Marker, old: list[Bit] | None = None) -> list[etree._Element]:
        """Runs and objects for the next size characters, in order; with the old side of
        the same characters (``old``), runs whose formatting changed record it. Each part
        made from inside a hyperlink or simple field is noted in ``marker.chains``, so that
        the paragraph can put the container back around it."""
        parts: list[etree._Element] = []
        pending: list[Chunk] = []
        spans = _spans(old) if old is not None else None
        offset = start = 0
        chain: tuple[etree._Element, ...] = ()

        def flush() -> None:
            if spans is None:
                made = list(marker.runs(pending, None))
            else:
                made = marker.formatted_runs(pending, start, spans)
            if chain:
                marker.chains.update((run, chain) for run in made)
            parts.extend(made)
            pending.clear()

        for chunk, piece in self._advance(size):
            if chunk is not None:
                if piece is not None and piece.chain != chain:
                    flush()
                    start = offset
                    chain = piece.chain
                pending.append(chunk)
                offset += len(chunk[0])
            elif piece is not None and piece.obj is not None:
                flush()
                offset += len(piece.text)
                start = offset
                if piece.chain:
                    marker.chains[piece.obj] = piece.chain
                parts.append(piece.obj)
        flush()
        return parts

    def rest(self) -> list[etree._Element]:
        """Objects left at the very end of the paragraph."""
        return [p.obj for p in self.pieces[self.index :] if p.obj is not None]

    def _advance(self, size: int) -> Iterator[tuple[Chunk | None, Piece | None]]:
        while self.index < len(self.pieces):
            piece = self.pieces[self.index]
            if piece.obj is not None and not piece.text:  # zero wide: kept where it is
                yield None, piece
                self.index += 1
                continue
            if size <= 0:
                return
            if piece.obj is not None:  # an object a reader sees: its token's width
                yield None, piece
                size -= len(piece.text)
                self.index += 1
                continue
            available = len(piece.text) - self.offset
            step = min(size, available)
            yield (piece.text[self.offset : self.offset + step], piece.rpr), piece
            size -= step
            self.offset += step
            if self.offset == len(piece.text):
                self.index, self.offset = self.index + 1, 0


def _rewrap(p: etree._Element, marker: Marker) -> None:
    """Put hyperlinks, simple fields and the like back around the rebuilt runs they held:
    a w:ins inside them is split where the container changes (w:ins cannot hold one)."""
    chains = marker.chains
    items: list[tuple[tuple[etree._Element, ...], etree._Element]] = []
    for child in [c for c in p if c.tag != PPR]:
        if child.tag in (INS, MOVE_TO) and any(g in chains for g in child):
            groups: list[tuple[tuple[etree._Element, ...], list[etree._Element]]] = []
            for grand in list(child):
                key = chains.get(grand, ())
                if groups and groups[-1][0] == key:
                    groups[-1][1].append(grand)
                else:
                    groups.append((key, [grand]))
            for index, (key, members) in enumerate(groups):
                change = child if index == 0 else marker.change(child.tag)
                change.extend(members)
                items.append((key, change))
        else:
            items.append((chains.get(child, ()), child))
        p.remove(child)
    current: tuple[etree._Element, ...] = ()
    holder: etree._Element | None = None
    for key, el in items:
        if not key:
            p.append(el)
            current, holder = (), None
            continue
        if key != current or holder is None:
            holder = _shells(key, p)
            current = key
        holder.append(el)


def _shells(chain: tuple[etree._Element, ...], p: etree._Element) -> etree._Element:
    """Empty copies of nested containers (attributes and properties kept), appended to p;
    the innermost, which receives the runs."""
    parent = p
    for container in chain:
        shell = etree.SubElement(parent, container.tag, attrib=dict(container.attrib))
        for prop in container:
            if isinstance(prop.tag, str) and prop.tag.endswith("Pr"):
                shell.append(deepcopy(prop))
        parent = shell
    return parent


def _holder(parts: list[etree._Element]) -> etree._Element:
    holder = etree.Element("holder")
    holder.extend(parts)
    return holder


# Run properties that are proofing or revision history, not formatting a reader sees.
_NOT_FORMAT = frozenset(
    {w("rPrChange"), INS, DEL, MOVE_FROM, MOVE_TO, w("lang"), w("noProof"), w("rsid")}
)
_PPR_NOT_FORMAT = frozenset({RPR, SECT_PR, w("pPrChange")})


def props_key(rpr: etree._Element | None) -> tuple[bytes, ...]:
    """Run properties compared as a reader sees them (order and proofing ignored)."""
    if rpr is None:
        return ()
    return tuple(
        sorted(
            etree.tostring(c) for c in rpr if isinstance(c.tag, str) and c.tag not in _NOT_FORMAT
        )
    )


def ppr_key(ppr: etree._Element | None) -> tuple[bytes, ...]:
    """Paragraph properties compared (paragraph-mark formatting, section, history aside)."""
    if ppr is None:
        return ()
    return tuple(
        sorted(
            etree.tostring(c)
            for c in ppr
            if isinstance(c.tag, str) and c.tag not in _PPR_NOT_FORMAT
        )
    )


def format_differs(old: etree._Element, new: etree._Element) -> bool:
    """True when two paragraphs with the same text differ in formatting: a run's
    properties or the paragraph's."""
    if _markup(old) == _markup(new):  # the same markup: nothing to compare
        return False
    if ppr_key(old.find(PPR)) != ppr_key(new.find(PPR)):
        return True
    return _format_runs(old) != _format_runs(new)


def _markup(p: etree._Element) -> list[tuple[object, ...]]:
    """A paragraph's markup as values (tags, attributes, text): equal markup, equal format;
    about twice as fast as serialising it."""
    return [(el.tag, el.attrib.values() if el.attrib else None, el.text) for el in p.iter()]


def _format_runs(p: etree._Element) -> list[tuple[str, tuple[bytes, ...]]]:
    out: list[tuple[str, tuple[bytes, ...]]] = []
    for piece in paragraph_pieces(p, objects=False):
        key = props_key(piece.rpr)
        if out and out[-1][1] == key:
            out[-1] = (out[-1][0] + piece.text, key)
        elif piece.text:
            out.append((piece.text, key))
    return out


def _spans(bits: list[Bit]) -> list[tuple[int, int, etree._Element | None]]:
    """Old text bits as (start, end, rPr) by character offset, objects skipped."""
    out = []
    offset = 0
    for text, rpr, obj in bits:
        if obj is None:
            out.append((offset, offset + len(text), rpr))
        offset += len(text)
    return out


def _bit(piece: Piece) -> Bit:
    return (piece.text, piece.rpr, piece.obj)


def _merge(chunks: list[Chunk] | list[Bit]) -> list[Bit]:
    """Adjacent chunks with the same run properties as one (joined once: linear time);
    objects stay apart."""
    merged: list[tuple[list[str], etree._Element | None, etree._Element | None]] = []
    for chunk in chunks:
        text, rpr = chunk[0], chunk[1]
        obj = chunk[2] if len(chunk) == 3 else None
        if obj is not None:
            merged.append(([text], None, obj))
        elif merged and merged[-1][1] is rpr and merged[-1][2] is None:
            merged[-1][0].append(text)
        elif text:
            merged.append(([text], rpr, None))
    return [("".join(texts), rpr, obj) for texts, rpr, obj in merged]


def _fill(run: etree._Element, text: str, deleted: bool) -> None:
    tag = DEL_TEXT if deleted else T
    for part in _BREAKS.split(text):
        if part == "\t" or part == "\n":
            etree.SubElement(run, w("tab") if part == "\t" else w("br"))
        elif part:
            el = etree.SubElement(run, tag)
            el.text = part
            el.set(f"{{{XML_NS}}}space", "preserve")


def _wrap_runs(parent: etree._Element, marker: Marker, tag: str) -> None:
    group: list[etree._Element] = []
    for child in list(parent):
        if child.tag == R:
            group.append(child)
            continue
        _wrap(group, marker, tag)
        group = []
        if child.tag in CONTAINERS and child.tag not in (INS, DEL):
            _wrap_runs(child, marker, tag)
        elif child.tag == SDT and child.find(SDT_CONTENT) is not None:
            _wrap_runs(child.find(SDT_CONTENT), marker, tag)
    _wrap(group, marker, tag)


def _wrap(runs: list[etree._Element], marker: Marker, tag: str) -> None:
    if not runs:
        return
    ins = marker.change(tag)
    runs[0].addprevious(ins)
    ins.extend(runs)
