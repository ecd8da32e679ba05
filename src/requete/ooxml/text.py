"""The text model: every story of a document read in order as paragraphs and table cells.

A story is what Word shows as one flow of text: the body, each footnote, endnote and comment,
each header and footer of each section, each text box. The body is :attr:`Draft.items`; the
others are :attr:`Draft.stories`, in reading order: the text boxes, notes and comments of a
story follow it in the order of their anchors, then the headers and footers section by section.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from requete.errors import DocxError
from requete.i18n import _
from requete.ooxml.names import (
    ALTERNATE,
    BODY,
    CHOICE,
    COMMENT_RANGES,
    COMMENT_REF,
    ENDNOTE_REF,
    FALLBACK,
    FOOTNOTE_REF,
    ID,
    NUMPR,
    PPR,
    PSTYLE,
    R_NS,
    RPR,
    SDT,
    SDT_CONTENT,
    SECT_PR,
    TBL,
    TC,
    TR,
    TXBX,
    VAL,
    P,
    R,
    w,
)
from requete.ooxml.numbering import Numbering
from requete.ooxml.package import Package, Source, open_package
from requete.ooxml.revisions import accept_all, reject_all
from requete.ooxml.runs import Resolver, paragraph_anchors, paragraph_text, shown
from requete.ooxml.styles import StyleSheet

Kind = Literal["heading", "paragraph", "cell"]
Mode = Literal["accept", "reject"]
NOTE_PARTS = {"footnote": "footnotes", "endnote": "endnotes", "comment": "comments"}
_NOTE_TAGS = {FOOTNOTE_REF: "footnote", ENDNOTE_REF: "endnote", COMMENT_REF: "comment"}
_NOTE_ELEMENTS = {"footnote": w("footnote"), "endnote": w("endnote"), "comment": w("comment")}
_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_HEADER_REFS = (w("headerReference"), w("footerReference"))
_REL_ID = f"{{{R_NS}}}id"
STORY_LABELS = {
    "footnote": "note",
    "endnote": "note de fin",
    "comment": "commentaire",
    "textbox": "zone de texte",
    "header": "en-tête",
    "footer": "pied de page",
}


@dataclass(frozen=True)
class Item:
    """One paragraph of a story or of a table cell, as currently shown.

    ``text`` is what a reader reads; ``key`` is what is compared: the text plus one
    private-use character per object a reader sees (picture, text box, equation, note or
    comment anchor), at its place. ``anchors`` are those objects, by offset in ``key``."""

    index: int
    text: str
    style: str
    level: int | None = None
    number: str | None = None
    body_index: int | None = None
    cell: tuple[int, int, int] | None = None
    element: etree._Element | None = field(default=None, compare=False, repr=False)
    row: etree._Element | None = field(default=None, compare=False, repr=False)
    key: str = ""
    story: str = ""
    anchors: tuple[tuple[int, etree._Element], ...] = field(default=(), compare=False, repr=False)

    @property
    def kind(self) -> Kind:
        """Heading, table cell or ordinary paragraph."""
        if self.level is not None:
            return "heading"
        return "cell" if self.cell else "paragraph"

    @property
    def shown(self) -> str:
        """The compared text as a reader reads it, objects as bracketed labels."""
        return shown(self.key)

    @property
    def where(self) -> str:
        """Where a reader finds it: "¶ 12", "table 1, row 2, cell 3", "note 2, paragraph 1"."""
        if self.cell:
            table, row, cell = self.cell
            place = _("table {table}, row {row}, cell {cell}").format(
                table=table, row=row, cell=cell
            )
        elif self.number and not self.story:
            place = f"¶ {self.number.rstrip('.')}"
        else:
            place = _("paragraph {number}").format(number=self.index + 1)
        return f"{self.story}, {place}" if self.story else place


@dataclass
class Story:
    """One flow of text other than the body: a note, a comment, a header, a text box."""

    kind: str
    label: str
    part: str
    container: etree._Element = field(repr=False)
    items: list[Item] = field(repr=False)
    anchor: etree._Element | None = field(default=None, repr=False)
    children: dict[etree._Element, list[Story]] = field(default_factory=dict, repr=False)

    def visible(self) -> list[Item]:
        """Items with visible content."""
        return [item for item in self.items if item.key.strip()]


@dataclass
class Draft:
    """A .docx read for review: its package, its stories with changes accepted, its items."""

    label: str
    package: Package
    root: etree._Element
    styles: StyleSheet
    items: list[Item]
    stories: list[Story] = field(default_factory=list)
    parts: dict[str, etree._Element] = field(default_factory=dict, repr=False)
    children: dict[etree._Element, list[Story]] = field(default_factory=dict, repr=False)
    sections: list[dict[str, Story]] = field(default_factory=list, repr=False)

    def visible(self) -> list[Item]:
        """Body items with visible content (blank paragraphs are layout, not content)."""
        return [item for item in self.items if item.key.strip()]

    def lines(self) -> list[tuple[str, str]]:
        """Every visible paragraph of every story as (story label, compared text), in
        reading order: what a redline's accept-all and reject-all are checked against."""
        out = [("", _line(item)) for item in self.visible()]
        for story in self.stories:
            out.extend((story.label, _line(item)) for item in story.visible())
        return out


