"""Outputs, --force and signals (issue 15, items 1, 7 and 8): --force replaces only what
requete wrote, every I/O error is one message and exit 1, every write is all-or-nothing, and
SIGTERM leaves no temporary folder, no partial output and no LibreOffice behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from requete.cli import app
from tests.export.test_bundle import MINI_PDF, _case, _docx

Writer = Callable[..., Path]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
BUNDLE_FILES = [
    "01_Deliberation_n_2023-146_du_21_decembre_2023.pdf",
    "02_Etude_d_hebergement_du_6_mars_2024.pdf",
    "Inventaire_des_pieces.pdf",
    "Requete_introductive_d_instance.pdf",
]


def run(*args: str | Path) -> Any:
    """Run the CLI; every failure here must be one message, never a traceback."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception,
        result.output,
    )
    assert "Traceback" not in result.output
    return result


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its content (None for a folder)."""
    return {
        str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def leftovers(folder: Path) -> list[str]:
    """Scratch files and folders requete may leave: .part, .old, .NAME-… staging folders."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith((".part", ".old")) or (p.name.startswith(".") and p.is_dir())
        if ".git" not in p.parts
    )


@pytest.fixture
def fake_soffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice replaced by a stand-in that writes a small PDF per input (fast, and
    available everywhere); the real one is exercised by the signal tests below."""
    from requete.export import pdf

    def convert(_soffice: str, _profile: Path, _to: str, outdir: Path, files: list[Path], *_: Any):
        outdir.mkdir(parents=True, exist_ok=True)
        for source in files:
            (outdir / f"{source.stem}.pdf").write_bytes(MINI_PDF)

    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "_run", convert)


@pytest.fixture
def case_path(write_tree: Writer) -> Path:
    """The bundle tests' case (two pièces, one PDF and one .docx), in a git working tree."""
    path = _case(write_tree)
    (path.parent / ".git").mkdir()
    (path.parent / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return path


# --- 1. --force replaces only what requete wrote -------------------------------------------


def test_force_never_deletes_the_case_folder(case_path: Path) -> None:
    """Old code: `bundle CASE -o <case folder> --force` deleted the case, its pièces, .git."""
    root = case_path.parent
    before = snapshot(root)
    result = run("bundle", case_path, "-o", root, "--force")
    assert result.exit_code == 1
    assert "not written by `requete bundle`" in result.output
    assert ".git/, arguments/, case.yaml" in result.output  # what it would have deleted
    assert "(7 in all)" in result.output
    assert snapshot(root) == before
    assert leftovers(root.parent) == []


def test_force_refuses_any_folder_without_the_marker(case_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("counsel's notes")
    (folder / "sub").mkdir()
    result = run("bundle", case_path, "-o", folder, "--force")
    assert result.exit_code == 1
    assert "would delete notes.txt, sub/" in result.output
    assert (folder / "notes.txt").read_text() == "counsel's notes"


def test_force_from_inside_the_case_folder(
    case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old code: `-o ../lib --force` run inside lib moved the working directory away, then
    failed with a FileNotFoundError traceback, leaving .lib-old-… and .lib-… behind."""
    root = case_path.parent
    monkeypatch.chdir(root)
    before = snapshot(root)
    for outdir in ("../lib", ".", str(root)):
        result = run("bundle", "case.yaml", "-o", outdir, "--force")
        assert result.exit_code == 1, outdir
    assert snapshot(root) == before
    assert leftovers(root.parent) == []


def test_force_replaces_an_earlier_bundle_only(
    case_path: Path, tmp_path: Path, fake_soffice: None
) -> None:
    outdir = tmp_path / "depot"
    assert run("bundle", case_path, "-o", outdir).exit_code == 0
    marker = (outdir / ".requete-bundle").read_text()
    assert "do not upload" in marker
    assert sorted(p.name for p in outdir.iterdir()) == [".requete-bundle", *BUNDLE_FILES]
    again = run("bundle", case_path, "-o", outdir)
    assert again.exit_code == 1 and "bundle written earlier: use --force" in again.output
    (outdir / ".DS_Store").write_bytes(b"finder")  # the system's own files do not count
    assert run("bundle", case_path, "-o", outdir, "--force").exit_code == 0
    (outdir / "signature.txt").write_text("mine")  # a file the user added
    refused = run("bundle", case_path, "-o", outdir, "--force")
    assert refused.exit_code == 1 and "would delete signature.txt" in refused.output
    (outdir / "signature.txt").unlink()
    (outdir / BUNDLE_FILES[3]).write_bytes(MINI_PDF + b"% signed\n")  # changed by the user
    refused = run("bundle", case_path, "-o", outdir, "--force")
    assert refused.exit_code == 1
    assert f"{BUNDLE_FILES[3]} (changed since)" in refused.output
    assert (outdir / BUNDLE_FILES[3]).read_bytes().endswith(b"% signed\n")
    assert leftovers(tmp_path) == []


def test_force_refuses_a_bundle_holding_a_piece(
    case_path: Path, tmp_path: Path, fake_soffice: None
) -> None:
    """A pièce taken from an earlier bundle: replacing that bundle would delete the pièce."""
    outdir = case_path.parent / "depot"
    assert run("bundle", case_path, "-o", outdir).exit_code == 0
    text = case_path.read_text().replace("pieces/acte.pdf", f"depot/{BUNDLE_FILES[0]}")
    case_path.write_text(text)
    refused = run("bundle", case_path, "-o", outdir, "--force")
    assert refused.exit_code == 1
    assert "holds files the filing is made from" in refused.output
    assert BUNDLE_FILES[0] in refused.output
    assert (outdir / BUNDLE_FILES[0]).read_bytes() == MINI_PDF


def test_files_beside_the_folder_never_replace_an_input(case_path: Path) -> None:
    """Old code: `-o pieces/etude --force` wrote the requête over the pièce etude.docx."""
    piece = case_path.parent / "pieces" / "etude.docx"
    before = piece.read_bytes()
    refused = run("bundle", case_path, "-o", case_path.parent / "pieces" / "etude", "--force")
    assert refused.exit_code == 1
    assert "etude.docx: error: is one of the files the filing is made from" in refused.output
    assert piece.read_bytes() == before
    inside_git = run("bundle", case_path, "-o", case_path.parent / ".git" / "out", "--force")
    assert inside_git.exit_code == 1 and "inside a .git folder" in inside_git.output


def test_build_never_overwrites_an_input(case_path: Path) -> None:
    """Old code: `build CASE -o CASE --force` wrote the .docx over the case file."""
    root = case_path.parent
    (root / "templates").mkdir()
    shutil.copyfile(
        Path(__file__).parents[1] / "templates" / "requete.docx",
        root / "templates" / "requete.docx",
    )
    before = snapshot(root)
    for target in (
        "case.yaml",
        "pieces/etude.docx",
        "templates/requete.docx",
        "arguments/faits-test.yaml",
    ):
        result = run("build", case_path, "-o", root / target, "--force")
        assert result.exit_code == 1, target
        assert "is one of the inputs" in result.output
    with_pdf = run("build", case_path, "-o", root / "pieces" / "acte.docx", "--pdf", "--force")
    assert with_pdf.exit_code == 1  # pieces/acte.pdf is a pièce
    assert "acte.pdf: error: is one of the inputs" in with_pdf.output
    assert snapshot(root) == before


def test_batch_never_overwrites_an_input(case_path: Path) -> None:
    """A pièce named like the batch's output (case.docx) is never replaced, even with --force."""
    root = case_path.parent
    shutil.move(root / "pieces" / "etude.docx", root / "case.docx")
    case_path.write_text(case_path.read_text().replace("pieces/etude.docx", "case.docx"))
    before = (root / "case.docx").read_bytes()
    result = run("batch", case_path, "-o", root, "--force", "-j", "1")
    assert result.exit_code == 1
    assert "is one of the inputs" in result.output
    assert (root / "case.docx").read_bytes() == before


def test_diff_never_overwrites_its_inputs(tmp_path: Path) -> None:
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    _docx(old, "Premier état.")
    _docx(new, "Second état.")
    before = old.read_bytes()
    result = run("diff", old, new, "--redline", old, "--force")
    assert result.exit_code == 1 and "is one of the inputs" in result.output
    assert old.read_bytes() == before
    same = run("diff", old, new, "--redline", tmp_path / "r.docx", "--html", tmp_path / "r.docx")
    assert same.exit_code == 1 and "name the same file" in same.output


# --- 2. every I/O error is one message, exit 1; every write all-or-nothing ------------------

LONG = "n" * 300  # longer than any file system's 255-byte name limit


def fail_when(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, error: OSError, match: str
) -> None:
    """Make ``module.name`` raise ``error`` when any of its arguments contains ``match``."""
    original = getattr(module, name)

    def failing(*args: Any, **kwargs: Any) -> Any:
        if any(match in str(a) for a in (*args, *kwargs.values())):
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


def test_build_name_too_long(case_path: Path) -> None:
    """Old code: OSError [Errno 36] File name too long, traceback (observed)."""
    result = run("build", case_path, "-o", case_path.parent / f"{LONG}.docx")
    assert result.exit_code == 1
    assert "error: cannot write the file (file name too long" in result.output


def test_build_unwritable_folder(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0555 folder as non-root: mkstemp raises PermissionError (old code: traceback, since
    write_atomic created its temporary file outside its try)."""
    import tempfile

    folder = tmp_path / "readonly"
    folder.mkdir()
    fail_when(monkeypatch, tempfile, "mkstemp", PermissionError(errno.EACCES, "denied"), "readonly")
    result = run("build", case_path, "-o", folder / "out.docx")
    assert result.exit_code == 1
    assert "out.docx: error: cannot write the file (permission denied" in result.output
    assert list(folder.iterdir()) == []


def test_build_disk_full(case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_when(monkeypatch, os, "replace", OSError(errno.ENOSPC, "full"), "out.docx")
    result = run("build", case_path, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert "no space left on the disk: free some space" in result.output
    assert not (tmp_path / "out.docx").exists() and leftovers(tmp_path) == []


def test_build_pdf_is_both_or_neither(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_soffice: None
) -> None:
    """Old code: the .docx was written first and stayed when the PDF failed."""
    fail_when(monkeypatch, os, "replace", OSError(errno.ENOSPC, "full"), "out.pdf")
    result = run("build", case_path, "-o", tmp_path / "out.docx", "--pdf")
    assert result.exit_code == 1 and "out.pdf: error: cannot write" in result.output
    assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out.pdf").exists()
    assert leftovers(tmp_path) == []


def test_batch_output_is_a_file(case_path: Path, tmp_path: Path) -> None:
    """Old code: FileExistsError traceback from outdir.mkdir (observed)."""
    (tmp_path / "afile").write_text("x")
    result = run("batch", case_path, "-o", tmp_path / "afile")
    assert result.exit_code == 1 and "afile: error: exists and is not a folder" in result.output
    under = run("batch", case_path, "-o", tmp_path / "afile" / "sub")
    assert under.exit_code == 1 and "a part of the path is a file" in under.output


def test_batch_unwritable_folder(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old code: PermissionError from mkstemp escaped build_one (it caught RequeteError only)."""
    import tempfile

    fail_when(monkeypatch, tempfile, "mkstemp", PermissionError(errno.EACCES, "denied"), "outs")
    result = run("batch", case_path, "-o", tmp_path / "outs", "-j", "1")
    assert result.exit_code == 1
    assert "permission denied" in result.output and "1 failed" in result.output


def test_redline_and_html_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old code: name too long gave an OSError traceback from Path.exists (as in build)."""
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    _docx(old, "Premier état du texte.")
    _docx(new, "Second état du texte.")
    for option, name in (("--redline", f"{LONG}.docx"), ("--html", f"{LONG}.html")):
        result = run("diff", old, new, option, tmp_path / name)
        assert result.exit_code == 1 and "file name too long" in result.output
    (tmp_path / "afile").write_text("x")
    under = run("diff", old, new, "--html", tmp_path / "afile" / "r.html")
    assert under.exit_code == 1 and "a part of the path is a file" in under.output
    # both files or neither: the report fails, the redline is not left behind
    fail_when(monkeypatch, os, "replace", OSError(errno.EROFS, "ro"), "r.html")
    both = run("diff", old, new, "--redline", tmp_path / "r.docx", "--html", tmp_path / "r.html")
    assert both.exit_code == 1 and "read-only file system" in both.output
    assert not (tmp_path / "r.docx").exists() and leftovers(tmp_path) == []


def test_pdf_of_several_files_is_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_soffice: None
) -> None:
    """Old code: `pdf a.docx b.docx` installed a.pdf, then failed on b.pdf: a.pdf stayed."""
    a, b = tmp_path / "a.docx", tmp_path / "sub" / "b.docx"
    b.parent.mkdir()
    _docx(a, "A")
    _docx(b, "B")
    (tmp_path / "a.pdf").write_bytes(b"%PDF old a")  # replaced with --force, put back on failure
    fail_when(monkeypatch, os, "replace", OSError(errno.ENOSPC, "full"), "b.pdf")
    result = run("pdf", a, b, "--force")
    assert (
        result.exit_code == 1 and "b.pdf: error: cannot write the file (no space" in result.output
    )
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF old a"
    assert not (b.parent / "b.pdf").exists() and leftovers(tmp_path) == []
    monkeypatch.undo()


def test_pdf_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_soffice: None) -> None:
    a = tmp_path / "a.docx"
    _docx(a, "A")
    (tmp_path / "afile").write_text("x")
    for outdir, message in (
        (tmp_path / LONG, "file name too long"),
        (tmp_path / "afile", "exists and is not a folder"),
        (tmp_path / "afile" / "sub", "a part of the path is a file"),
    ):
        result = run("pdf", a, "-o", outdir)
        assert result.exit_code == 1 and message in result.output, outdir
    import tempfile

    fail_when(monkeypatch, tempfile, "mkstemp", PermissionError(errno.EACCES, "denied"), "ro")
    (tmp_path / "ro").mkdir()
    result = run("pdf", a, "-o", tmp_path / "ro")
    assert result.exit_code == 1 and "permission denied" in result.output
    assert list((tmp_path / "ro").iterdir()) == []


def test_bundle_io_errors(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_soffice: None
) -> None:
    """Old code: the staging folder (mkdtemp) was made outside any handler, and an OSError
    while filling or renaming it escaped as a traceback."""
    import tempfile

    result = run("bundle", case_path, "-o", tmp_path / LONG)
    assert result.exit_code == 1 and "file name too long" in result.output
    (tmp_path / "afile").write_text("x")
    under = run("bundle", case_path, "-o", tmp_path / "afile" / "depot")
    assert under.exit_code == 1 and "error: cannot" in under.output
    with monkeypatch.context() as patch:
        fail_when(patch, tempfile, "mkdtemp", PermissionError(errno.EACCES, "denied"), ".depot-")
        denied = run("bundle", case_path, "-o", tmp_path / "depot")
        assert denied.exit_code == 1 and "permission denied" in denied.output
    with monkeypatch.context() as patch:
        fail_when(patch, shutil, "copyfile", OSError(errno.ENOSPC, "full"), ".depot-")
        full = run("bundle", case_path, "-o", tmp_path / "depot")
        assert full.exit_code == 1 and "no space left on the disk" in full.output
    with monkeypatch.context() as patch:
        fail_when(patch, os, "replace", OSError(errno.EROFS, "ro"), str(tmp_path / "depot"))
        read_only = run("bundle", case_path, "-o", tmp_path / "depot")
        assert read_only.exit_code == 1 and "read-only file system" in read_only.output
    pieces = case_path.parent / "pieces" / "acte.pdf"
    with monkeypatch.context() as patch:
        fail_when(
            patch,
            shutil,
            "copyfile",
            PermissionError(errno.EACCES, "denied", str(pieces)),
            str(pieces),
        )
        unreadable = run("bundle", case_path, "-o", tmp_path / "depot")
        assert unreadable.exit_code == 1
        assert "acte.pdf: error: cannot read the pièce (permission denied" in unreadable.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "lib"]
    assert leftovers(tmp_path) == []


# --- 3. SIGTERM cleans up -----------------------------------------------------------------


def test_sigterm_becomes_an_exception() -> None:
    from requete.output import Terminated, signals_as_interrupts

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), signals_as_interrupts():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def _soffice_of(tag: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-f", str(tag)], capture_output=True, text=True)
    return found.stdout.split()


@pytest.fixture
def terminate(tmp_path: Path) -> Iterator[Callable[[list[str], Path], int]]:
    """Start a requete command in a child, send it SIGTERM once LibreOffice runs, return its
    exit code; then check that no LibreOffice of that run is left (and kill any that is)."""
    temp = tmp_path / "tmp"  # the child's TMPDIR: LibreOffice's profile is under it
    temp.mkdir()

    def start(args: list[str], cwd: Path) -> int:
        env = {**os.environ, "TMPDIR": str(temp)}
        command = [sys.executable, "-m", "requete", *args]
        child = subprocess.Popen(command, cwd=cwd, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not _soffice_of(temp) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _soffice_of(temp), "LibreOffice did not start"
        time.sleep(0.3)
        child.send_signal(signal.SIGTERM)
        _out, err = child.communicate(timeout=20)
        assert b"Traceback" not in err, err
        return child.returncode

    yield start
    deadline = time.monotonic() + 5
    while _soffice_of(temp) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _soffice_of(temp)
    for pid in left:
        os.kill(int(pid), signal.SIGKILL)
    assert left == [], "LibreOffice left running"
    assert list(temp.iterdir()) == [], "temporary files left"


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("command", ["bundle", "pdf", "build --pdf"])
def test_sigterm_leaves_nothing(
    command: str, case_path: Path, tmp_path: Path, terminate: Callable[[list[str], Path], int]
) -> None:
    root = case_path.parent
    work = tmp_path / "work"
    work.mkdir()
    if command == "bundle":
        args = ["bundle", str(case_path), "-o", str(work / "depot")]
    elif command == "pdf":
        for name in ("a", "b"):
            shutil.copyfile(root / "pieces" / "etude.docx", work / f"{name}.docx")
        args = ["pdf", str(work / "a.docx"), str(work / "b.docx")]
    else:
        args = ["build", str(case_path), "-o", str(work / "out.docx"), "--pdf"]
    before = sorted(p.name for p in work.iterdir())
    code = terminate(args, work)
    assert code == 128 + signal.SIGTERM
    assert sorted(p.name for p in work.iterdir()) == before  # no partial output, no staging
