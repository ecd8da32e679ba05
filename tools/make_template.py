"""Generate templates/requete.docx: the default Word template, with real named styles.

Run ``python tools/make_template.py`` after changing it. A firm restyles the result in Word
(Styles pane) without touching code; the Jinja tags in it are docxtpl's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle

from requete.typography import fix_typography

FONT = "Times New Roman"
NUMBERED, CONCLUSION, HEADINGS, QUESTIONS = 10, 11, 12, 13
# Heading numbers are Word list numbering (one multi-level list linked to Heading 1-3), not
# typed text: « I. — », then « A. — » (restarting in each part), then « 1. » (restarting
# under each heading above it). requete.fields turns the numbering off where the filing
# prints no number and checks the rest against the numbers the assembly gave.
HEADING_LEVELS = (("Heading 1", "upperRoman", "%1. —"), ("Heading 2", "upperLetter", "%2. —"))
HEADING_LEVELS += (("Heading 3", "decimal", "%3."),)


def main(out: Path) -> None:
    """Write the template to ``out``."""
    doc = Document()
    _page(doc)
    _styles(doc)
    _numbering(doc)
    _footer(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for style, text in LAYOUT:  # the template's own words get the filing's typography
        doc.add_paragraph(text if "{" in text else fix_typography(text), style=style)
    props = doc.core_properties
    props.title, props.author, props.comments = "Requête", "requete", ""
    _drop_leftovers(doc)
    doc.save(str(out))
    _drop_thumbnail(out)


def _drop_leftovers(doc: Document) -> None:
    """python-docx's default package carries a 438 KB ``stylesWithEffects.xml`` (Word 2010's
    copy of the styles, which Word rebuilds) and an empty APA bibliography custom XML part:
    neither belongs in a filing. A part no relationship reaches is not saved."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid)


