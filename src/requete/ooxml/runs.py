"""The visible content of a paragraph as pieces: formatted text, or objects shown at a point.

An object that a reader sees (a picture, a text box, an equation, a note or comment anchor)
is one character wide in the comparison text: a token from a private-use plane, the same
token for the same object in both drafts (see :class:`Tokens`). Objects a reader does not see
(bookmarks, field codes) are zero wide: they keep their place but never count as a change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, replace
from typing import Final, Literal

from lxml import etree

from requete.ooxml.names import (
    ALTERNATE,
    CHOICE,
    COMMENT_REF,
    CONTAINERS,
    DEL,
    ENDNOTE_REF,
    FOOTNOTE_REF,
    MATH,
    MATH_NS,
    MOVE_FROM,
    NOISE,
    PPR,
    R_NS,
    RPR,
    RUN_OBJECTS,
    SDT,
    SDT_CONTENT,
    TXBX,
    WP_NS,
    R,
    T,
    w,
)

# Containers a rebuilt paragraph puts back around the runs they held.
WRAPPERS: Final = frozenset(
    w(n) for n in ("hyperlink", "fldSimple", "smartTag", "customXml", "dir", "bdo")
)
_TEXT_CHARS = {w("tab"): "\t", w("ptab"): "\t", w("cr"): "\n", w("noBreakHyphen"): "-"}
_BR = w("br")
_BR_TYPE = w("type")
_TABS = w("tabs")
_SYM = w("sym")
# Where a flat scan of w:t would read text the structured walk skips (or reads differently).
_SLOW = (TXBX, DEL, MOVE_FROM, w("ruby"), w("sdtPr"), ALTERNATE, _SYM)
_SKIP = frozenset(
    {PPR, DEL, MOVE_FROM, w("sdtPr"), w("sdtEndPr"), w("customXmlPr"), w("smartTagPr")}
)
_SKIP_IN_RUN = frozenset({RPR, w("lastRenderedPageBreak"), w("annotationRef")})
# Where a paragraph holds something that is one token wide in the comparison text.
_TOKENED = (*RUN_OBJECTS, *MATH)
_SLOW_OR_TOKENED = frozenset((*_SLOW, *_TOKENED))
_SLOW_SET = frozenset(_SLOW)
_VOLATILE = frozenset({"id", "name", "descr", "title"})  # wp:docPr attributes Word renumbers
_REL_ATTRS = frozenset({f"{{{R_NS}}}{n}" for n in ("embed", "link", "id", "pict", "href")})
FIRST_TOKEN: Final = 0xF0000  # Supplementary Private Use Area-A: never real text here
Mode = Literal["text", "tokens", "copy"]
Resolver = Callable[[str], str]
"""Maps a relationship id of the part being read to a digest of what it points at."""


class Tokens:
    """One private-use character per distinct object signature, shared by every draft read
    in this process, so that the same picture is the same character in both drafts."""

    def __init__(self) -> None:
        self._chars: dict[tuple[str, ...], str] = {}
        self._labels: dict[str, str] = {}

    def char(self, signature: tuple[str, ...]) -> str:
        """The token of a signature (kind first: picture, textbox, footnote, …)."""
        found = self._chars.get(signature)
        if found is None:
            found = chr(FIRST_TOKEN + len(self._chars))
            self._chars[signature] = found
            self._labels[found] = signature[0]
        return found

    def label(self, char: str) -> str | None:
        """The kind of object a token stands for, or None if char is not a token."""
        return self._labels.get(char)


TOKENS: Final = Tokens()
KIND_LABELS: Final = {
    "picture": "[image]",
    "textbox": "[zone de texte]",
    "footnote": "[note]",
    "endnote": "[note de fin]",
    "comment": "[commentaire]",
    "equation": "[équation]",
    "object": "[objet]",
}


def shown(text: str, comments: bool = True) -> str:
    """Comparison text as a reader reads it: each token replaced by a bracketed label
    (comment anchors dropped unless ``comments``: the page does not show them)."""
    if not any(ord(c) >= FIRST_TOKEN for c in text):
        return text
    labels = KIND_LABELS if comments else {**KIND_LABELS, "comment": ""}
    return "".join(
        labels.get(TOKENS.label(c) or "", c) if ord(c) >= FIRST_TOKEN else c for c in text
    )


def is_token(char: str) -> bool:
    """True for the character of an object in a comparison text."""
    return len(char) == 1 and ord(char) >= FIRST_TOKEN


@dataclass(frozen=True)
class Piece:
    """Either text with its run properties, or an object (run or element) shown at a point.
    An object a reader sees has its token as text (one character); others have ""."""

    text: str
    rpr: etree._Element | None
    obj: etree._Element | None = None
    source: etree._Element | None = None  # the element the object was read from
    chain: tuple[etree._Element, ...] = ()  # the hyperlinks, simple fields… holding it


def paragraph_pieces(
    p: etree._Element, objects: bool = True, resolve: Resolver | None = None
) -> list[Piece]:
    """Walk a paragraph in reading order; objects are copies ready to re-insert, and those a
    reader sees carry their token."""
    pieces: list[Piece] = []
    _Walker(pieces, "copy" if objects else "text", resolve).walk(p)
    return pieces


def paragraph_text(p: etree._Element) -> str:
    """The text a reader sees in the paragraph (tabs as \\t, line breaks as \\n)."""
    text = _flat_text(p, _SLOW_SET)
    if text is None:  # text boxes, alternate content, ruby, revisions: walk the structure
        return "".join(piece.text for piece in paragraph_pieces(p, objects=False))
    return text


def _flat_text(p: etree._Element, stop: frozenset[str]) -> str | None:
    """The text of a paragraph read flat, in one pass, or None at the first element of
    ``stop`` (one that needs the structured walk). Iterating every element and dispatching
    on its tag is faster in lxml than iterating a list of tags."""
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == T:
            if el.text:
                parts.append(el.text)
        elif tag in stop:
            return None
        elif tag in _TEXT_CHARS:
            parent = el.getparent()
            if parent is None or parent.tag != _TABS:  # a tab stop is not text
                parts.append(_TEXT_CHARS[tag])
        elif tag == _BR and el.get(_BR_TYPE) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def paragraph_key(p: etree._Element, resolve: Resolver | None = None) -> str:
    """The comparison text: what :func:`paragraph_text` reads, plus a token per object."""
    return paragraph_anchors(p, resolve)[0]


def paragraph_anchors(
    p: etree._Element, resolve: Resolver | None = None
) -> tuple[str, tuple[tuple[int, etree._Element], ...]]:
    """The comparison text and, for each object token in it, its offset and the element it
    stands for (the drawing, the note reference…), which anchors any story it shows."""
    text = _flat_text(p, _SLOW_OR_TOKENED)
    if text is not None:
        return text, ()
    pieces: list[Piece] = []
    _Walker(pieces, "tokens", resolve).walk(p)
    anchors = []
    offset = 0
    for piece in pieces:
        if piece.source is not None:
            anchors.append((offset, piece.source))
        offset += len(piece.text)
    return "".join(piece.text for piece in pieces), tuple(anchors)


def signature(el: etree._Element, resolve: Resolver | None = None) -> tuple[str, ...]:
    """What makes two objects the same to a reader: a note or comment anchor by kind (their
    text is compared as a story of its own), a text box by kind (likewise), an equation by
    its text, a picture by its markup and the bytes it shows."""
    tag = el.tag
    if tag == FOOTNOTE_REF:
        return ("footnote",)
    if tag == ENDNOTE_REF:
        return ("endnote",)
    if tag == COMMENT_REF:
        return ("comment",)
    if tag in MATH:
        return ("equation", "".join(el.itertext(f"{{{MATH_NS}}}t")))
    if any(True for _ in el.iter(TXBX)):
        return ("textbox",)
    digest = hashlib.blake2b(digest_size=16)
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        digest.update(node.tag.encode())
        for name, value in sorted(node.attrib.items()):
            if name in _REL_ATTRS:
                value = resolve(value) if resolve else value
            elif node.tag == f"{{{WP_NS}}}docPr" and name in _VOLATILE:
                continue
            digest.update(f"{name}={value};".encode())
        digest.update((node.text or "").strip().encode())
    kind = "picture" if tag == w("drawing") or tag == w("pict") else "object"
    return (kind, digest.hexdigest())


class _Walker:
    def __init__(self, pieces: list[Piece], mode: Mode, resolve: Resolver | None):
        self.pieces = pieces
        self.mode = mode
        self.resolve = resolve
        self.chain: tuple[etree._Element, ...] = ()

    def add(self, piece: Piece) -> None:
        self.pieces.append(replace(piece, chain=self.chain) if self.chain else piece)

    def walk(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self.run(child)
            elif tag in WRAPPERS and self.mode == "copy":
                outer = self.chain
                self.chain = (*outer, child)
                self.walk(child)
                self.chain = outer
            elif tag in CONTAINERS:
                self.walk(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.walk(content)
            elif tag == ALTERNATE:
                choice = child.find(CHOICE)
                if choice is not None:
                    self.walk(choice)
            elif tag in _SKIP or tag in NOISE or not isinstance(tag, str):
                continue
            elif tag in MATH:
                self.object(child, None, child)
            elif self.mode == "copy":
                self.add(Piece("", None, deepcopy(child), child))

    def run(self, run: etree._Element) -> None:
        rpr = run.find(RPR)
        for child in run:
            tag = child.tag
            if tag == T:
                if child.text:
                    self.add(Piece(child.text, rpr))
            elif tag in _TEXT_CHARS:
                self.add(Piece(_TEXT_CHARS[tag], rpr))
            elif tag == _BR and child.get(_BR_TYPE) in (None, "textWrapping"):
                self.add(Piece("\n", rpr))
            elif tag == _SYM:
                self.add(Piece(_symbol(child), rpr))
            elif tag in _SKIP_IN_RUN or not isinstance(tag, str):
                continue
            elif tag in RUN_OBJECTS:
                self.object(child, rpr, None)
            elif tag == ALTERNATE:
                self.alternate(child, rpr)
            elif self.mode == "copy":
                self.add(Piece("", None, _holder(rpr, child), child))

    def object(
        self, el: etree._Element, rpr: etree._Element | None, inline: etree._Element | None
    ) -> None:
        """An object a reader sees: its token in the comparison (tokens and copy modes)."""
        if self.mode == "text":
            return
        token = TOKENS.char(signature(el, self.resolve))
        if self.mode == "tokens":
            self.add(Piece(token, None, None, el))
            return
        copy = deepcopy(inline) if inline is not None else _holder(rpr, el)
        self.add(Piece(token, None, copy, el))

    def alternate(self, el: etree._Element, rpr: etree._Element | None) -> None:
        """Alternate content in a run: the objects of its mc:Choice are what is shown; a
        copy keeps the whole element (choice and fallback) as one piece."""
        choice = el.find(CHOICE)
        inner = [c for c in choice if c.tag in RUN_OBJECTS] if choice is not None else []
        if self.mode == "text":
            return
        if self.mode == "tokens":
            for obj in inner:
                self.object(obj, rpr, None)
            return
        tokens = "".join(TOKENS.char(signature(obj, self.resolve)) for obj in inner)
        self.add(Piece(tokens, None, _holder(rpr, el), inner[0] if inner else el))


def _holder(rpr: etree._Element | None, child: etree._Element) -> etree._Element:
    holder = etree.Element(R)
    if rpr is not None:
        holder.append(deepcopy(rpr))
    holder.append(deepcopy(child))
    return holder


def _symbol(sym: etree._Element) -> str:
    """The character a w:sym shows (its font's code point, as Word stores it)."""
    try:
        return chr(int(sym.get(w("char"), ""), 16))
    except ValueError:
        return ""
