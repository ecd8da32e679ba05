"""The visible content of a paragraph as pieces: formatted text, or zero-width objects."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from requete.review.ooxml import (
    CONTAINERS,
    DEL,
    MOVE_FROM,
    NOISE,
    PPR,
    RPR,
    SDT,
    SDT_CONTENT,
    R,
    T,
    w,
)

_TEXT_CHARS = {w("tab"): "\t", w("ptab"): "\t", w("cr"): "\n", w("noBreakHyphen"): "-"}
_BR = w("br")
_BR_TYPE = w("type")
# Where a flat scan of w:t would read text the structured walk skips (or reads differently).
_SLOW = (
    w("txbxContent"),
    DEL,
    MOVE_FROM,
    w("ruby"),
    w("sdtPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
)
_SKIP = frozenset(
    {PPR, DEL, MOVE_FROM, w("sdtPr"), w("sdtEndPr"), w("customXmlPr"), w("smartTagPr")}
)
_SKIP_IN_RUN = frozenset(
    {RPR, w("lastRenderedPageBreak"), w("commentReference"), w("annotationRef")}
)


@dataclass(frozen=True)
class Piece:
    """Either text with its run properties, or an object (run or element) shown at a point."""

    text: str
    rpr: etree._Element | None
    obj: etree._Element | None = None


def paragraph_pieces(p: etree._Element, objects: bool = True) -> list[Piece]:
    """Walk a paragraph in reading order; objects are copies ready to re-insert."""
    pieces: list[Piece] = []
    _walk(p, pieces, objects)
    return pieces


def paragraph_text(p: etree._Element) -> str:
    """The text a reader sees in the paragraph (tabs as \\t, line breaks as \\n)."""
    parts: list[str] = []
    for el in p.iter(T, _BR, *_TEXT_CHARS, *_SLOW):
        tag = el.tag
        if tag == T:
            if el.text:
                parts.append(el.text)
        elif tag in _TEXT_CHARS:
            parts.append(_TEXT_CHARS[tag])
        elif tag == _BR:
            if el.get(_BR_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        else:  # text boxes, alternate content, ruby, revisions: walk the structure
            return "".join(piece.text for piece in paragraph_pieces(p, objects=False))
    return "".join(parts)


def _walk(parent: etree._Element, pieces: list[Piece], objects: bool) -> None:
    for child in parent:
        tag = child.tag
        if tag == R:
            _run(child, pieces, objects)
        elif tag in CONTAINERS:
            _walk(child, pieces, objects)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _walk(content, pieces, objects)
        elif tag in _SKIP or tag in NOISE or not isinstance(tag, str):
            continue
        elif objects:
            pieces.append(Piece("", None, _copy(child)))


def _run(run: etree._Element, pieces: list[Piece], objects: bool) -> None:
    rpr = run.find(RPR)
    for child in run:
        tag = child.tag
        if tag == T:
            if child.text:
                pieces.append(Piece(child.text, rpr))
        elif tag in _TEXT_CHARS:
            pieces.append(Piece(_TEXT_CHARS[tag], rpr))
        elif tag == _BR and child.get(w("type")) in (None, "textWrapping"):
            pieces.append(Piece("\n", rpr))
        elif tag in _SKIP_IN_RUN or not isinstance(tag, str):
            continue
        elif objects:
            holder = etree.Element(R)
            if rpr is not None:
                holder.append(_copy(rpr))
            holder.append(_copy(child))
            pieces.append(Piece("", None, holder))


def _copy(el: etree._Element) -> etree._Element:
    return deepcopy(el)
