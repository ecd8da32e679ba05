"""Redlines on every story and structure: notes, headers, text boxes, comments, pictures,
table rows, moves, formatting, and the text model under them (issue 17).

Each document is written here as raw WordprocessingML, so that every case is exactly the
markup Word writes; each redline is checked by requete's verifier and by the independent
accept/reject oracle of oracle.py."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from drafts import to_pdf
from oracle import stories

from requete.review import check_redline, diff_drafts, make_redline, read_draft

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def p(text: str, inner: str = "") -> str:
    """A paragraph of plain text, then extra run-level markup."""
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>{inner}</w:p>'


def docx(
    body: str,
    footnotes: list[str] | None = None,
    header: str | None = None,
    comments: list[str] | None = None,
    image: bool = False,
    main: str = "word/document.xml",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A package: the body's paragraphs, footnotes by id from 1, a default header, comments
    by id from 0, an image part (rId9), under a main part of any name."""
    folder, file = main.rsplit("/", 1)
    rels = []
    types = [f'<Override PartName="/{main}" ContentType="{WML}.document.main+xml"/>']
    parts: dict[str, bytes] = {}
    sect = ""
    if footnotes is not None:
        notes = "".join(
            f'<w:footnote w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>'
            "</w:footnote>"
            for i, t in enumerate(footnotes, start=1)
        )
        separators = (
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        )
        parts[f"{folder}/footnotes.xml"] = (
            f"<w:footnotes {NS}>{separators}{notes}</w:footnotes>".encode()
        )
        rels.append(f'<Relationship Id="rId2" Type="{REL}footnotes" Target="footnotes.xml"/>')
        types.append(
            f'<Override PartName="/{folder}/footnotes.xml" ContentType="{WML}.footnotes+xml"/>'
        )
    if header is not None:
        parts[f"{folder}/header1.xml"] = f"<w:hdr {NS}>{p(header)}</w:hdr>".encode()
        rels.append(f'<Relationship Id="rId3" Type="{REL}header" Target="header1.xml"/>')
        types.append(f'<Override PartName="/{folder}/header1.xml" ContentType="{WML}.header+xml"/>')
        sect = '<w:headerReference w:type="default" r:id="rId3"/>'
    if comments is not None:
        items = "".join(
            f'<w:comment w:id="{i}" w:author="Avocat"><w:p><w:r><w:t>{t}</w:t></w:r></w:p>'
            "</w:comment>"
            for i, t in enumerate(comments)
        )
        parts[f"{folder}/comments.xml"] = f"<w:comments {NS}>{items}</w:comments>".encode()
        rels.append(f'<Relationship Id="rId4" Type="{REL}comments" Target="comments.xml"/>')
        types.append(
            f'<Override PartName="/{folder}/comments.xml" ContentType="{WML}.comments+xml"/>'
        )
    if image:
        parts[f"{folder}/media/image1.png"] = PNG
        rels.append(f'<Relationship Id="rId9" Type="{REL}image" Target="media/image1.png"/>')
    document = f"<w:document {NS}><w:body>{body}<w:sectPr>{sect}</w:sectPr></w:body></w:document>"
    parts[main] = document.encode()
    parts[f"{folder}/_rels/{file}.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}officeDocument" Target="{main}"/></Relationships>'
    ).encode()
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>' + "".join(types) + "</Types>"
    ).encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def note_ref(n: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{n}"/></w:r>'


def picture(rid: str = "rId9", pid: int = 1) -> str:
    return (
        '<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
        f'<wp:docPr id="{pid}" name="Image {pid}"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill>'
        f'<a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def text_box(text: str) -> str:
    """A text box as Word writes it: a wps shape in mc:Choice, a VML copy in mc:Fallback."""
    content = f"<w:txbxContent>{p(text)}</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
        '<wp:extent cx="2400000" cy="600000"/><wp:docPr id="5" name="Zone 1"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="600000"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f'<v:shape style="width:189pt;height:47pt"><v:textbox>{content}</v:textbox></v:shape>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def redline(old: bytes, new: bytes) -> bytes:
    """The verified redline, also checked by the independent oracle on every story."""
    data = make_redline(diff_drafts(old, new, "old", "new"), date="2024-01-01T00:00:00Z")
    assert stories(data, "accept") == stories(new, "accept")
    assert stories(data, "reject") == stories(old, "accept")
    return data


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_a_tab_stop_is_not_text() -> None:
    body = (
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>Title2</w:t></w:r></w:p>"
    )
    assert read_draft(docx(body)).items[0].text == "Title2"


def test_the_main_part_is_found_through_the_package_relationships() -> None:
    old = docx(p("Le recours est recevable."), main="word/main.xml")
    new = docx(p("Le recours est pleinement recevable."), main="word/main.xml")
    data = redline(old, new)
    assert "<w:ins " in part(data, "word/main.xml")
    assert "word/document.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_changed_footnote_is_tracked_in_the_notes_part() -> None:
    body = p("Le Conseil d'État l'a jugé.", note_ref(1))
    old = docx(body, footnotes=["CE, 19 juin 2020, n° 440916."])
    new = docx(body, footnotes=["CE, ord., 19 juin 2020, n° 440916."])
    diff = diff_drafts(old, new)
    assert not diff.identical
    assert [s.label for s in diff.stories] == ["note 1"]
    data = redline(old, new)
    assert "<w:ins " in part(data, "word/footnotes.xml")
    assert "<w:ins " not in part(data, "word/document.xml")


def test_a_deleted_footnote_comes_back_on_reject() -> None:
    old = docx(
        p("Premier moyen.", note_ref(1)) + p("Second moyen.", note_ref(2)),
        footnotes=["Première source.", "Seconde source."],
    )
    new = docx(p("Premier moyen.", note_ref(1)), footnotes=["Première source."])
    data = redline(old, new)
    assert "Seconde source." in part(data, "word/footnotes.xml")


def test_a_note_only_the_old_draft_has_is_created_with_its_part() -> None:
    old = docx(p("Un moyen.", note_ref(1)), footnotes=["Une source."])
    new = docx(p("Un moyen."))
    data = redline(old, new)
    assert "Une source." in part(data, "word/footnotes.xml")
    types = part(data, "[Content_Types].xml")
    assert "/word/footnotes.xml" in types


def test_a_changed_header_is_tracked_in_the_header_part() -> None:
    old = docx(p("Texte."), header="Requête introductive")
    new = docx(p("Texte."), header="Mémoire complémentaire")
    data = redline(old, new)
    assert "<w:del " in part(data, "word/header1.xml")


def test_a_text_box_is_redlined_in_the_shape_word_renders_and_its_fallback_follows() -> None:
    old = docx(p("Avant.", text_box("Pièce n° 3")))
    new = docx(p("Avant.", text_box("Pièce n° 4")))
    assert not diff_drafts(old, new).identical
    data = redline(old, new)
    xml = part(data, "word/document.xml")
    choice, fallback = xml.split("<mc:Fallback>")
    assert "<w:ins " in choice and "<w:ins " in fallback


def test_comments_are_kept_and_a_new_comment_is_an_inserted_anchor() -> None:
    anchor = '<w:r><w:commentReference w:id="0"/></w:r>'
    old = docx(p("Texte."))
    new = docx(p("Texte.", anchor), comments=["Vérifier la date."])
    data = redline(old, new)
    assert "Vérifier la date." in part(data, "word/comments.xml")
    xml = part(data, "word/document.xml")
    assert xml.index("<w:ins ") < xml.index("commentReference")


def test_a_deleted_picture_keeps_its_image_on_reject() -> None:
    old = docx(p("Schéma :", picture()), image=True)
    new = docx(p("Schéma :"))
    data = redline(old, new)
    xml = part(data, "word/document.xml")
    assert "<w:del " in xml and "r:embed=" in xml
    rels = part(data, "word/_rels/document.xml.rels")
    assert "media/image1.png" in rels
    assert zipfile.ZipFile(io.BytesIO(data)).read("word/media/image1.png") == PNG


def test_a_picture_beside_a_changed_word_is_kept() -> None:
    old = docx(p("Schéma ancien", picture()), image=True)
    new = docx(p("Schéma nouveau", picture()), image=True)
    data = redline(old, new)
    assert part(data, "word/document.xml").count("<w:drawing>") == 1


def test_a_deleted_row_is_a_deleted_row() -> None:
    def table(*rows: str) -> str:
        cells = "".join(f"<w:tr><w:tc>{p(r)}</w:tc></w:tr>" for r in rows)
        return f"<w:tbl>{cells}</w:tbl>"

    data = redline(docx(table("1", "2", "3")), docx(table("1", "3")))
    xml = part(data, "word/document.xml")
    assert xml.count("<w:tr>") + xml.count("<w:tr ") == 3
    assert "<w:trPr><w:del " in xml


def test_a_moved_paragraph_is_a_word_move() -> None:
    a, b, c = (
        p("Sur la recevabilité de la requête, le requérant justifie d'un intérêt."),
        p("Sur la légalité externe, la délibération est irrégulière."),
        p("Sur la légalité interne, le traitement méconnaît le règlement."),
    )
    diff = diff_drafts(docx(a + b + c), docx(b + c + a))
    assert diff.counts["moved"] == 1
    data = redline(docx(a + b + c), docx(b + c + a))
    xml = part(data, "word/document.xml")
    assert "<w:moveFrom " in xml and "<w:moveTo " in xml
    assert "<w:del " not in xml and "<w:ins " not in xml


def test_a_formatting_only_change_is_recorded_as_such() -> None:
    old = docx(p("Sur le moyen unique."))
    new = docx("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Sur le moyen unique.</w:t></w:r></w:p>")
    data = redline(old, new)
    xml = part(data, "word/document.xml")
    assert "<w:rPrChange " in xml and "<w:ins " not in xml and "<w:del " not in xml
    rejected = read_draft(data, mode="reject").root
    assert not list(rejected.iter(f"{{{W}}}b"))


def test_a_word_extended_by_text_is_one_insertion() -> None:
    old = docx(p("CJUE, 16 juillet 2020"))
    new = docx(p("CJUE, 16 juillet 2020 (C-311/18)"))
    data = redline(old, new)
    xml = part(data, "word/document.xml")
    assert "<w:del " not in xml and xml.count("<w:ins ") == 1


def test_the_summary_keeps_its_markers_without_colour(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from requete.cli import app

    (tmp_path / "a.docx").write_bytes(docx(p("CJUE, 16 juillet 2020")))
    (tmp_path / "b.docx").write_bytes(docx(p("CJUE, 16 juillet 2020 (C-311/18)")))
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "a.docx"), str(tmp_path / "b.docx")])
    assert result.exit_code == 0, result.output
    assert "2020{+ (C-311/18)+}" in result.output


