"""The public API: docs/api.md's example runs, and the verbs return what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import requete

ROOT = Path(__file__).resolve().parents[1]


def test_the_documented_example_runs(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "docs/api.md", "exec"), {})
    out = capsys.readouterr().out
    assert "0 errors" in out and "annulation" in out and "refused:" in out


def test_every_exported_name_exists() -> None:
    for name in requete.__all__:
        assert getattr(requete, name) is not None, name
    with pytest.raises(AttributeError):
        requete.no_such_name  # noqa: B018


def test_build_refuses_a_case_with_errors(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text().replace("set-test", "set-tset")
    root = write_tree({"case.yaml": case})
    result = requete.check(root / "case.yaml")
    assert not result.ok and result.problems[0].severity == "error"
    with pytest.raises(requete.ValidationFailed) as failed:
        requete.build(root / "case.yaml")
    assert any(p.severity == "error" for p in failed.value.problems)


def test_diff_counts_and_redline(write_tree) -> None:
    root = write_tree()
    built = requete.build(root / "case.yaml")
    stamped = requete.build(root / "case.yaml", draft=True)
    same = requete.diff(built.docx, built.docx)
    assert same.counts["changed"] == same.counts["added"] == same.counts["removed"] == 0
    compared = requete.diff(built.docx, stamped.docx)
    assert compared.redline()[:2] == b"PK"
    assert compared.arguments is not None


def test_redline_of_a_draft_against_its_version_without_comments() -> None:
    """Every comment of the old draft gone from the new one: the redline marks each
    reference deleted and keeps all of them in one comments part (it used to add a part per
    comment, so reject-all lost them and the verifier refused the redline)."""
    import io
    import zipfile

    session = requete.load_case(ROOT / "cases" / "emc2" / "annulation.yaml")
    built = requete.build(session)
    clean = requete.build(session, comments=False)
    names = zipfile.ZipFile(io.BytesIO(built.docx)).namelist()
    assert "word/comments.xml" in names
    redline = requete.diff(built.docx, clean.docx).redline()
    parts = [n for n in zipfile.ZipFile(io.BytesIO(redline)).namelist() if "comments" in n]
    assert parts == ["word/comments.xml"]
    assert requete.diff(clean.docx, built.docx).redline()[:2] == b"PK"


def test_the_verbs_the_command_line_uses(tmp_path: Path) -> None:
    import datetime as dt

    from requete import api

    library = api.open_library()
    assert "annulation" in library.procedures and library.blocks
    lines = api.procedure_deadline("annulation", dt.date(2023, 12, 21))
    assert any("2024" in line for line in lines)
    with pytest.raises(requete.RequeteError, match="not a library"):
        api.check_library([tmp_path])
    with pytest.raises(requete.RequeteError, match="not found"):
        api.library_layer(tmp_path / "missing")
    assert api.check_library([ROOT / "examples" / "ngo-overlay"]).layers[0].name == "built-in"
    built = requete.build(ROOT / "cases" / "emc2" / "annulation.yaml")
    saved = built.save(tmp_path / "a.docx")
    manifest = api.read_manifest(saved)
    assert manifest == built.manifest
    written = api.write_schemas(tmp_path / "schema")
    assert written and all(p.suffix == ".json" and p.is_file() for p in written)


def test_build_many_builds_each_case_and_reports_failures(tmp_path: Path) -> None:
    from requete import api

    good = ROOT / "cases" / "emc2" / "annulation.yaml"
    missing = tmp_path / "missing.yaml"
    results = {r.case: r for r in api.build_many([good, missing], tmp_path / "out", jobs=1)}
    assert results[good].error is None and results[good].output.is_file()
    assert results[missing].error and not results[missing].output.exists()