def _drop_thumbnail(path: Path) -> None:
    """python-docx's default package carries a thumbnail of an empty page: remove it."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(i, source.read(i.filename)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                data = _without_thumbnail(data)
            target.writestr(info, data)


def _without_thumbnail(xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    for child in list(root):
        target = child.get("PartName", "") + child.get("Target", "")
        if "thumbnail" in target:
            root.remove(child)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


LAYOUT: list[tuple[str | None, str]] = [
    ("Juridiction", "CONSEIL D'ÉTAT"),
    ("Juridiction", "SECTION DU CONTENTIEUX"),
    (None, "{%p if mention %}"),
    ("Mention", "{{ mention }}"),
    (None, "{%p endif %}"),
    (None, "{%p if docket %}"),
    ("Rôle", "{{ docket }}"),
    (None, "{%p endif %}"),
    ("Title", "{{ title }}"),
    (None, "{%p for s in subtitles %}"),
    ("Sous-titre", "{{ s }}"),
    (None, "{%p endfor %}"),
    ("Rubrique", "POUR :"),
    (None, "{%p for p in parties %}"),
    ("Partie", "{{r p }}"),
    (None, "{%p endfor %}"),
    ("Partie", "{{r counsel }}"),
    (None, "{%p if soutien %}"),
    ("Rubrique", "AU SOUTIEN DE :"),
    ("Partie", "{{r soutien }}"),
    (None, "{%p endif %}"),
    ("Rubrique", "CONTRE :"),
    ("Partie", "{{r contre }}"),
    (None, "{%p for it in body %}"),
    (None, "{%p if it.kind == 'h1' %}"),
    ("Heading 1", "{{r it.rt }}"),
    (None, "{%p elif it.kind == 'h2' %}"),
    ("Heading 2", "{{r it.rt }}"),
    (None, "{%p elif it.kind == 'h3' %}"),
    ("Heading 3", "{{r it.rt }}"),
    (None, "{%p elif it.kind == 'h4' %}"),
    ("Heading 4", "{{r it.rt }}"),
    (None, "{%p elif it.kind == 'quote' %}"),
    ("Citation", "{{r it.rt }}"),
    (None, "{%p elif it.kind == 'list' %}"),
    ("Liste", "{{r it.rt }}"),
    (None, "{%p else %}"),
    ("Paragraphe numéroté", "{{r it.rt }}"),
    (None, "{%p endif %}"),
    (None, "{%p endfor %}"),
    ("Dispositif", "{{r conclusions_intro }}"),
    (None, "{%p for c in conclusions %}"),
    ("Conclusion", "{{r c.rt }}"),
    (None, "{%p endfor %}"),
    ("Signature", "{{ place_date }}"),
    ("Signature", "{{r signature }}"),
    (None, "{%p if authorities %}"),
    ("Annexe", "TABLE DES JURISPRUDENCES ET TEXTES CITÉS"),
    ("Note de table", "Les nombres renvoient aux paragraphes de la présente requête."),
    (None, "{%p for g in authorities %}"),
    ("Groupe d'autorités", "{{ g.name }}"),
    (None, "{%p for a in g.entries %}"),
    ("Autorité", "{{r a.rt }}"),
    (None, "{%p endfor %}"),
    (None, "{%p endfor %}"),
    (None, "{%p endif %}"),
    ("Annexe suite", "INVENTAIRE DES PIÈCES"),
    ("Note de table", "Pièces produites (article R. 412-2 du code de justice administrative)"),
    (None, "{%p for p in pieces %}"),
    ("Pièce", "{{r p.rt }}"),
    (None, "{%p endfor %}"),
]


def _page(doc: Document) -> None:
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)


STYLE_IDS = {
    "Paragraphe numéroté": "ParagrapheNumerote",
    "Note de table": "NoteTable",
    "Autorité": "Autorite",
    "Groupe d'autorités": "GroupeAutorites",
    "Annexe suite": "AnnexeSuite",
    "Pièce": "Piece",
    "Nom de décision": "NomDecision",
    "À compléter": "ACompleter",
}


def _para_style(doc: Document, name: str, base: str = "Normal") -> ParagraphStyle:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), STYLE_IDS.get(name, name))
        style.base_style = styles[base]
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    return style


def _styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    fmt = normal.paragraph_format
    fmt.space_after, fmt.line_spacing = Pt(6), 1.15
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size, bold, italic, upper, before in (
        ("Heading 1", 13, True, False, True, 18),
        ("Heading 2", 12, True, False, False, 12),
        ("Heading 3", 12, True, True, False, 10),
        ("Heading 4", 12, False, True, False, 8),
        ("Title", 14, True, False, False, 18),
    ):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), bold
        style.font.italic, style.font.all_caps = italic, upper
        style.font.color.rgb = None
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _no_theme_font(style)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_border(title)
    _custom_styles(doc)


def _custom_styles(doc: Document) -> None:
    juridiction = _para_style(doc, "Juridiction")
    juridiction.font.bold = True
    juridiction.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    juridiction.paragraph_format.space_after = Pt(0)
    mention = _para_style(doc, "Mention")
    mention.font.bold, mention.font.size, mention.font.all_caps = True, Pt(14), True
    mention.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mention.paragraph_format.space_before = Pt(12)
    role = _para_style(doc, "Rôle")  # the docket line « Requête n° … »
    role.font.bold, role.font.size = True, Pt(12)
    role.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    role.paragraph_format.space_before = Pt(6)
    subtitle = _para_style(doc, "Sous-titre")  # lines under the title: article, requête au fond
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(6)
    rubrique = _para_style(doc, "Rubrique")
    rubrique.font.bold, rubrique.font.underline = True, True
    rubrique.paragraph_format.space_before = Pt(12)
    rubrique.paragraph_format.keep_with_next = True
    partie = _para_style(doc, "Partie")
    partie.paragraph_format.left_indent = Cm(1)
    numbered = _para_style(doc, "Paragraphe numéroté")
    numbered.paragraph_format.first_line_indent = Cm(0)
    _link_numbering(numbered, NUMBERED)
    citation = _para_style(doc, "Citation")
    citation.font.italic = True
    citation.paragraph_format.left_indent = citation.paragraph_format.right_indent = Cm(1.5)
    liste = _para_style(doc, "Liste")
    liste.paragraph_format.left_indent = Cm(1.5)
    liste.paragraph_format.first_line_indent = Cm(-0.5)
    dispositif = _para_style(doc, "Dispositif")
    dispositif.paragraph_format.space_before = Pt(18)
    dispositif.paragraph_format.keep_with_next = True
    conclusion = _para_style(doc, "Conclusion")
    _link_numbering(conclusion, CONCLUSION)
    signature = _para_style(doc, "Signature")
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.space_before = Pt(12)
    annexe = _para_style(doc, "Annexe", "Heading 1")
    annexe.paragraph_format.page_break_before = True
    _link_numbering(annexe, 0)  # based on Heading 1, without its numbering
    annexe.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The inventaire follows the table of authorities on its page: a forced page break left
    # a near-empty page whenever the table ran a few lines over.
    suite = _para_style(doc, "Annexe suite", "Annexe")
    suite.paragraph_format.page_break_before = False
    suite.paragraph_format.space_before = Pt(30)
    # The table's group headings: bold, kept with their first entry, body-text outline level —
    # not Heading 2, which put a dozen entries in the navigator beside A., B., C.
    group = _para_style(doc, "Groupe d'autorités")
    group.font.bold = True
    group.paragraph_format.space_before = Pt(10)
    group.paragraph_format.keep_with_next = True
    group.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note = _para_style(doc, "Note de table")
    note.font.italic, note.font.size = True, Pt(10)
    for name in ("Autorité", "Pièce"):
        style = _para_style(doc, name)
        style.paragraph_format.left_indent = Cm(1)
        style.paragraph_format.first_line_indent = Cm(-1)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    case_name = doc.styles.add_style("Nom de décision", WD_STYLE_TYPE.CHARACTER)
    case_name.element.set(qn("w:styleId"), STYLE_IDS["Nom de décision"])
    case_name.font.italic = True
    todo = doc.styles.add_style("À compléter", WD_STYLE_TYPE.CHARACTER)
    todo.element.set(qn("w:styleId"), STYLE_IDS["À compléter"])
    todo.font.highlight_color = WD_COLOR_INDEX.YELLOW
    todo.font.bold = True


def _no_theme_font(style: ParagraphStyle) -> None:
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), FONT)
    rfonts.set(qn("w:hAnsi"), FONT)


def _no_border(style: ParagraphStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _link_numbering(style: object, num_id: int, level: int | None = None) -> None:
    """Give a paragraph style (or one paragraph) a list; num_id 0 turns numbering off."""
    element = style.element if isinstance(style, ParagraphStyle) else style._p  # type: ignore[attr-defined]
    ppr = element.get_or_add_pPr()
    ilvl = f'<w:ilvl w:val="{level}"/>' if level is not None else ""
    numpr = f'<w:numPr {nsdecls("w")}>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>'
    existing = ppr.find(qn("w:numPr"))
    if existing is not None:
        ppr.remove(existing)
    before = [c for c in ppr if c.tag in _BEFORE_NUMPR]  # keep the schema's element order
    if before:
        before[-1].addnext(parse_xml(numpr))
    else:
        ppr.insert(0, parse_xml(numpr))


_BEFORE_NUMPR = {
    qn(f"w:{tag}")
    for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
}


def _numbering(doc: Document) -> None:
    numbering = doc.part.numbering_part.element
    for abstract_id, num_id, text, indent in (
        (90, NUMBERED, "%1.", 567),
        (91, CONCLUSION, "%1°)", 567),
    ):
        style = "Paragraphe numéroté" if num_id == NUMBERED else "Conclusion"
        style_id = doc.styles[style].style_id
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:pStyle w:val="{style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
            f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl></w:abstractNum>'
        )
        _add_list(numbering, abstract, abstract_id, num_id)
    levels = ""
    for ilvl, (name, fmt, text) in enumerate(HEADING_LEVELS):
        style = doc.styles[name]
        assert isinstance(style, ParagraphStyle)
        _link_numbering(style, HEADINGS, ilvl)
        levels += (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{style.style_id}"/><w:suff w:val="space"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="92">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    _add_list(numbering, abstract, 92, HEADINGS)
    # « 1) … » items of a list (questions préjudicielles): each run of items gets its own
    # w:num restarting at 1 (requete.fields), hence no style link; indents as style Liste.
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="93">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:suff w:val="space"/><w:lvlText w:val="%1)"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="850" w:hanging="283"/></w:pPr></w:lvl></w:abstractNum>'
    )
    _add_list(numbering, abstract, 93, QUESTIONS)


def _add_list(numbering: object, abstract: object, abstract_id: int, num_id: int) -> None:
    first_num = numbering.find(qn("w:num"))  # type: ignore[attr-defined]
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)  # type: ignore[attr-defined]
    numbering.append(  # type: ignore[attr-defined]
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            "</w:num>"
        )
    )


def _footer(doc: Document) -> None:
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.style = doc.styles["Footer"]
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES", "1")


def _field(paragraph: object, instruction: str, shown: str) -> None:
    element = paragraph._p  # type: ignore[attr-defined]
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {{ns}}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {{ns}}><w:t>{shown}</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        element.append(parse_xml(xml.format(ns=nsdecls("w"))))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/requete.docx"))
