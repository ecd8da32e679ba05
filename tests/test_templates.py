"""A firm restyles the template in Word: a later layer's template wins, or extends the base."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Pt, RGBColor
from typer.testing import CliRunner

from requete.cli import app

runner = CliRunner()


def _firm_styles(path: Path) -> None:
    doc = Document()
    heading = doc.styles["Heading 1"]
    heading.font.name, heading.font.size = "Garamond", Pt(20)
    heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)
    doc.save(str(path))


def _styles_xml(docx: Path) -> str:
    return zipfile.ZipFile(docx).read("word/styles.xml").decode()


def test_extension_keeps_the_layout_and_takes_the_firm_styles(write_tree) -> None:
    root = write_tree(
        {
            "templates/cabinet.yaml": "extends: requete\nstyles: cabinet-styles.docx\n",
        }
    )
    _firm_styles(root / "templates" / "cabinet-styles.docx")
    case = root / "case.yaml"
    case.write_text(case.read_text() + "template: cabinet\n")
    out = root / "out.docx"
    result = runner.invoke(app, ["build", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    styles = _styles_xml(out)
    assert "Garamond" in styles and "1F3A93" in styles  # the firm's heading
    assert 'w:styleId="ParagrapheNumerote"' in styles  # inherited from the base
    document = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "DISCUSSION" in document


def test_extension_errors_name_the_file(write_tree) -> None:
    root = write_tree({"templates/cabinet.yaml": "extends: requete\nstyles: absent.docx\n"})
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert result.exit_code == 1
    assert (
        "cabinet.yaml:2: error: styles file 'absent.docx' not found inside the library"
        in result.output
    )


def test_a_later_layer_template_wins_by_name(write_tree, tmp_path: Path) -> None:
    root = write_tree()
    firm = tmp_path / "firm" / "templates"
    firm.mkdir(parents=True)
    base = Path(__file__).resolve().parents[1] / "templates" / "requete.docx"
    data = base.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(
                    b"SECTION DU CONTENTIEUX", "SECTION DU CONTENTIEUX — CABINET".encode()
                )
            target.writestr(info, content)
    (firm / "requete.docx").write_bytes(buffer.getvalue())
    out = root / "out.docx"
    result = runner.invoke(
        app, ["build", str(root / "case.yaml"), "-o", str(out), "--library", str(tmp_path / "firm")]
    )
    assert result.exit_code == 0, result.output
    assert "CABINET" in zipfile.ZipFile(out).read("word/document.xml").decode()
