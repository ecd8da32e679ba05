"""The inventaire des pièces of a bundle (R. 412-2 CJA), as CSV and as a Word document laid
out like the requête (its template's page, margins and styles)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from requete.french import NBSP, NNBSP

TO_SUPPLY = "à produire"
ATTACHED = "jointe"
CSV_HEADER = ("numero", "intitule", "date", "fichier", "statut")
BREAK = "\u200b"  # zero-width space: where a long file name may wrap, after each « _ »
_WIDTHS_CM = (1.2, 9.0, 5.8)  # N°, intitulé, fichier: 16 cm, the template's A4 text width
_A4_CM = (21.0, 29.7)
_MARGIN_CM = 2.5


@dataclass(frozen=True)
class InventoryLine:
    """One pièce of the inventory: number, explicit label, Télérecours file, status."""

    number: int
    label: str
    file: str | None  # None: missing, to be supplied (`requete bundle --allow-missing`)
    when: date | None = None

    @property
    def status(self) -> str:
        """« jointe » when the file is in the bundle, « à produire » otherwise."""
        return ATTACHED if self.file else TO_SUPPLY


@dataclass(frozen=True)
class Heading:
    """What the inventaire's first lines say: which filing, for whom, against what, when."""

    title: str  # the filing's title, « REQUÊTE INTRODUCTIVE D’INSTANCE »
    parties: str  # « Clever Cloud et autres »
    contre: str  # the contested act
    dated: str  # « Fait à Paris, le 5 mars 2024 »
    docket: str | None = None  # « N° 492368 » for a mémoire
    draft: bool = False  # « PROJET » in the page header


