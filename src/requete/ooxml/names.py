"""WordprocessingML names shared by everything that reads or writes a .docx."""

from __future__ import annotations

from typing import Final

W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
MC_NS: Final = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WP_NS: Final = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL_TYPES: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


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
TXBX: Final = w("txbxContent")
ALTERNATE: Final = f"{{{MC_NS}}}AlternateContent"
CHOICE: Final = f"{{{MC_NS}}}Choice"
FALLBACK: Final = f"{{{MC_NS}}}Fallback"
FOOTNOTE_REF: Final = w("footnoteReference")
ENDNOTE_REF: Final = w("endnoteReference")
COMMENT_REF: Final = w("commentReference")
COMMENT_RANGES: Final = (w("commentRangeStart"), w("commentRangeEnd"))
# Run children that show as one object in the text: pictures, charts, text boxes, embedded
# objects, note and comment anchors. Paragraph children of the same kind: equations.
RUN_OBJECTS: Final = frozenset(
    {w("drawing"), w("pict"), w("object"), FOOTNOTE_REF, ENDNOTE_REF, COMMENT_REF}
)
MATH: Final = frozenset({f"{{{MATH_NS}}}oMath", f"{{{MATH_NS}}}oMathPara"})

# Elements that only wrap paragraph content: their children are read as if inline.
CONTAINERS: Final = frozenset(
    w(n) for n in ("hyperlink", "smartTag", "fldSimple", "customXml", "dir", "bdo", "ins", "moveTo")
)
# Markers of proofing and of old moves: never text, dropped from rebuilt paragraphs.
NOISE: Final = frozenset(
    w(n)
    for n in (
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
