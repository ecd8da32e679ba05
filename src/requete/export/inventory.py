"""The inventaire des pièces of a bundle (R. 412-2 CJA), as CSV and as a Word document."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

TO_SUPPLY = "à produire"
ATTACHED = "jointe"
CSV_HEADER = ("numero", "intitule", "fichier", "statut")
_WIDTHS_CM = (1.3, 8.7, 6.5)  # N°, intitulé, fichier: 16.5 cm, an A4 page's text width


@dataclass(frozen=True)
class InventoryLine:
    """One pièce of the inventory: number, explicit label, Télérecours file, status."""

    number: int
    label: str
    file: str | None  # None: missing, to be supplied (`requete bundle --allow-missing`)

    @property
    def status(self) -> str:
        """« jointe » when the file is in the bundle, « à produire » otherwise."""
        return ATTACHED if self.file else TO_SUPPLY


def inventory_csv(lines: list[InventoryLine]) -> str:
    """Write the inventory as CSV: ';'-separated, for a spreadsheet set to French."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow((line.number, line.label, line.file or "", line.status))
    return buffer.getvalue()


def inventory_docx(title: str, filed: date, lines: list[InventoryLine]) -> bytes:
    """Lay the inventory out as a Word document (converted to PDF with the requête)."""
    import docx
    from docx.shared import Cm, Pt

    from requete.export.typography import fix_typography

    document = docx.Document()
    document.core_properties.title = "Inventaire des pièces"
    midnight = datetime(filed.year, filed.month, filed.day)  # deterministic output
    document.core_properties.created = document.core_properties.modified = midnight
    document.add_heading("INVENTAIRE DES PIÈCES", level=1)
    document.add_paragraph(
        fix_typography(f"{title} — inventaire détaillé des pièces (art. R. 412-2 CJA)")
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, ("N°", "Intitulé", "Fichier"), strict=True):
        cell.text = text
    for line in lines:
        row = table.add_row().cells
        row[0].text = str(line.number)
        row[1].text = fix_typography(line.label)
        row[2].text = line.file or f"[{TO_SUPPLY}]"
    for column, width in zip(table.columns, _WIDTHS_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_CM, strict=True):
            cell.width = Cm(width)
            for run in (r for p in cell.paragraphs for r in p.runs):
                run.font.size = Pt(10)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
