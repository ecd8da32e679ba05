"""Numbers and references that follow the lawyer's edits in Word and LibreOffice.

:func:`make_live` edits the .docx docxtpl has just filled (see ``render_docx``):

- headings get their number from the template's list numbering (« I. — », « A. — », « 1. »),
  and numbered list items (« 1) » of the questions préjudicielles) from a list of their own;
  every such label is checked against the number the assembly gave (``Paragraph.label``), and
  where the template cannot print it (a firm's own template, an unusual layout) it is typed;
- a heading that would skip a level (FAITS: Heading 1, then Heading 3) keeps its style, and
  so its look, with the outline level that follows on (``w:outlineLvl``);
- bookmarks: every heading, « PAR CES MOTIFS », every numbered paragraph the table of
  authorities points to (``_Par12``) and the number of every line of the inventaire
  (``_Piece3``);
- fields, each with its current value as the cached result: the table's « § 12 » is
  ``REF _Par12 \\n \\h`` (the paragraph's list number, without its trailing period), the
  inventaire's numbers are ``SEQ Piece``, and each « pièce n° 3 » of the text is
  ``REF _Piece3 \\h`` (the bookmarked number). What LibreOffice and Word do with these forms
  is in docs/word-fields.md.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from requete.document import Authority, Document, InventoryItem, Paragraph

W = nsdecls("w")
P, R, T = qn("w:p"), qn("w:r"), qn("w:t")
PPR, RPR, PSTYLE, VAL = qn("w:pPr"), qn("w:rPr"), qn("w:pStyle"), qn("w:val")
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
NUMBERED_LIST = "%1)"  # the template's list for « 1) » items (tools/make_template.py)
BOOKMARK_CHARS = re.compile(r"[^A-Za-z0-9_]+")
_PPR_BEFORE_NUMPR = {
    qn(f"w:{tag}")
    for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
}
_PPR_AFTER_OUTLINE = {qn(f"w:{tag}") for tag in ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}


Matched = list[tuple[Paragraph, etree._Element]]


def make_live(docx: Any, document: Document) -> Matched:
    """Turn the typed numbers of the rendered .docx into list numbering, bookmarks and fields;
    return the model's paragraphs paired with the .docx paragraphs showing them."""
    live = _Live(docx, document)
    live.headings_and_lists()
    live.bookmarks()
    live.pieces()
    live.authorities()
    return live.matched


def match_paragraphs(paragraphs: list[etree._Element], document: Document) -> Matched:
    """Model paragraphs (CONTRE, body, conclusions) paired with their .docx paragraphs, in
    order, by their text (the number a list prints is not in either); one not found is left
    out."""
    model = [Paragraph("para", document.contre), *document.body, *document.conclusions]
    out = []
    start = 0
    texts = [_text(p) for p in paragraphs]
    for paragraph in model:
        wanted = "".join(r.text for r in paragraph.runs)
        for i in range(start, len(texts)):
            if texts[i] == wanted:
                out.append((paragraph, paragraphs[i]))
                start = i + 1
                break
    return out