def _line(item: Item) -> str:
    """A paragraph as checked: its text, and for a cell where the table puts it."""
    return item.key if item.cell is None else "[T{}R{}C{}] ".format(*item.cell) + item.key


def read_draft(
    source: Source, label: str | None = None, mode: Mode = "accept", light: bool = False
) -> Draft:
    """Read a .docx (path or bytes) as shown with its tracked changes accepted (or, for
    checking a redline, rejected). A ``light`` reading, for the verifier, reads the compared
    text and the structure only: no style names, heading levels or list numbers."""
    package = open_package(source, label)
    root = package.xml(package.main)
    if root is None or root.find(BODY) is None:
        raise DocxError(
            _("not a Word document (.docx): {part} has no w:body").format(part=package.main),
            path=package.label,
        )
    apply = accept_all if mode == "accept" else reject_all
    apply(root)
    styles = StyleSheet(None if light else package.xml(_related_one(package, "styles")))
    numbering = Numbering(None if light else package.xml(_related_one(package, "numbering")))
    reader = _Reader(package, styles, numbering, apply, light)
    items = reader.read(root)
    return Draft(
        package.label,
        package,
        root,
        styles,
        items,
        reader.stories,
        reader.parts,
        reader.children,
        reader.sections,
    )


def _related_one(package: Package, kind: str) -> str:
    found = package.related(package.main, kind)
    return found[0] if found else f"word/{kind}.xml"


def extract_items(root: etree._Element, styles: StyleSheet, numbering: Numbering) -> list[Item]:
    """Every paragraph of a body in reading order, tables row by row."""
    reader = _Items(styles, numbering, "", None)
    body = root.find(BODY)
    if body is not None:
        reader.block(body, top=True)
    return reader.items


