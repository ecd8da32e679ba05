"""Untrusted inputs: clear errors for files that are not .docx, zip bombs, XXE."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from drafts import BASE, build_docx, patch_part

from requete.errors import DocxError
from requete.review import document_text, read_draft


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # a PDF renamed .docx
        (b"%PDF-1.7\n...", "not a Word document (.docx): not a zip archive"),
        # an empty file
        (b"", "not a Word document (.docx): not a zip archive"),
        # a zip that is not a Word document (an .xlsx, a .zip of photos)
        (_zip({"xl/workbook.xml": b"<x/>"}), "the archive has no word/document.xml"),
        # a truncated or garbled document.xml
        (_zip({"word/document.xml": b"<w:document"}), "malformed XML"),
    ],
)
def test_files_that_are_not_docx_get_a_clear_error(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(DocxError) as err:
        document_text(path)
    assert str(err.value).startswith(f"{path}: error: ")
    assert message in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocxError, match="no such file"):
        read_draft(tmp_path / "absent.docx")


def test_zip_bomb_is_refused_before_reading() -> None:
    bomb = _zip({"word/document.xml": b"<a/>", "word/media/blob.bin": b"\0" * (50 * 1024 * 1024)})
    with pytest.raises(DocxError, match="zip bomb"):
        read_draft(bomb)


def test_external_entities_are_never_resolved() -> None:
    xxe = patch_part(
        build_docx(BASE),
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:document",
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document',
            1,
        ).replace("<w:t>Discussion</w:t>", "<w:t>&x;</w:t>"),
    )
    with pytest.raises(DocxError, match="DTD"):
        read_draft(xxe)


def test_entity_expansion_bomb_is_refused() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = patch_part(
        build_docx(BASE),
        "word/document.xml",
        lambda xml: xml.replace(
            "<w:document", f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]><w:document', 1
        ).replace("<w:t>Discussion</w:t>", "<w:t>&l9;</w:t>"),
    )
    with pytest.raises(DocxError):
        read_draft(bomb)