class _Live:
    def __init__(self, docx: Any, document: Document):
        self.docx = docx
        self.document = document
        self.body = docx.element.body
        self.paragraphs: list[etree._Element] = list(self.body.iterchildren(P))
        self.style_ids = {style.name: style.style_id for style in docx.styles}
        self.matched = match_paragraphs(self.paragraphs, document)
        self.next_id = 1 + max(
            (int(b.get(qn("w:id"), "0")) for b in self.body.iter(qn("w:bookmarkStart"))),
            default=0,
        )
        self.names: set[str] = set()
        self.item_lists: dict[etree._Element, str] = {}  # first item of a run -> its w:num

    # -- which .docx paragraph shows which paragraph of the model ---------------------------

    def _style(self, name: str) -> str | None:
        return self.style_ids.get(name)

    def _of_style(self, name: str, after: etree._Element | None = None) -> list[etree._Element]:
        style_id = self._style(name)
        found = [p for p in self.paragraphs if _style_of(p) == style_id]
        if after is not None:
            index = self.paragraphs.index(after)
            found = [p for p in found if self.paragraphs.index(p) > index]
        return found

    # -- heading numbers and numbered list items --------------------------------------------

    def headings_and_lists(self) -> None:
        outline: list[tuple[int, int]] = []  # enclosing headings: (style level, level shown)
        questions: list[etree._Element] = []
        last_item: Paragraph | None = None
        for paragraph, p in self.matched:
            level = HEADINGS.get(paragraph.kind)
            if level is not None and _style_of(p) == self._style(HEADING_STYLES[paragraph.kind]):
                while outline and outline[-1][0] >= level:
                    outline.pop()
                shown = min(level, (outline[-1][1] if outline else 0) + 1)
                if shown < level:
                    _set_outline(p, shown - 1)  # w:outlineLvl counts from 0
                outline.append((level, shown))
            if paragraph.kind == "list" and paragraph.label:
                if last_item is None or last_item.kind != "list" or not last_item.label:
                    questions.append(p)  # the first item of a run of « 1) … » items
                self._number_item(p, questions[-1])
            last_item = paragraph
        self._check_labels()

    def _number_item(self, p: etree._Element, first: etree._Element) -> None:
        """Items of one run share a w:num of their own, restarting at 1."""
        abstract = self._numbered_list_abstract()
        if abstract is None:
            return
        numbering = self.docx.part.numbering_part.element
        if first is p:
            num_id = 1 + max(int(n.get(qn("w:numId"), "0")) for n in numbering.iter(qn("w:num")))
            numbering.append(
                parse_xml(
                    f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
                    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                    "</w:num>"
                )
            )
            self.item_lists[first] = str(num_id)
        _set_numbering(p, self.item_lists.get(first))

    def _numbered_list_abstract(self) -> str | None:
        numbering = self.docx.part.numbering_part.element
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            levels = list(abstract.iterchildren(qn("w:lvl")))
            text = levels[0].find(qn("w:lvlText")) if levels else None
            fmt = levels[0].find(qn("w:numFmt")) if levels else None
            if (
                len(levels) == 1
                and text is not None
                and text.get(VAL) == NUMBERED_LIST
                and fmt is not None
                and fmt.get(VAL) == "decimal"
                and levels[0].find(qn("w:pStyle")) is None
            ):
                value = abstract.get(qn("w:abstractNumId"))
                return None if value is None else str(value)
        return None

    def _check_labels(self) -> None:
        """Each heading or item shows the label the assembly gave it, or none: where list
        numbering prints something else, the paragraph is taken out of the list and the label
        is typed. Re-counted after each change, since one change moves the counts after it."""
        labelled = [(m, p) for m, p in self.matched if m.kind in HEADINGS or m.label]
        typed: set[etree._Element] = set()
        for _ in range(len(labelled) + 1):
            shown = self._labels()
            wrong = next(
                ((m, p) for m, p in labelled if p not in typed and shown.get(p) != m.label), None
            )
            if wrong is None:
                return
            paragraph, p = wrong
            _set_numbering(p, "0")
            if paragraph.label:
                _type_label(p, paragraph.label)
                typed.add(p)

    def _labels(self) -> dict[etree._Element, str | None]:
        """The label every body paragraph shows, counted like Word (requete.review)."""
        from requete.ooxml.numbering import Numbering
        from requete.ooxml.styles import StyleSheet
        from requete.ooxml.text import extract_items

        styles = StyleSheet(self.docx.styles.element)
        numbering = Numbering(self.docx.part.numbering_part.element)
        items = extract_items(self.docx.element, styles, numbering)
        return {item.element: item.number for item in items if item.element is not None}

    # -- bookmarks ---------------------------------------------------------------------------

    def bookmarks(self) -> None:
        for paragraph, p in self.matched:
            if paragraph.kind in HEADINGS:
                title = "".join(r.text for r in paragraph.runs)
                name = paragraph.block if paragraph.kind == "h3" and paragraph.block else title
                self._bookmark_paragraph(p, self._name("Titre_" + name))
        last_body = next((p for m, p in reversed(self.matched) if m in self.document.body), None)
        dispositif = self._of_style("Dispositif", after=last_body)
        if dispositif:
            self._bookmark_paragraph(dispositif[0], self._name("Par_ces_motifs"))
        targets = {n for a in self.document.authorities for n in a.paragraph_numbers}
        for paragraph, p in self.matched:
            if paragraph.kind == "para" and paragraph.number in targets:
                self._bookmark_paragraph(p, paragraph_bookmark(paragraph.number))

    def _name(self, text: str) -> str:
        """A Word bookmark name: ASCII letters, digits and _, 40 characters, unique."""
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        base = BOOKMARK_CHARS.sub("_", ascii_text).strip("_")[:40] or "Titre"
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base[: 40 - len(str(n)) - 1]}_{n}"
        self.names.add(name)
        return name

    def _bookmark_paragraph(self, p: etree._Element, name: str) -> None:
        start, end = self._bookmark(name)
        ppr = p.find(PPR)
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)

    def _bookmark(self, name: str) -> tuple[etree._Element, etree._Element]:
        bid = self.next_id
        self.next_id += 1
        self.names.add(name)
        return (
            parse_xml(f'<w:bookmarkStart {W} w:id="{bid}" w:name="{name}"/>'),
            parse_xml(f'<w:bookmarkEnd {W} w:id="{bid}"/>'),
        )

    # -- pièces ------------------------------------------------------------------------------

    def pieces(self) -> None:
        """The inventaire's numbers become SEQ fields in bookmarks; references, REF fields."""
        lines = self._inventory_lines()
        if not lines:
            return
        items = [item for item, _ in lines]
        counted = [item.number for item in items] == list(range(1, len(items) + 1))
        for item, (p, start) in zip(items, (line for _, line in lines), strict=True):
            runs = _isolate(p, start, start + len(str(item.number)))
            if runs is None:
                continue
            bookmark = self._bookmark(piece_bookmark(item.number))
            if counted:  # the lines are 1, 2, 3…: Word and LibreOffice count them
                _wrap_field(runs, "SEQ Piece \\* ARABIC", bookmark)
            else:
                runs[0].addprevious(bookmark[0])
                runs[-1].addnext(bookmark[1])
        listed = {item.number for item in items}
        for paragraph, p in self.matched:
            offset = 0
            spans = []
            for run in paragraph.runs:
                if run.piece is not None and run.piece in listed:
                    spans.append((offset, offset + len(run.text), run.piece))
                offset += len(run.text)
            for start, end, number in reversed(spans):  # from the end: offsets stay valid
                runs = _isolate(p, start, end)
                if runs is not None:
                    _wrap_field(runs, f"REF {piece_bookmark(number)} \\h")

    def _inventory_lines(self) -> list[tuple[InventoryItem, tuple[etree._Element, int]]]:
        out = []
        lines = self._of_style("Pièce")
        for item, p in zip(self.document.pieces, lines, strict=False):
            head = f"Pièce n°\u00a0{item.number}\u00a0:"
            if not _text(p).startswith(head):
                return []
            out.append((item, (p, len("Pièce n°\u00a0"))))
        return out if len(out) == len(self.document.pieces) else []

    # -- table of authorities ----------------------------------------------------------------

    def authorities(self) -> None:
        """Each « § 12 » of the table: a REF to the numbered paragraph's bookmark."""
        by_text: dict[str, Authority] = {}
        for authority in self.document.authorities:
            runs_text = "".join(r.text for r in authority.runs)
            by_text[runs_text + " — " + authority.places] = authority
        for p in self._of_style("Autorité"):
            text = _text(p)
            found = by_text.get(text)
            if found is None:
                continue
            for start, end, number in reversed(list(_number_spans(text, found))):
                runs = _isolate(p, start, end)
                if runs is not None and paragraph_bookmark(number) in self.names:
                    _wrap_field(runs, f"REF {paragraph_bookmark(number)} \\n \\h")