class _Reader:
    """Reads the body, then every story it anchors, then headers and footers."""

    def __init__(
        self,
        package: Package,
        styles: StyleSheet,
        numbering: Numbering,
        apply: Callable[[etree._Element], None],
        light: bool = False,
    ):
        self.light = light
        self.package = package
        self.styles = styles
        self.numbering = numbering
        self.apply = apply
        self.stories: list[Story] = []
        self.parts: dict[str, etree._Element] = {}
        self.children: dict[etree._Element, list[Story]] = {}
        self.sections: list[dict[str, Story]] = []
        self.counts: dict[str, int] = {}
        self.notes: dict[str, dict[str, etree._Element]] = {}
        self.resolvers: dict[str, Resolver] = {}

    def read(self, root: etree._Element) -> list[Item]:
        main = self.package.main
        self.parts[main] = root
        self.prune(root)
        body = root.find(BODY)
        assert body is not None
        reader = _Items(self.styles, self.numbering, "", self.resolver(main), self.light)
        reader.block(body, top=True)
        self.follow(reader.items, main, self.children)
        self.headers(body)
        return reader.items

    def follow(
        self, items: list[Item], part: str, children: dict[etree._Element, list[Story]]
    ) -> None:
        """Read the stories anchored in items (text boxes, notes, comments), depth first."""
        for item in items:
            for _offset, anchor in item.anchors:
                found = self.anchored(anchor, part)
                if found:
                    children[anchor] = found

    def anchored(self, anchor: etree._Element, part: str) -> list[Story]:
        kind = _NOTE_TAGS.get(anchor.tag)
        if kind is None:
            return [self.story("textbox", part, box, anchor) for box in text_boxes(anchor)]
        note = self.note(kind, anchor.get(ID, ""))
        return [] if note is None else [self.story(kind, note[0], note[1], anchor)]

    def story(
        self, kind: str, part: str, container: etree._Element, anchor: etree._Element | None
    ) -> Story:
        self.counts[kind] = number = self.counts.get(kind, 0) + 1
        label = f"{STORY_LABELS[kind]} {number}"
        return self.add(kind, label, part, container, anchor)

    def add(
        self,
        kind: str,
        label: str,
        part: str,
        container: etree._Element,
        anchor: etree._Element | None,
    ) -> Story:
        reader = _Items(self.styles, self.numbering, label, self.resolver(part), self.light)
        reader.block(container)
        story = Story(kind, label, part, container, reader.items, anchor)
        self.stories.append(story)
        self.follow(reader.items, part, story.children)
        return story

    def note(self, kind: str, note_id: str) -> tuple[str, etree._Element] | None:
        """The part and element of a footnote, endnote or comment by id."""
        parts = self.package.related(self.package.main, NOTE_PARTS[kind])
        if not parts:
            return None
        part = parts[0]
        table = self.notes.get(kind)
        if table is None:
            root = self.part(part)
            table = {}
            for el in root.iter(_NOTE_ELEMENTS[kind]) if root is not None else ():
                if el.get(w("type")) not in _SEPARATORS:
                    table.setdefault(el.get(ID, ""), el)
            self.notes[kind] = table
        el = table.get(note_id)
        return None if el is None else (part, el)

    def headers(self, body: etree._Element) -> None:
        """Headers and footers of every section, in section order."""
        rels = self.package.rels(self.package.main)
        sections = [*body.iterfind(f"{P}/{PPR}/{SECT_PR}"), *body.iterfind(SECT_PR)]
        for number, sect in enumerate(sections, start=1):
            found: dict[str, Story] = {}
            for ref in sect.iterchildren(*_HEADER_REFS):
                rel = rels.get(ref.get(_REL_ID, ""))
                kind = "header" if ref.tag == _HEADER_REFS[0] else "footer"
                root = None if rel is None or rel.external else self.part(rel.target)
                if root is None or rel is None:
                    continue
                place = ref.get(w("type"), "default")
                label = f"{STORY_LABELS[kind]} ({place}, section {number})"
                found[f"{kind} {place}"] = self.add(kind, label, rel.target, root, None)
            self.sections.append(found)

    def part(self, name: str) -> etree._Element | None:
        """A part's tree with its changes accepted (or rejected), read once."""
        if name not in self.parts:
            root = self.package.xml(name)
            if root is None:
                return None
            self.apply(root)
            self.parts[name] = root
            self.prune(root)
        return self.parts[name]

    def prune(self, root: etree._Element) -> None:
        """Drop note and comment anchors whose note or comment the package lacks: they show
        nothing, and a reader such as LibreOffice refuses a file that has one."""
        for ref in list(root.iter(*_NOTE_TAGS, *COMMENT_RANGES)):
            kind = _NOTE_TAGS.get(ref.tag, "comment")
            if kind not in NOTE_PARTS or self.note(kind, ref.get(ID, "")) is not None:
                continue
            parent = ref.getparent()
            if parent is None:
                continue
            parent.remove(ref)
            if parent.tag == R and all(c.tag == RPR for c in parent):
                grand = parent.getparent()
                if grand is not None:
                    grand.remove(parent)

    def resolver(self, part: str) -> Resolver:
        """Maps a relationship id of a part to a digest of its target (a picture's bytes)."""
        found = self.resolvers.get(part)
        if found is None:
            rels = self.package.rels(part)
            digests: dict[str, str] = {}

            def resolve(rid: str) -> str:
                rel = rels.get(rid)
                if rel is None:
                    return f"missing:{rid}"
                if rel.external:
                    return f"external:{rel.target}"
                if rel.target not in digests:
                    data = self.package.read(rel.target) or b""
                    digests[rel.target] = hashlib.blake2b(data, digest_size=16).hexdigest()
                return digests[rel.target]

            found = self.resolvers[part] = resolve
        return found


