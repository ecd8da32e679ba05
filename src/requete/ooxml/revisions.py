"""Accept or reject every tracked change of a document body, as Word's Review tab does."""

from __future__ import annotations

from lxml import etree

from requete.ooxml.names import (
    COMMENT_RANGES,
    DEL,
    DEL_INSTR_TEXT,
    DEL_TEXT,
    INS,
    INSTR_TEXT,
    MATH_NS,
    MOVE_FROM,
    MOVE_TO,
    NOISE,
    PPR,
    PROPERTY_CHANGES,
    RPR,
    TBL,
    TR,
    TRPR,
    P,
    T,
    w,
)

_MARKER_PARENTS = frozenset({RPR, TRPR, w("tcPr"), w("numPr")})
_MOVE_RANGES = tuple(
    w(n) for n in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
)
_SKIPPED_SIBLINGS = NOISE | {w("bookmarkStart"), w("bookmarkEnd"), *COMMENT_RANGES}
_OMATH = f"{{{MATH_NS}}}oMath"
_OMATH_PARA = f"{{{MATH_NS}}}oMathPara"


def accept_all(root: etree._Element) -> None:
    """Accept every change in place: drop deletions, keep insertions, join deleted marks."""
    _apply(root, keep=(INS, MOVE_TO), drop=(DEL, MOVE_FROM))


def reject_all(root: etree._Element) -> None:
    """Reject every change in place: drop insertions, restore deletions and old formatting."""
    _restore_properties(root)
    _apply(root, keep=(DEL, MOVE_FROM), drop=(INS, MOVE_TO))
    for el in root.iter(DEL_TEXT, DEL_INSTR_TEXT):
        el.tag = T if el.tag == DEL_TEXT else INSTR_TEXT


def _apply(root: etree._Element, keep: tuple[str, str], drop: tuple[str, str]) -> None:
    joined: list[etree._Element] = []
    for el in list(root.iter(*keep, *drop)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in _MARKER_PARENTS:
            _marker(el, parent, el.tag in drop, joined)
        elif el.tag in drop:
            parent.remove(el)
        else:
            _unwrap(el)
    for p in reversed(joined):
        _join_with_next(p)
    for el in list(root.iter(*PROPERTY_CHANGES, *_MOVE_RANGES)):
        _remove(el)
    for el in reversed(list(root.iter(_OMATH, _OMATH_PARA))):  # innermost first
        if not any(isinstance(c.tag, str) and not c.tag.endswith("Pr") for c in el):
            _remove(el)  # an equation whose whole content was inserted (rejected) or deleted


def _marker(
    el: etree._Element, parent: etree._Element, dropped: bool, joined: list[etree._Element]
) -> None:
    """A change mark on a paragraph mark or a table row; dropped marks remove what they mark."""
    owner = parent.getparent()
    parent.remove(el)
    if not dropped or owner is None:
        return
    if parent.tag == RPR and owner.tag == PPR:
        p = owner.getparent()
        if p is not None and p.tag == P:
            joined.append(p)
    elif parent.tag == TRPR and owner.tag == TR:
        table = owner.getparent()
        _remove(owner)
        if table is not None and table.tag == TBL and table.find(TR) is None:
            _remove(table)


def _join_with_next(p: etree._Element) -> None:
    """Merge a paragraph whose mark is removed into the next one (whose mark survives)."""
    nxt = p.getnext()
    while nxt is not None and nxt.tag in _SKIPPED_SIBLINGS:
        nxt = nxt.getnext()
    if nxt is None or nxt.tag != P:
        return
    anchor = nxt.find(PPR)
    position = 0 if anchor is None else nxt.index(anchor) + 1
    for child in [c for c in p if c.tag != PPR]:
        nxt.insert(position, child)
        position += 1
    _remove(p)


def _restore_properties(root: etree._Element) -> None:
    """Put back the formatting recorded in rPrChange and pPrChange."""
    for change in list(root.iter(w("rPrChange"), w("pPrChange"))):
        props = change.getparent()
        old = change.find(RPR if change.tag == w("rPrChange") else PPR)
        if props is None or old is None:
            continue
        keep = {RPR, w("sectPr")} if props.tag == PPR else {INS, DEL, MOVE_FROM, MOVE_TO}
        for child in list(props):
            if child.tag not in keep:
                props.remove(child)
        for index, child in enumerate(old):
            props.insert(index, child)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