def paragraph_bookmark(number: int) -> str:
    """The bookmark of numbered paragraph ``number`` (hidden in Word: leading _)."""
    return f"_Par{number}"


def piece_bookmark(number: int) -> str:
    """The bookmark around the number of line ``number`` of the inventaire."""
    return f"_Piece{number}"


def _number_spans(text: str, authority: Authority) -> Iterator[tuple[int, int, int]]:
    """Where each paragraph number of the entry's pointer is, in the paragraph's text."""
    places = authority.places
    position = len(text) - len(places)
    numbers = authority.paragraph_numbers
    position += 2  # « § » or « §§ » and the space
    if len(numbers) > 1:
        position += 1
    for number in numbers:
        yield position, position + len(str(number)), number
        position += len(str(number)) + 2  # « , »


# -- XML helpers -----------------------------------------------------------------------------


def _style_of(p: etree._Element) -> str | None:
    ppr = p.find(PPR)
    style = ppr.find(PSTYLE) if ppr is not None else None
    return None if style is None else style.get(VAL)


def run_text(r: etree._Element) -> str:
    """The text of one run, as the paragraph shows it."""
    return "".join(_child_text(child) for child in r)


def _text(p: etree._Element) -> str:
    return "".join(run_text(r) for r in p.iterchildren(R))


def _set_numbering(p: etree._Element, num_id: str | None) -> None:
    if num_id is None:
        return
    ppr = p.find(PPR)
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {W}/>")
        p.insert(0, ppr)
    existing = ppr.find(qn("w:numPr"))
    if existing is not None:
        ppr.remove(existing)
    numpr = parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    if num_id == "0":
        numpr = parse_xml(f'<w:numPr {W}><w:numId w:val="0"/></w:numPr>')
    before = [c for c in ppr if c.tag in _PPR_BEFORE_NUMPR]
    if before:
        before[-1].addnext(numpr)
    else:
        ppr.insert(0, numpr)