def test_a_part_no_story_reads_is_named_as_not_compared() -> None:
    old = docx(p("Texte."), extra={"word/charts/chart1.xml": b"<c/>"})
    new = docx(p("Texte."), extra={"word/charts/chart1.xml": b"<c><v/></c>"})
    diff = diff_drafts(old, new)
    assert diff.uncompared == ["word/charts/chart1.xml"]


@pytest.mark.parametrize("kind", ["footnote", "header", "textbox"])
def test_the_verifier_looks_at_every_story(kind: str) -> None:
    """A redline that is right on the body but wrong on another story is refused."""
    if kind == "footnote":
        body = p("Texte.", note_ref(1))
        old, new = docx(body, footnotes=["Ancienne."]), docx(body, footnotes=["Nouvelle."])
    elif kind == "header":
        old, new = docx(p("Texte."), header="Ancien"), docx(p("Texte."), header="Nouveau")
    else:
        old, new = docx(p("Texte.", text_box("Ancien"))), docx(p("Texte.", text_box("Nouveau")))
    # The new draft itself, offered as a redline, has the body right but not the story.
    check = check_redline(new, read_draft(old), read_draft(new))
    assert check.accept.ok and not check.reject.ok


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_every_kind_of_redline_with_its_changes(tmp_path: Path) -> None:
    cases = {
        "note": (
            docx(p("Texte.", note_ref(1)), footnotes=["Source ancienne."]),
            docx(p("Texte.", note_ref(1)), footnotes=["Source nouvelle."]),
        ),
        "note-created": (
            docx(p("Un moyen.", note_ref(1)), footnotes=["Source ancienne."]),
            docx(p("Un moyen.")),
        ),
        "header": (docx(p("Texte."), header="En-tête ancien"), docx(p("Texte."), header="Nouveau")),
        "textbox": (docx(p("Texte.", text_box("Zone ancienne"))), docx(p("Texte.", text_box("Z")))),
        "picture": (docx(p("Schéma ancien", picture()), image=True), docx(p("Schéma :"))),
        "comment": (
            docx(p("Texte ancien.")),
            docx(p("Texte.", '<w:r><w:commentReference w:id="0"/></w:r>'), comments=["Vérifier."]),
        ),
    }
    link = '<w:p><w:hyperlink w:anchor="m"><w:r><w:t>{}</w:t></w:r></w:hyperlink></w:p>'
    cases["hyperlink"] = (docx(link.format("lien ancien")), docx(link.format("lien neuf")))
    row = "<w:tr><w:tc>{}</w:tc></w:tr>"
    cases["row"] = (
        docx("<w:tbl>" + row.format(p("un")) + row.format(p("ancien")) + "</w:tbl>"),
        docx("<w:tbl>" + row.format(p("un")) + "</w:tbl>"),
    )
    cases["move"] = (
        docx(p("Un paragraphe ancien qui change de place.") + p("Un autre paragraphe.")),
        docx(p("Un autre paragraphe.") + p("Un paragraphe ancien qui change de place.")),
    )
    folder = tmp_path / "docx"
    folder.mkdir()
    for name, (old, new) in cases.items():
        (folder / f"{name}.docx").write_bytes(redline(old, new))
    to_pdf(sorted(folder.iterdir()), tmp_path / "pdf", tmp_path / "profile", timeout=300)
    for name in cases:
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 0, name
        if shutil.which("pdftotext"):
            shown = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "ancien" in shown, name  # the deleted text is shown, struck through


def test_a_hyperlink_and_a_simple_field_survive_a_change_beside_them() -> None:
    link = (
        '<w:hyperlink r:id="rId7"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        "<w:t>Légifrance</w:t></w:r></w:hyperlink>"
    )
    field = '<w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple>'

    def body(word: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">Voir {word} </w:t></w:r>{link}{field}</w:p>'

    data = redline(docx(body("le site")), docx(body("aussi le site")))
    xml = part(data, "word/document.xml")
    assert xml.count("<w:hyperlink ") == 1 and 'r:id="rId7"' in xml
    assert xml.count("<w:fldSimple ") == 1 and "Légifrance" in xml


def test_an_insertion_inside_a_hyperlink_stays_inside_it() -> None:
    def body(text: str) -> str:
        return (
            f'<w:p><w:hyperlink w:anchor="moyen"><w:r><w:t>{text}</w:t></w:r></w:hyperlink></w:p>'
        )

    data = redline(docx(body("le premier moyen")), docx(body("le premier moyen unique")))
    xml = part(data, "word/document.xml")
    start, end = xml.index("<w:hyperlink "), xml.index("</w:hyperlink>")
    assert start < xml.index("<w:ins ") < end
