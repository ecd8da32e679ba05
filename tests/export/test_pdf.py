"""PDF conversion through LibreOffice: one process, PDF/A, same text, atomic, clear errors."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from requete.errors import ExportError
from requete.export.pdf import convert_to_pdf

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed",
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)

PARAGRAPHS = [
    "CONSEIL D’ÉTAT",
    "SECTION DU CONTENTIEUX",
    "REQUÊTE INTRODUCTIVE D’INSTANCE",
    "POUR\u00a0: l’association requérante",
    "1. Par la délibération n°\u00a02023-146 du 21 décembre 2023, la Commission nationale de "
    "l’informatique et des libertés a autorisé le traitement de données dénommé "
    "«\u00a0EMC2\u00a0» (pièce n°\u00a01)\u202f; voir l’article\u00a0L.\u00a0521-1 du code de "
    "justice administrative et CJUE, 16 juillet 2020, C-311/18, EU:C:2020:559, pt\u00a0185.",
    "2. Les requérantes demandent-elles trop\u202f? Non\u202f!",
]


def _docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _words(text: str) -> list[str]:
    return text.split()  # str.split() also splits on U+00A0 and U+202F


def _fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Put a fake `soffice` first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


def test_missing_libreoffice_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _docx(tmp_path / "a.docx", ["x"])
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ExportError, match="apt-get install libreoffice-writer-nogui"):
        convert_to_pdf([source], tmp_path)


def test_missing_input(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="file not found") as err:
        convert_to_pdf([tmp_path / "absent.docx"], tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'absent.docx'}: error:")


def test_existing_output_needs_force(tmp_path: Path) -> None:
    source = _docx(tmp_path / "a.docx", ["x"])
    (tmp_path / "a.pdf").write_bytes(b"old")
    with pytest.raises(ExportError, match="use --force"):
        convert_to_pdf([source], tmp_path)
    assert (tmp_path / "a.pdf").read_bytes() == b"old"


def test_two_inputs_one_output(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    first = _docx(tmp_path / "a.docx", ["x"])
    second = _docx(tmp_path / "x" / "a.docx", ["y"])
    with pytest.raises(ExportError, match="would both write"):
        convert_to_pdf([first, second], tmp_path / "out")


@pytest.mark.parametrize(
    ("name", "message"),
    [("a.pdf", "already a PDF"), ("a.exe", "cannot convert '.exe' files")],
)
def test_unconvertible_kinds(tmp_path: Path, name: str, message: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"x")
    with pytest.raises(ExportError, match=message):
        convert_to_pdf([source], tmp_path / "out")


def test_timeout_ends_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "sleep 30 &\nwait\n")  # a child, as soffice.bin is
    source = _docx(tmp_path / "a.docx", ["x"])
    with pytest.raises(ExportError, match="did not finish"):
        convert_to_pdf([source], tmp_path / "out", timeout=1)
    assert not (tmp_path / "out").exists()


def test_nothing_produced_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "exit 0\n")
    source = _docx(tmp_path / "a.docx", ["x"])
    with pytest.raises(ExportError, match="could not convert .*a.docx.*nothing was written"):
        convert_to_pdf([source], tmp_path / "out")


@pytest.mark.libreoffice
@needs_soffice
@needs_pdftotext
def test_pdf_has_the_text_of_the_docx(tmp_path: Path) -> None:
    source = _docx(tmp_path / "requete.docx", PARAGRAPHS)
    [written] = convert_to_pdf([source], tmp_path / "out")
    assert written == tmp_path / "out" / "requete.pdf"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(written), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert _words(text) == _words(" ".join(PARAGRAPHS))


@pytest.mark.libreoffice
@needs_soffice
def test_pdfa_by_default_plain_on_request(tmp_path: Path) -> None:
    source = _docx(tmp_path / "a.docx", ["x"])
    [archival] = convert_to_pdf([source], tmp_path / "pdfa")
    [plain] = convert_to_pdf([source], tmp_path / "plain", pdfa=False)
    assert b"<pdfaid:part>2</pdfaid:part>" in archival.read_bytes()
    assert b"pdfaid:part" not in plain.read_bytes()


@pytest.mark.libreoffice
@needs_soffice
def test_many_files_one_libreoffice_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [_docx(tmp_path / f"piece{n}.docx", [f"pièce {n}"]) for n in range(4)]
    calls: list[Any] = []
    real_popen = subprocess.Popen

    def counting_popen(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    written = convert_to_pdf(sources, tmp_path / "out")
    assert [p.name for p in written] == [f"piece{n}.pdf" for n in range(4)]
    assert len(calls) == 1


@pytest.mark.libreoffice
@needs_soffice
def test_same_name_in_two_folders_beside_each(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    first = _docx(tmp_path / "a.docx", ["un"])
    second = _docx(tmp_path / "b" / "a.docx", ["deux"])
    written = convert_to_pdf([first, second])
    assert written == [tmp_path / "a.pdf", tmp_path / "b" / "a.pdf"]
    assert all(p.stat().st_size > 0 for p in written)


@pytest.mark.libreoffice
@needs_soffice
def test_a_damaged_file_writes_nothing(tmp_path: Path) -> None:
    good = _docx(tmp_path / "good.docx", ["x"])
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExportError, match="could not convert .*bad.docx"):
        convert_to_pdf([good, bad], tmp_path / "out")
    assert not (tmp_path / "out" / "good.pdf").exists()


@pytest.mark.libreoffice
@needs_soffice
def test_force_overwrites(tmp_path: Path) -> None:
    source = _docx(tmp_path / "a.docx", ["x"])
    (tmp_path / "a.pdf").write_bytes(b"old")
    [written] = convert_to_pdf([source], force=True)
    assert written.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".a-*.part"))
