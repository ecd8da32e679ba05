"""The review commands through the CLI: text, diff with outputs, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from drafts import BASE, build_docx
from typer.testing import CliRunner

from requete.commands import review
from requete.manifest import Manifest, embed_manifest

app = typer.Typer()
review.register(app)
runner = CliRunner()


@app.callback()
def _root() -> None:
    """Test app holding only the review commands."""


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(build_docx(BASE))
    new.write_bytes(build_docx([*BASE[:3], ("num", "Un moyen nouveau."), *BASE[4:]]))
    return old, new


def test_text(tmp_path: Path) -> None:
    old, _ = _pair(tmp_path)
    result = runner.invoke(app, ["text", str(old)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Discussion\n\n## Sur la légalité externe\n\n1. ")


def test_diff_writes_verified_redline_and_html(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    out, page = tmp_path / "red.docx", tmp_path / "report.html"
    args = ["diff", str(old), str(new), "--redline", str(out), "--html", str(page)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 added, 1 removed, 0 changed, 0 moved" in " ".join(result.output.split())
    assert out.read_bytes()[:2] == b"PK"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<del>" in html and "<style>" in html
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "output already exists; pass --force to overwrite it" in refused.output
    assert runner.invoke(app, [*args, "--force", "--side-by-side"]).exit_code == 0
    # requete stages outputs as ".NAME.XXXX.part" beside them (requete.output.Outputs): none
    # may be left behind, and nothing else than the inputs and the two outputs either
    assert not list(tmp_path.glob(".*.part"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [old.name, new.name, out.name, page.name]
    )


def test_html_escapes_document_text(tmp_path: Path) -> None:
    old, new = tmp_path / "a.docx", tmp_path / "b.docx"
    old.write_bytes(build_docx([("p", "x")]))
    new.write_bytes(build_docx([("p", "<script>alert(1)</script>")]))
    assert (
        runner.invoke(
            app, ["diff", str(old), str(new), "--html", str(tmp_path / "r.html")]
        ).exit_code
        == 0
    )
    assert "<script>" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_diff_of_a_non_docx_is_one_clear_error(tmp_path: Path) -> None:
    old, _ = _pair(tmp_path)
    bad = tmp_path / "notes.docx"
    bad.write_text("just text", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: error: not a Word document (.docx)" in result.output
    assert "Traceback" not in result.output


def test_manifest_json_and_table(tmp_path: Path) -> None:
    path = tmp_path / "built.docx"
    manifest = {
        "requete_version": "0.1.0",
        "case_file": "case.yaml",
        "blocks": [{"id": "moyen-test", "version": 2}],
        "paragraphs": [{"block": "moyen-test", "text_sha1": "ab"}],
        "precedents": ["cjue-test"],
        "pieces": [],
    }
    path.write_bytes(embed_manifest(build_docx(BASE), Manifest.from_dict(manifest)))
    result = runner.invoke(app, ["manifest", str(path), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["blocks"][0]["id"] == "moyen-test" and shown["precedents"] == ["cjue-test"]
    assert Manifest.from_dict(shown) == Manifest.from_dict(manifest)
    table = runner.invoke(app, ["manifest", str(path)])
    assert "moyen-test" in table.output and "cjue-test" in table.output
    plain = tmp_path / "plain.docx"
    plain.write_bytes(build_docx(BASE))
    missing = runner.invoke(app, ["manifest", str(plain)])
    assert missing.exit_code == 1 and "no requete manifest" in missing.output


def test_the_diff_fast_path_is_the_typer_command(tmp_path: Path) -> None:
    """`requete diff OLD NEW …` skips typer; its outputs, messages and codes are the command's."""
    import subprocess
    import sys

    from requete.entry import _parse_diff

    assert _parse_diff(["a.docx", "b.docx", "--redline=r.docx", "--force"]) == {
        "old": "a.docx",
        "new": "b.docx",
        "redline": "r.docx",
        "force": True,
    }
    for handed_over in (
        ["a.docx"],
        ["a.docx", "b.docx", "--help"],
        ["a.docx", "b.docx", "--cases"],
        ["--rev", "HEAD~1", "case.yaml"],
        ["a.docx", "b.docx", "--redline"],
        ["a.docx", "b.docx", "--author", "x", "--author", "y"],
    ):
        assert _parse_diff(handed_over) is None, handed_over
    old, new = _pair(tmp_path)
    bad = tmp_path / "notes.docx"
    bad.write_text("just text", encoding="utf-8")
    for name, args in (
        ("ok", [str(old), str(new), "--author", "Me X", "--date", "2024-03-01T00:00:00Z"]),
        ("bad", [str(old), str(bad)]),
    ):
        typed_out, fast_out = tmp_path / f"{name}-typed.docx", tmp_path / f"{name}-fast.docx"
        typed = runner.invoke(app, ["diff", *args, "--redline", str(typed_out)])
        fast = subprocess.run(
            [sys.executable, "-m", "requete", "diff", *args, "--redline", str(fast_out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert fast.returncode == typed.exit_code
        output = (fast.stdout + fast.stderr).replace(str(fast_out), str(typed_out))
        assert " ".join(output.split()) == " ".join(typed.output.split())
        if name == "ok":
            assert fast_out.read_bytes() == typed_out.read_bytes()
