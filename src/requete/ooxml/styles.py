"""Paragraph styles of a document: names, heading levels and numbering, with inheritance."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from requete.ooxml.names import NUMPR, VAL, w

_HEADING_NAME = re.compile(r"^(?:heading|titre|título|überschrift)\s*(\d)$", re.IGNORECASE)


@dataclass(frozen=True)
class Style:
    """One paragraph style as declared in styles.xml (before inheritance)."""

    style_id: str
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


class StyleSheet:
    """Resolve a paragraph's style name, heading level and style-linked numbering."""

    def __init__(self, root: etree._Element | None):
        self.styles: dict[str, Style] = {}
        self.default: str | None = None
        self.character: set[str] = set()
        self._names: dict[str | None, str] = {}
        self._levels: dict[str | None, int | None] = {}
        self._numbering: dict[str | None, tuple[str | None, int | None]] = {}
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        for el in root.iter(w("style")):
            style_id = el.get(w("styleId")) or ""
            if el.get(w("type")) == "character":
                self.character.add(style_id)
            if el.get(w("type")) not in ("paragraph", None):
                continue
            if el.get(w("default")) in ("1", "true", "on"):
                self.default = style_id
            num = el.find(f"{w('pPr')}/{NUMPR}")
            self.styles[style_id] = Style(
                style_id=style_id,
                name=_val(el.find(w("name"))) or style_id,
                based_on=_val(el.find(w("basedOn"))),
                outline=_int(_val(el.find(f"{w('pPr')}/{w('outlineLvl')}"))),
                num_id=_val(num.find(w("numId"))) if num is not None else None,
                ilvl=_int(_val(num.find(w("ilvl")))) if num is not None else None,
            )

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and its ancestors (basedOn), nearest first, cycles cut."""
        seen: list[Style] = []
        current = style_id or self.default
        while current and current in self.styles and len(seen) < 20:
            style = self.styles[current]
            if style in seen:
                break
            seen.append(style)
            current = style.based_on
        return seen

    def name(self, style_id: str | None) -> str:
        """Display name of a paragraph style ("Normal" if unknown)."""
        if style_id not in self._names:
            self._names[style_id] = self._name(style_id)
        return self._names[style_id]

    def heading_level(self, style_id: str | None) -> int | None:
        """Heading level 1–9 from the style's outline level or its name, else None."""
        if style_id not in self._levels:
            self._levels[style_id] = self._heading_level(style_id)
        return self._levels[style_id]

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs, searching ancestors."""
        if style_id not in self._numbering:
            self._numbering[style_id] = self._style_numbering(style_id)
        return self._numbering[style_id]

    def _name(self, style_id: str | None) -> str:
        chain = self.chain(style_id)
        return chain[0].name if chain else (style_id or "Normal")

    def _heading_level(self, style_id: str | None) -> int | None:
        for style in self.chain(style_id):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if style.outline is not None and style.outline < 9:
                return style.outline + 1
        return None

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain(style_id):
            if num_id is None and style.num_id is not None:
                num_id = style.num_id
            if ilvl is None and style.ilvl is not None:
                ilvl = style.ilvl
        return num_id, ilvl


def _val(el: etree._Element | None) -> str | None:
    return None if el is None else el.get(VAL)


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None