def text_boxes(anchor: etree._Element) -> list[etree._Element]:
    """The text boxes an object shows: outermost w:txbxContent, never in mc:Fallback (Word
    and LibreOffice render the mc:Choice)."""
    return [
        box
        for box in anchor.iter(TXBX)
        if not any(tag in (TXBX, FALLBACK) for tag in _until(box, anchor))
    ]


def _until(el: etree._Element, stop: etree._Element) -> Iterator[str]:
    for ancestor in el.iterancestors():
        if ancestor is stop:
            return
        yield ancestor.tag


class _Items:
    """The paragraphs of one story's container, tables row by row."""

    def __init__(
        self,
        styles: StyleSheet,
        numbering: Numbering,
        story: str,
        resolve: Resolver | None,
        light: bool = False,
    ):
        self.light = light
        self.styles = styles
        self.numbering = numbering
        self.story = story
        self.resolve = resolve
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
            elif child.tag == ALTERNATE:
                choice = child.find(CHOICE)
                if choice is not None:
                    self.block(choice, cell=cell, row=row)

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
        key, anchors = paragraph_anchors(p, self.resolve)
        if self.light:
            self.items.append(
                Item(
                    len(self.items),
                    key,
                    "",
                    None,
                    None,
                    body_index,
                    cell,
                    p,
                    row,
                    key,
                    self.story,
                    anchors,
                )
            )
            return
        ppr = p.find(PPR)
        style_id = _child_val(ppr, PSTYLE)
        level = _outline(ppr)
        if level is None:
            level = self.styles.heading_level(style_id)
        item = Item(
            index=len(self.items),
            text=paragraph_text(p) if anchors else key,
            style=self.styles.name(style_id),
            level=level,
            number=self._number(ppr, style_id),
            body_index=body_index,
            cell=cell,
            element=p,
            row=row,
            key=key,
            story=self.story,
            anchors=anchors,
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


def _child_val(parent: etree._Element | None, tag: str) -> str | None:
    el = parent.find(tag) if parent is not None else None
    return None if el is None else el.get(VAL)


def _outline(ppr: etree._Element | None) -> int | None:
    value = _child_val(ppr, w("outlineLvl"))
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else None


def format_text(items: list[Item], stories: list[Story] | None = None) -> str:
    """Plain text for reading or a git textconv: one paragraph a line, headings marked,
    objects as bracketed labels, then each other story under its label."""
    lines = []
    for item in items:
        if not item.key.strip():
            continue
        prefix = f"[T{item.cell[0]}R{item.cell[1]}C{item.cell[2]}] " if item.cell else ""
        if item.level is not None:
            prefix += "#" * item.level + " "
        if item.number:
            prefix += item.number + " "
        lines.append(prefix + shown(item.key, comments=False))
    for story in stories or ():
        shown_items = story.visible()
        if shown_items:
            text = "\n".join(shown(i.key, comments=False) for i in shown_items)
            lines.append(f"[{story.label}]\n{text}")
    return "\n\n".join(lines) + ("\n" if lines else "")


def document_text(source: Source, label: str | None = None, stories: bool = False) -> str:
    """The body as plain text (see :func:`format_text`); with ``stories``, then the notes,
    comments, headers, footers and text boxes, each under its label."""
    draft = read_draft(source, label)
    return format_text(draft.items, draft.stories if stories else None)
