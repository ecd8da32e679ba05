"""Numbers and references follow an edit: LibreOffice, after a paragraph is inserted, shows the
new paragraph numbers in the table of authorities, and headings and pièces as they were."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as Docx

from requete.pipeline import build_docx, open_case

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("lo_fields.py")
UNO_PYTHON = Path("/usr/bin/python3")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        shutil.which("soffice") is None and shutil.which("libreoffice") is None,
        reason="LibreOffice (soffice) is not installed",
    ),
    pytest.mark.skipif(
        not UNO_PYTHON.exists()
        or subprocess.run([str(UNO_PYTHON), "-c", "import uno"], capture_output=True).returncode,
        reason="LibreOffice's Python bridge (python3-uno) is not installed",
    ),
]


def _entry(paragraphs: list[dict[str, str]], start: str) -> str:
    return next(p["text"] for p in paragraphs if p["text"].startswith(start))


def test_inserted_paragraph_renumbers_the_table_and_keeps_headings_and_pieces(
    tmp_path: Path,
) -> None:
    # Counsel's comments off: LibreOffice 7.4 fails to load the commented file over UNO
    # (``soffice --convert-to`` opens it); they play no part in the numbering.
    data, document = build_docx(open_case(REPO / "cases/emc2/annulation.yaml"), comments=False)
    foto = next(a for a in document.authorities if "Foto" in "".join(r.text for r in a.runs))
    first = foto.paragraph_numbers[0]
    docx = Docx(__import__("io").BytesIO(data))
    target = next(p for p in docx.paragraphs if p.style.name == "Paragraphe numéroté")
    target.insert_paragraph_before("Paragraphe ajouté par l’avocat.", style="Paragraphe numéroté")
    edited = tmp_path / "edited.docx"
    docx.save(str(edited))

    out = tmp_path / "out.json"
    subprocess.run([str(UNO_PYTHON), str(SCRIPT), str(out), str(edited)], check=True, timeout=120)
    paragraphs = json.loads(out.read_text(encoding="utf-8"))[str(edited)]["after"]

    numbered = [p for p in paragraphs if p["style"] == "Paragraphe numéroté"]
    # (a) the inserted paragraph is 1., the old § 1 is now 2., and so on to the last one
    assert numbered[0]["label"] == "1." and numbered[0]["text"].startswith("Paragraphe ajouté")
    assert numbered[1]["label"] == "2."
    assert numbered[-1]["label"] == f"{len(numbered)}."
    # (b) the table of authorities follows: Foto-Frost pointed at §§ 68, 78, now 69, 79
    entry = _entry(paragraphs, "CJCE, 22 octobre 1987, Foto")
    pointers = [int(n) for n in re.findall(r"\d+", entry.rsplit("—", 1)[1])]
    assert pointers == [n + 1 for n in foto.paragraph_numbers], entry
    assert pointers[0] == first + 1
    # (c) headings keep their numbers, pièce references their inventaire numbers
    headings = [(p["label"], p["text"]) for p in paragraphs if p["style"].startswith("Heading")]
    assert ("I. —", "FAITS ET PROCÉDURE") in headings
    assert ("II. —", "DISCUSSION") in headings
    assert ("A. —", "Sur la recevabilité") in headings
    labels = [label for label, _ in headings]
    assert labels[labels.index("A. —") + 1] == "1."
    assert ("B. —", "Sur la légalité interne") in headings
    assert any(p["label"] == "5)" for p in paragraphs if p["style"] == "Liste")
    annexes = [p for p in paragraphs if p["style"] == "Annexe"]
    assert annexes and all(not p["label"] for p in annexes)
    assert _entry(paragraphs, "Pièce n°\u00a03\u00a0:").startswith("Pièce n°\u00a03\u00a0: Doc")
    market = _entry(paragraphs, "À la fin de l’année 2021")
    assert market.endswith("(pièce n°\u00a03).")
    contre = next(p["text"] for p in paragraphs if p["text"].endswith("(pièce n°\u00a01)"))
    assert contre.startswith("Délibération")
