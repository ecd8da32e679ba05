"""Drafts for review tests: .docx files built by code with python-docx, and hand edits."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

Spec = Sequence[tuple[str, str]]
"""A draft as (kind, text): kind is h1, h2, p, num, concl, list, italic, cell:R:C."""

BASE: list[tuple[str, str]] = [
    ("h1", "Discussion"),
    ("h2", "Sur la légalité externe"),
    ("num", "La délibération attaquée a été adoptée par une formation irrégulièrement composée."),
    ("num", "En effet, le quorum n'était pas atteint lors de la séance du 3 mars 2024."),
    ("italic", "Le Conseil d'État l'a jugé à plusieurs reprises."),
    ("h2", "Sur la légalité interne"),
    (
        "num",
        "La décision méconnaît l'article 28 du règlement général sur la protection des données.",
    ),
    ("list", "premier élément de la liste"),
    ("list", "second élément de la liste"),
    ("cell:1:1", "Pièce"),
    ("cell:1:2", "Intitulé"),
    ("cell:2:1", "1"),
    ("cell:2:2", "Délibération n° 2024-001 du 3 mars 2024"),
    ("cell:3:1", "2"),
    ("cell:3:2", "Étude d'impact"),
    ("h1", "Par ces motifs"),
    ("concl", "annuler la délibération attaquée ;"),
    ("concl", "mettre à la charge de l'État la somme de 3 000 euros."),
    ("p", "Fait à Paris, le 1er avril 2024."),
]

_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="decimal"/><w:pStyle w:val="Paragraphenumerote"/><w:lvlText w:val="%1."/>
</w:lvl></w:abstractNum>"""
_NUMBERING2 = """
<w:abstractNum {ns} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="decimal"/><w:pStyle w:val="Conclusion"/><w:lvlText w:val="%1°)"/>
</w:lvl></w:abstractNum>"""


def _styles(doc: object) -> None:
    numbering = doc.part.numbering_part.element  # type: ignore[attr-defined]
    first_num = numbering.find(numbering[0].tag.replace("abstractNum", "num"))
    for xml, abstract, num_id, style_id, name in (
        (_NUMBERING, 90, 90, "Paragraphenumerote", "Paragraphe numéroté"),
        (_NUMBERING2, 91, 91, "Conclusion", "Conclusion"),
    ):
        abstract_el = parse_xml(xml.format(ns=nsdecls("w")))
        if first_num is not None:
            first_num.addprevious(abstract_el)
        else:
            numbering.append(abstract_el)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract}"/></w:num>'
            )
        )
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
        style.element.set(style.element.tag.replace("style", "styleId"), style_id)
        style.element.styleId = style_id
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))


def build_docx(spec: Spec) -> bytes:
    """A .docx from a spec; table cells gather into one table where they appear."""
    doc = Document()
    _styles(doc)
    table = None
    for kind, text in spec:
        if kind.startswith("cell:"):
            _, r, c = kind.split(":")
            if table is None:
                table = doc.add_table(rows=0, cols=2)
            while len(table.rows) < int(r):
                table.add_row()
            table.cell(int(r) - 1, int(c) - 1).paragraphs[0].text = text
            continue
        table = None
        if kind in ("h1", "h2"):
            doc.add_heading(text, level=int(kind[1]))
        elif kind == "num":
            doc.add_paragraph(text, style="Paragraphe numéroté")
        elif kind == "concl":
            doc.add_paragraph(text, style="Conclusion")
        elif kind == "list":
            doc.add_paragraph(text, style="List Number")
        elif kind == "italic":
            para = doc.add_paragraph("Comme le rappelle la doctrine, ")
            para.add_run(text).italic = True
            para.add_run(" Voir aussi").bold = True
        else:
            doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def patch_part(docx: bytes, name: str, edit: Callable[[str], str]) -> bytes:
    """The same .docx with one part's XML text rewritten by edit (entry order kept)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


TRACKED = (
    '<w:del w:id="901" w:author="Avocat" w:date="2024-04-01T10:00:00Z"><w:r>'
    "<w:delText> (ancien)</w:delText></w:r></w:del>"
    '<w:ins w:id="902" w:author="Avocat" w:date="2024-04-01T10:00:00Z"><w:r>'
    '<w:t xml:space="preserve"> et procédure</w:t></w:r></w:ins>'
    '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> [note]</w:t></w:r>'
    '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
)


def with_tracked_changes(docx: bytes) -> bytes:
    """A hand-edited look: the first heading gains a tracked insertion, deletion and comment."""
    return patch_part(
        docx,
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:t>Discussion</w:t></w:r>", "<w:t>Discussion</w:t></w:r>" + TRACKED, 1
        ),
    )


def to_pdf(files: list[Path], outdir: Path, profile: Path, timeout: int = 600) -> None:
    """Convert .docx files to PDF with LibreOffice in one run (a private profile, so that
    runs never share one); raises if soffice fails."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(path) for path in files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
