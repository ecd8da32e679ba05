"""Every example filing — every built-in procedure — opens in LibreOffice, the real client."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from requete.export.pdf import convert_to_pdf
from requete.pipeline import build_docx, open_case

REPO = Path(__file__).resolve().parents[2]
FILINGS = [
    p
    for p in sorted(REPO.glob("cases/*/*.yaml")) + sorted(REPO.glob("examples/*/*.yaml"))
    if "procedure:" in p.read_text(encoding="utf-8")
]

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed",
)


def test_every_example_filing_converts_to_pdf_in_one_libreoffice_run(tmp_path: Path) -> None:
    docs = []
    for case in FILINGS:
        data, _ = build_docx(open_case(case))
        name = str(case.relative_to(REPO)).replace("/", "__").replace(".yaml", ".docx")
        (tmp_path / name).write_bytes(data)
        docs.append(tmp_path / name)
    pdfs = convert_to_pdf(docs, tmp_path / "pdf", pdfa=False)
    assert len(pdfs) == len(docs)
    procedures = {open_case(c).case.procedure for c in FILINGS}  # type: ignore[union-attr]
    assert {"annulation", "refere-suspension"} <= procedures
    for pdf in pdfs:
        assert pdf.stat().st_size > 5_000, pdf
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
            pages = int(
                next(x for x in info.stdout.splitlines() if x.startswith("Pages")).split()[1]
            )
            assert pages >= 2, pdf