def _set_outline(p: etree._Element, level: int) -> None:
    ppr = p.find(PPR)
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {W}/>")
        p.insert(0, ppr)
    outline = parse_xml(f'<w:outlineLvl {W} w:val="{level}"/>')
    after = [c for c in ppr if c.tag in _PPR_AFTER_OUTLINE]
    if after:
        after[0].addprevious(outline)
    else:
        ppr.append(outline)


def _type_label(p: etree._Element, label: str) -> None:
    """The label as typed text at the start of the paragraph (the old way)."""
    run = parse_xml(f'<w:r {W}><w:t xml:space="preserve"></w:t></w:r>')
    run.find(T).text = label + " "
    first = next(p.iterchildren(R), None)
    if first is not None:
        first.addprevious(run)
    else:
        p.append(run)


def _isolate(p: etree._Element, start: int, end: int) -> list[etree._Element] | None:
    """The runs that hold exactly the characters [start, end) of the paragraph, splitting
    runs at both ends; None if they are not plain text runs side by side."""
    if start >= end or not _split_at(p, start) or not _split_at(p, end):
        return None
    out, position = [], 0
    for r in p.iterchildren(R):
        length = len(run_text(r))
        if start <= position and position + length <= end and length:
            out.append(r)
        position += length
    if not out or sum(len(run_text(r)) for r in out) != end - start:
        return None
    parent = out[0].getparent()
    if any(r.getparent() is not parent for r in out):
        return None
    siblings = list(parent)
    first = siblings.index(out[0])
    if siblings[first : first + len(out)] != out:
        return None
    return out


def _split_at(p: etree._Element, offset: int) -> bool:
    """Make ``offset`` fall between two runs (splitting a w:t); False if it cannot."""
    position = 0
    for r in p.iterchildren(R):
        length = len(run_text(r))
        if position == offset or position + length == offset:
            return True
        if position < offset < position + length:
            return split_run(r, offset - position)
        position += length
    return position == offset


def split_run(r: etree._Element, offset: int) -> bool:
    """Split run ``r`` after ``offset`` characters of its text into two runs of the same
    formatting (``r`` keeps the start); False where that would cut a non-text element."""
    content = [c for c in r if c.tag != RPR]
    position = 0
    for index, child in enumerate(content):
        length = len(_child_text(child))
        if position < offset < position + length:
            if child.tag != T:
                return False
            text = child.text or ""
            cut = offset - position
            child.text = text[:cut]
            child.set(qn("xml:space"), "preserve")
            tail = copy.deepcopy(child)
            tail.text = text[cut:]
            rest = [tail] + content[index + 1 :]
            break
        if position + length == offset:
            rest = content[index + 1 :]
            break
        position += length
    else:
        return False
    second = copy.deepcopy(r)
    for child in [c for c in second if c.tag != RPR]:
        second.remove(child)
    for child in rest:
        second.append(child)  # moves the originals (and the new tail) to the second run
    r.addnext(second)
    return True


_CHILD_TEXT = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _child_text(child: etree._Element) -> str:
    if child.tag == T:
        return child.text or ""
    return _CHILD_TEXT.get(child.tag, "")


def _wrap_field(
    runs: list[etree._Element],
    instruction: str,
    bookmark: tuple[etree._Element, etree._Element] | None = None,
) -> None:
    """Make ``runs`` the cached result of a field (begin, code, separate … end), formatted
    like its first run; the bookmark, if any, around the whole field."""
    rpr = runs[0].find(RPR)

    def run(inner: str) -> etree._Element:
        element = parse_xml(f"<w:r {W}>{inner}</w:r>")
        if rpr is not None:
            element.insert(0, copy.deepcopy(rpr))
        return element

    code = run('<w:instrText xml:space="preserve"></w:instrText>')
    code.find(qn("w:instrText")).text = f" {instruction} "
    begin = run('<w:fldChar w:fldCharType="begin"/>')
    first, last = runs[0], runs[-1]
    for element in (begin, code, run('<w:fldChar w:fldCharType="separate"/>')):
        first.addprevious(element)
    end = run('<w:fldChar w:fldCharType="end"/>')
    last.addnext(end)
    if bookmark is not None:
        begin.addprevious(bookmark[0])
        end.addnext(bookmark[1])