def inventory_csv(lines: list[InventoryLine]) -> str:
    """Write the inventory as CSV: ';'-separated, for a spreadsheet set to French."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        when = line.when.isoformat() if line.when else ""
        writer.writerow((line.number, line.label, when, line.file or "", line.status))
    return buffer.getvalue()


def breakable(name: str) -> str:
    """A file name that may wrap after its underscores only (not inside « 2023-146 »)."""
    return name.replace("-", "\u2011").replace("_", "_" + BREAK)


def inventory_docx(
    heading: Heading, filed: date, lines: list[InventoryLine], template: bytes | None = None
) -> bytes:
    """Lay the inventory out as a Word document (converted to PDF with the requête): A4, the
    requête's margins and fonts (from ``template``, its styles), page numbers, French."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from requete.french import date_fr
    from requete.typography import fix_typography

    document = docx.Document(io.BytesIO(template)) if template else docx.Document()
    body = document.element.body
    for child in list(body):  # keep the page settings (sectPr) and their footer only
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _page(document, Cm, margins=not template)
    _french(document, qn)
    _properties(document, heading, filed)
    if not template:
        _plain_styles(document, Pt)
    if heading.draft:
        _draft_header(document, WD_ALIGN_PARAGRAPH, Pt)
    if not template or not _has_footer(document):
        _page_numbers(document, WD_ALIGN_PARAGRAPH, qn)

    styles = {s.style_id: s for s in document.styles}

    def paragraph(text: str, style: str, italic: bool = False, bold: bool = False) -> Any:
        made = document.add_paragraph(style=styles.get(style))
        run = made.add_run(fix_typography(text))
        run.bold, run.italic = bold or None, italic or None
        if style not in styles:
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return made

    paragraph("CONSEIL D’ÉTAT", "Juridiction", bold=True)
    paragraph("SECTION DU CONTENTIEUX", "Juridiction", bold=True)
    if heading.docket:
        paragraph(heading.docket, "Juridiction", bold=True)
    paragraph("INVENTAIRE DÉTAILLÉ DES PIÈCES", "Title", bold=True)
    paragraph(heading.title, "Juridiction")
    note = paragraph("(article R. 412-2 du code de justice administrative)", "NoteTable", True)
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, text in (("POUR : ", heading.parties), ("CONTRE : ", heading.contre)):
        made = document.add_paragraph()
        made.add_run(fix_typography(label)).bold = True
        made.add_run(fix_typography(text))
    document.add_paragraph(fix_typography(heading.dated))

    table = document.add_table(rows=1, cols=3)
    if "TableGrid" in styles:
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = ("N°", "Intitulé de la pièce", "Fichier")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    _repeat_header(table.rows[0], qn)
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))  # a pièce's row stays whole
    for line in lines:
        row = table.add_row().cells
        row[0].text = str(line.number)
        label = fix_typography(line.label)
        if line.when and _spaced(date_fr(line.when, nbsp=True)) not in _spaced(label):
            label += fix_typography(f" ({date_fr(line.when, nbsp=True)})")
        row[1].text = label
        row[2].text = breakable(line.file) if line.file else f"[{TO_SUPPLY}]"
    for column, width in zip(table.columns, _WIDTHS_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    for index, row in enumerate(table.rows):
        for cell, width in zip(row.cells, _WIDTHS_CM, strict=True):
            cell.width = Cm(width)
            for para in cell.paragraphs:
                para.alignment = WD_ALIGN_PARAGRAPH.LEFT
                para.paragraph_format.space_before = Pt(2)
                para.paragraph_format.space_after = Pt(2)
                para.paragraph_format.line_spacing = 1.0
                for run in para.runs:
                    run.font.size = Pt(10)
                    run.bold = True if index == 0 else None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _spaced(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").split())


def _page(document: Any, cm: Any, margins: bool) -> None:
    """A4 (python-docx's default is US Letter); the requête's margins without a template."""
    for section in document.sections:
        section.page_width, section.page_height = cm(_A4_CM[0]), cm(_A4_CM[1])
        if margins:
            section.left_margin = section.right_margin = cm(_MARGIN_CM)
            section.top_margin = section.bottom_margin = cm(_MARGIN_CM)


def _french(document: Any, qn: Any) -> None:
    """Proofing language fr-FR (and so the PDF's /Lang), set in the document defaults."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = defaults.makeelement(qn("w:rPrDefault"), {})
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = rpr_default.makeelement(qn("w:rPr"), {})
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")


def _properties(document: Any, heading: Heading, filed: date) -> None:
    props = document.core_properties
    props.title = f"Inventaire des pièces — {heading.title}"
    props.subject = props.keywords = props.comments = props.category = ""
    props.author = props.last_modified_by = ""
    props.language = "fr-FR"
    midnight = datetime(filed.year, filed.month, filed.day)  # deterministic output
    props.created = props.modified = midnight
    props.revision = 1


def _plain_styles(document: Any, pt: Any) -> None:
    """Without a template: Times New Roman 12 pt, black, as the requête."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", pt(12)


def _has_footer(document: Any) -> bool:
    return any(p.text.strip() for s in document.sections for p in s.footer.paragraphs)


def _page_numbers(document: Any, align: Any, qn: Any) -> None:
    """« Page N / M » centred in the footer (the requête template has its own)."""
    footer = document.sections[0].footer
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    para.alignment = align.CENTER
    para.add_run("Page ")
    _field(para, "PAGE", qn)
    para.add_run(" / ")
    _field(para, "NUMPAGES", qn)


def _field(para: Any, name: str, qn: Any) -> None:
    for kind, text in (("begin", None), ("instr", f" {name} "), ("separate", None), ("end", None)):
        run = para.add_run()
        if kind == "instr":
            instr = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            instr.text = text
            run._r.append(instr)
        else:
            run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        if kind == "separate":
            para.add_run("1")


def _draft_header(document: Any, align: Any, pt: Any) -> None:
    header = document.sections[0].header
    header.is_linked_to_previous = False
    para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    para.alignment = align.CENTER
    run = para.add_run("PROJET — document de travail, ne pas déposer")
    run.bold, run.font.size = True, pt(14)


def _repeat_header(row: Any, qn: Any) -> None:
    """Repeat the header row on every page of a long inventory."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
