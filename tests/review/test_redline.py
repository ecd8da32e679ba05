"""Redlines: accept-all gives the new text, reject-all the old, on many kinds of edits."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from drafts import BASE, build_docx, to_pdf, with_tracked_changes

from requete.review import check_redline, diff_drafts, make_redline

TABLE = [k for k in BASE if k[0].startswith("cell:")]
NO_TABLE = [k for k in BASE if not k[0].startswith("cell:")]
LONG = "Le moyen tiré de ce que la délibération serait entachée d'incompétence manque en fait."

VARIANTS = {
    # a word changed inside an italic run: formatting of both sides kept
    "word": [*BASE[:4], ("italic", "Le Conseil d'État l'a jugé à maintes reprises."), *BASE[5:]],
    "insert-first": [("p", LONG), *BASE],
    "insert-last": [*BASE, ("p", LONG)],
    "delete-first": BASE[1:],
    "delete-last": BASE[:-1],
    "delete-several": [*BASE[:2], *BASE[5:]],
    "move": [*BASE[:2], BASE[6], *BASE[2:6], *BASE[7:]],
    "cell-edit": [*BASE[:12], ("cell:2:2", "Délibération n° 2024-009 du 9 mars 2024"), *BASE[13:]],
    "row-added": [*BASE[:15], ("cell:4:1", "3"), ("cell:4:2", "Avis de la CNIL"), *BASE[15:]],
    "row-deleted": [*BASE[:13], *BASE[15:]],
    "table-deleted": NO_TABLE,
    "table-added": [*NO_TABLE[:3], *TABLE, *NO_TABLE[3:]],
    "all-new": [("h1", "Mémoire en réplique"), ("p", LONG), ("num", "Rien ne subsiste.")],
    "emptied": [("p", "")],
    "replace-block": [*BASE[:6], ("num", LONG), ("num", "Un autre moyen."), *BASE[9:]],
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_redline_accepts_to_new_and_rejects_to_old(name: str) -> None:
    old, new = build_docx(BASE), build_docx(VARIANTS[name])
    for a, b in ((old, new), (new, old)):  # both directions: insertions become deletions
        result = diff_drafts(a, b)
        redline = make_redline(result)  # raises if the verifier fails
        check = check_redline(redline, result.old, result.new)
        assert check.ok, (check.accept.describe(), check.reject.describe())


def test_hand_edited_inputs_with_tracked_changes_and_comments() -> None:
    old = with_tracked_changes(build_docx(BASE))
    new = with_tracked_changes(build_docx(VARIANTS["word"]))
    result = diff_drafts(old, new)
    assert result.counts["changed"] == 1
    make_redline(result)
    result = diff_drafts(build_docx(BASE), with_tracked_changes(build_docx(BASE)))
    assert result.counts["changed"] == 1
    redline = make_redline(result)
    names = zipfile.ZipFile(io.BytesIO(redline)).namelist()
    assert "word/comments.xml" not in names


def test_redline_marks_carry_author_date_and_unique_ids() -> None:
    result = diff_drafts(build_docx(BASE), build_docx(VARIANTS["replace-block"]))
    redline = make_redline(result, author="Me Exemple", date="2024-04-01T09:00:00Z")
    xml = zipfile.ZipFile(io.BytesIO(redline)).read("word/document.xml").decode()
    assert 'w:author="Me Exemple"' in xml and 'w:date="2024-04-01T09:00:00Z"' in xml
    from lxml import etree

    root = etree.fromstring(xml.encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    ids = [e.get(f"{w}id") for e in root.iter(f"{w}ins", f"{w}del")]
    assert ids and len(ids) == len(set(ids))


def test_redline_bytes_are_deterministic() -> None:
    old, new = build_docx(BASE), build_docx(VARIANTS["move"])
    assert make_redline(diff_drafts(old, new)) == make_redline(diff_drafts(old, new))


def test_redline_of_rebuilt_filing_names_the_changed_block(write_tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from requete.cli import app

    root = write_tree()
    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["build", str(root / "case.yaml"), "-o", str(tmp_path / "v1.docx")]
        ).exit_code
        == 0
    )
    block = root / "arguments" / "moyen-test.yaml"
    block.write_text(
        block.read_text(encoding="utf-8")
        .replace("version: 2", "version: 3")
        .replace("ne sont pas encadrées", "ne sont pas suffisamment encadrées"),
        encoding="utf-8",
    )
    assert (
        runner.invoke(
            app, ["build", str(root / "case.yaml"), "-o", str(tmp_path / "v2.docx")]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app,
        [
            "diff",
            str(tmp_path / "v1.docx"),
            str(tmp_path / "v2.docx"),
            "--redline",
            str(tmp_path / "r.docx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "block re-versioned: moyen-test (v2 → v3)" in result.output
    assert "text changed in block moyen-test (1 paragraph(s))" in result.output
    assert (tmp_path / "r.docx").exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_redline(tmp_path: Path) -> None:
    result = diff_drafts(
        with_tracked_changes(build_docx(BASE)), build_docx(VARIANTS["table-deleted"])
    )
    (tmp_path / "redline.docx").write_bytes(make_redline(result))
    to_pdf([tmp_path / "redline.docx"], tmp_path, tmp_path / "profile", timeout=180)
    assert (tmp_path / "redline.pdf").stat().st_size > 1000
