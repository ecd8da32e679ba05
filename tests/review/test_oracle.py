"""Unit tests of the independent redline oracle (oracle.py) on small synthetic packages."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from oracle import ROW_MARK, accept, formatting, reject, stories

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
WV = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
INS = '<w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
DEL = '<w:del w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z">'
MARK_INS = '<w:ins w:id="3" w:author="a"/>'
MARK_DEL = '<w:del w:id="4" w:author="a"/>'


def docx(
    body: str,
    parts: dict[str, tuple[str, str, str]] | None = None,
    main: str = "word/document.xml",
) -> bytes:
    """A minimal package: body XML, plus parts {rId: (type suffix, file name, xml)} of main."""
    folder, name = main.rsplit("/", 1)
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'
        for rid, (kind, target, _) in (parts or {}).items()
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="{main}"/>'
            "</Relationships>",
        )
        z.writestr(main, f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr(
            f"{folder}/_rels/{name}.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for _, target, xml in (parts or {}).values():
            z.writestr(f"{folder}/{target}", xml)
    return buf.getvalue()


def p(inner: str, ppr: str = "") -> str:
    """One paragraph."""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def r(text: str, rpr: str = "") -> str:
    """One run of text."""
    return (
        f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def dr(text: str) -> str:
    """One deleted run (its text in w:delText)."""
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def table(*rows: str) -> str:
    """A table of the given rows."""
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def row(*cells: str, trpr: str = "") -> str:
    """A table row of cells, each cell text one paragraph."""
    tcs = "".join(f"<w:tc>{p(r(c))}</w:tc>" for c in cells)
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{tcs}</w:tr>"


def test_tab_stops_are_not_text_but_tabs_are() -> None:
    body = p(
        r("a") + "<w:r><w:tab/></w:r>" + r("b"),
        ppr='<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs>',
    )
    assert stories(docx(body), "asis") == ["a\tb"]


def test_special_characters_fields_notes_and_maths() -> None:
    body = p(
        r("x")
        + '<w:r><w:br/><w:br w:type="page"/><w:cr/><w:noBreakHyphen/><w:sym w:font="Symbol" w:char="0041"/></w:r>'
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("7")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + '<w:r><w:footnoteReference w:id="9"/><w:endnoteReference w:id="9"/></w:r>'
        + '<w:r><w:commentReference w:id="9"/></w:r>'
        + "<m:oMath><m:r><m:t>a+b</m:t></m:r></m:oMath>"
        + '<w:hyperlink r:id="rX"><w:smartTag><w:dir>'
        + r("!")
        + "</w:dir></w:smartTag></w:hyperlink>"
    )
    assert stories(docx(body), "asis") == ["x\n\n-A7⁽ᶠ⁾⁽ᵉ⁾⟦math:a+b⟧!"]


def test_empty_paragraphs_are_dropped_and_objects_kept() -> None:
    body = p("") + p(r("  ")) + p("<w:r><w:drawing/></w:r>") + p(r("z"))
    assert stories(docx(body), "asis") == ["⟦obj⟧", "z"]


def test_text_box_read_in_choice_never_in_fallback() -> None:
    box = "<w:txbxContent>{}</w:txbxContent>"
    body = p(
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx>"
        + box.format(p(r("in the box")))
        + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        + box.format(p(r("fallback copy")))
        + "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + r("anchor")
    ) + p(r("after"))
    assert stories(docx(body), "asis") == ["⟦obj⟧anchor", "[tb] in the box", "after"]


def test_text_box_revisions_are_applied() -> None:
    body = p(
        "<w:r><w:drawing><wps:txbx><w:txbxContent>"
        + p(INS + r("new") + "</w:ins>" + DEL + dr("old") + "</w:del>")
        + "</w:txbxContent></wps:txbx></w:drawing></w:r>"
    )
    assert stories(docx(body), "accept") == ["⟦obj⟧", "[tb] new"]
    assert stories(docx(body), "reject") == ["⟦obj⟧", "[tb] old"]


def test_insertions_deletions_and_moves() -> None:
    body = p(
        r("A ")
        + INS
        + r("new ")
        + "</w:ins>"
        + DEL
        + dr("old ")
        + "</w:del>"
        + '<w:moveFrom w:id="5" w:author="a">'
        + dr("moved ")
        + "</w:moveFrom>"
        + r("B")
        + '<w:moveTo w:id="6" w:author="a">'
        + r(" moved")
        + "</w:moveTo>"
    )
    data = docx(body)
    assert stories(data, "accept") == ["A new B moved"]
    assert stories(data, "reject") == ["A old moved B"]
    assert stories(data, "asis") == ["A new B moved"]


def test_table_rows_each_start_with_a_row_line() -> None:
    body = table(row("a", "b"), row("c", "d"))
    assert stories(docx(body), "asis") == [ROW_MARK, "a", "b", ROW_MARK, "c", "d"]


def test_nested_table_and_content_control() -> None:
    inner = table(row("inner"))
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>"
        + p(r("in sdt"))
        + "</w:sdtContent></w:sdt>"
        + f"<w:tbl><w:tr><w:tc>{p(r('outer'))}{inner}{p('')}</w:tc></w:tr></w:tbl>"
    )
    assert stories(docx(body), "asis") == ["in sdt", ROW_MARK, "outer", ROW_MARK, "inner"]


def test_deleted_row_removed_on_accept_inserted_row_on_reject() -> None:
    body = table(row("keep"), row("gone", trpr=MARK_DEL), row("added", trpr=MARK_INS))
    data = docx(body)
    assert stories(data, "accept") == [ROW_MARK, "keep", ROW_MARK, "added"]
    assert stories(data, "reject") == [ROW_MARK, "keep", ROW_MARK, "gone"]


def test_table_whose_rows_are_all_deleted_goes() -> None:
    root = etree.fromstring(
        f"<w:body {NS}>{p(r('x'))}{table(row('a', trpr=MARK_DEL), row('b', trpr=MARK_DEL))}</w:body>"
    )
    accept(root)
    assert root.find(".//{*}tbl") is None


def test_cell_insertion_and_deletion() -> None:
    body = table(
        "<w:tr><w:tc>"
        + p(r("a"))
        + "</w:tc><w:tc><w:tcPr><w:cellIns w:id='7' w:author='a'/></w:tcPr>"
        + p(r("new cell"))
        + "</w:tc><w:tc><w:tcPr><w:cellDel w:id='8' w:author='a'/></w:tcPr>"
        + p(r("old cell"))
        + "</w:tc></w:tr>"
    )
    data = docx(body)
    assert stories(data, "accept") == [ROW_MARK, "a", "new cell"]
    assert stories(data, "reject") == [ROW_MARK, "a", "old cell"]


def test_deleted_paragraph_mark_merges_with_next_paragraph() -> None:
    body = (
        p(r("Hello "), ppr=f"<w:rPr>{MARK_DEL}</w:rPr>")
        + p(r("big "), ppr=f"<w:rPr>{MARK_DEL}</w:rPr>")
        + p(r("world"), ppr='<w:pStyle w:val="Last"/>')
    )
    data = docx(body)
    assert stories(data, "accept") == ["Hello big world"]
    assert stories(data, "reject") == ["Hello ", "big ", "world"]
    assert formatting(data, "accept")[0][1] == "Last"


def test_inserted_paragraph_mark_merges_on_reject() -> None:
    body = p(r("One") + INS + r(" two") + "</w:ins>", ppr=f"<w:rPr>{MARK_INS}</w:rPr>") + p(
        INS + r("Three") + "</w:ins>"
    )
    data = docx(body)
    assert stories(data, "accept") == ["One two", "Three"]
    assert stories(data, "reject") == ["One"]


def test_rpr_change_restored_on_reject_dropped_on_accept() -> None:
    run = (
        "<w:r><w:rPr><w:b/><w:rPrChange w:id='9' w:author='a'><w:rPr><w:i/></w:rPr>"
        "</w:rPrChange></w:rPr><w:t>bold now</w:t></w:r>"
    )
    ppr = (
        '<w:pStyle w:val="New"/><w:pPrChange w:id="10" w:author="a">'
        '<w:pPr><w:pStyle w:val="Old"/></w:pPr></w:pPrChange>'
    )
    data = docx(p(run, ppr=ppr))
    assert formatting(data, "accept") == [
        ("bold now", "New", (("bold now", True, False, False, False, None),))
    ]
    assert formatting(data, "reject") == [
        ("bold now", "Old", (("bold now", False, True, False, False, None),))
    ]


def test_property_change_records_in_place() -> None:
    xml = (
        f"<w:body {NS}><w:sectPr><w:headerReference w:type='default' r:id='rH'/>"
        "<w:pgSz w:w='2'/><w:sectPrChange w:id='1' w:author='a'><w:sectPr><w:pgSz w:w='1'/>"
        "</w:sectPr></w:sectPrChange></w:sectPr></w:body>"
    )
    rejected, accepted = etree.fromstring(xml), etree.fromstring(xml)
    reject(rejected)
    accept(accepted)
    tags = [etree.QName(e).localname for e in rejected.find("{*}sectPr")]
    assert tags == ["headerReference", "pgSz"]
    assert rejected.find(".//{*}pgSz").get(WV) == "1"
    assert accepted.find(".//{*}sectPrChange") is None
    assert accepted.find(".//{*}pgSz").get(WV) == "2"


def test_reject_turns_deleted_text_back_into_text() -> None:
    body = p(
        DEL
        + dr("gone")
        + "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:delInstrText>PAGE</w:delInstrText></w:r>"
        + "</w:del>"
    )
    root = etree.fromstring(f"<w:body {NS}>{body}</w:body>")
    reject(root)
    assert [e.text for e in root.iter("{*}t")] == ["gone"]
    assert [e.text for e in root.iter("{*}instrText")] == ["PAGE"]
    assert stories(docx(body), "reject") == ["gone"]


FOOTNOTES = (
    f"<w:footnotes {NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cs</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>first note</w:t></w:r></w:p></w:footnote>'
    '<w:footnote w:id="2"><w:p><w:r><w:t>second note</w:t></w:r></w:p>'
    "<w:p><w:r><w:t>second para</w:t></w:r></w:p></w:footnote>"
    '<w:footnote w:id="3"><w:p><w:r><w:t>never referred to</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def test_footnotes_follow_the_order_of_their_references() -> None:
    body = p(r("a") + '<w:r><w:footnoteReference w:id="2"/></w:r>') + p(
        r("b") + '<w:r><w:footnoteReference w:id="1"/></w:r>'
    )
    data = docx(body, {"rF": ("footnotes", "footnotes.xml", FOOTNOTES)})
    assert stories(data, "asis") == [
        "a⁽ᶠ⁾",
        "b⁽ᶠ⁾",
        "[fn1] second note",
        "[fn1] second para",
        "[fn2] first note",
    ]


def test_deleted_footnote_reference_drops_the_note_on_accept() -> None:
    body = p(r("a") + DEL + '<w:r><w:footnoteReference w:id="1"/></w:r></w:del>')
    data = docx(body, {"rF": ("footnotes", "footnotes.xml", FOOTNOTES)})
    assert stories(data, "accept") == ["a"]
    assert stories(data, "reject") == ["a⁽ᶠ⁾", "[fn1] first note"]


def test_comments_follow_the_order_of_their_references() -> None:
    comments = (
        f"<w:comments {NS}><w:comment w:id='5'>{p(r('five'))}</w:comment>"
        f"<w:comment w:id='6'>{p(r('six'))}</w:comment></w:comments>"
    )
    body = p(r("x") + "<w:r><w:commentReference w:id='6'/></w:r>") + p(
        r("y") + "<w:r><w:commentReference w:id='5'/></w:r>"
    )
    data = docx(body, {"rC": ("comments", "comments.xml", comments)})
    assert stories(data, "asis") == ["x", "y", "[c1] six", "[c2] five"]


def test_headers_and_footers_per_section_through_the_main_part_rels() -> None:
    def hdr(tag: str, text: str) -> str:
        return f"<w:{tag} {NS}>{p(r(text))}</w:{tag}>"

    body = (
        p(
            r("section one"),
            ppr="<w:sectPr><w:headerReference w:type='default' r:id='rH1'/></w:sectPr>",
        )
        + p(r("section two"))
        + "<w:sectPr><w:headerReference w:type='first' r:id='rH2'/>"
        "<w:footerReference w:type='default' r:id='rF1'/></w:sectPr>"
    )
    parts = {
        "rH1": ("header", "header1.xml", hdr("hdr", "H one")),
        "rH2": ("header", "header2.xml", hdr("hdr", "H two")),
        "rF1": ("footer", "footer1.xml", hdr("ftr", "F two")),
    }
    data = docx(body, parts, main="doc/main.xml")
    assert stories(data, "asis") == [
        "section one",
        "section two",
        "[s1 header-default] H one",
        "[s2 header-first] H two",
        "[s2 footer-default] F two",
    ]


def test_formatting_merges_runs_of_equal_formatting() -> None:
    body = p(
        r("a", "<w:b/>")
        + r("b", "<w:b w:val='1'/>")
        + r("c", "<w:b w:val='0'/><w:u w:val='single'/>"),
        ppr='<w:pStyle w:val="Body"/>',
    )
    assert formatting(docx(body), "asis") == [
        (
            "abc",
            "Body",
            (("ab", True, False, False, False, None), ("c", False, False, True, False, None)),
        )
    ]


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        stories(docx(p(r("x"))), "both")  # type: ignore[arg-type]
