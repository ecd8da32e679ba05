"""WordprocessingML names shared by the review modules."""

from __future__ import annotations

from typing import Final

W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"


def w(local: str) -> str:
    """Clark name of a WordprocessingML element or attribute: ``w('p')``."""
    return f"{{{W_NS}}}{local}"


P: Final = w("p")
R: Final = w("r")
T: Final = w("t")
PPR: Final = w("pPr")
RPR: Final = w("rPr")
TBL: Final = w("tbl")
TR: Final = w("tr")
TC: Final = w("tc")
TRPR: Final = w("trPr")
BODY: Final = w("body")
INS: Final = w("ins")
DEL: Final = w("del")
MOVE_FROM: Final = w("moveFrom")
MOVE_TO: Final = w("moveTo")
DEL_TEXT: Final = w("delText")
INSTR_TEXT: Final = w("instrText")
DEL_INSTR_TEXT: Final = w("delInstrText")
PSTYLE: Final = w("pStyle")
RSTYLE: Final = w("rStyle")
NUMPR: Final = w("numPr")
VAL: Final = w("val")
ID: Final = w("id")
SDT: Final = w("sdt")
SDT_CONTENT: Final = w("sdtContent")
SECT_PR: Final = w("sectPr")

# Elements that only wrap paragraph content: their children are read as if inline.
CONTAINERS: Final = frozenset(
    w(n) for n in ("hyperlink", "smartTag", "fldSimple", "customXml", "dir", "bdo", "ins", "moveTo")
)
# Markers of comments and proofing: never text, dropped from rebuilt paragraphs.
NOISE: Final = frozenset(
    w(n)
    for n in (
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "annotationRef",
        "proofErr",
        "lastRenderedPageBreak",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
    )
)
# Property-change records: history of formatting, dropped when changes are accepted.
PROPERTY_CHANGES: Final = frozenset(
    w(n)
    for n in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "tblPrExChange",
        "numberingChange",
    )
)
