"""Every way to get input wrong gives ``path:line: error: …``, exit 1, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from requete.cli import app

runner = CliRunner()

# (file to write, its content, expected message fragment) — one row per mistake.
CASES = [
    # YAML syntax error: unclosed flow sequence
    (
        "arguments/faits-test.yaml",
        "id: faits-test\nrequires: [a, b\n",
        "faits-test.yaml:3: error: YAML syntax error",
    ),
    # tab used for indentation
    (
        "arguments/faits-test.yaml",
        "id: faits-test\nbody:\n\tx\n",
        "faits-test.yaml:3: error: tab used for indentation",
    ),
    # duplicate key
    (
        "arguments/faits-test.yaml",
        "id: faits-test\ntitle: a\ntitle: b\n",
        "faits-test.yaml:3: error: duplicate key 'title'",
    ),
    # wrong type
    (
        "arguments/faits-test.yaml",
        "id: faits-test\ntitle: F\nsection: faits\nversion: deux\nbody: x\n",
        "faits-test.yaml:4: error: field 'version': Input should be a valid integer",
    ),
    # empty file
    (
        "arguments/faits-test.yaml",
        "",
        "faits-test.yaml:1: error: empty file, expected a YAML mapping",
    ),
    # a list instead of a mapping
    (
        "arguments/faits-test.yaml",
        "- a\n- b\n",
        "faits-test.yaml:1: error: expected a mapping of fields",
    ),
    # Python tag (unsafe YAML)
    (
        "arguments/faits-test.yaml",
        "id: !!python/object/apply:os.system [echo]\n",
        "faits-test.yaml:1: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    # Jinja syntax error in a block body
    (
        "arguments/faits-test.yaml",
        "id: faits-test\ntitle: F\nsection: faits\nbody: |\n  Texte {% if %}\n",
        "faits-test.yaml:5: error: block 'faits-test': Jinja syntax error",
    ),
    # case points to a missing template
    ("case.yaml", None, "case.yaml:25: error: template 'absent' not found in any library layer"),
    # case names a missing matter file
    (
        "case.yaml",
        "matter: absent.yaml\n",
        "case.yaml:1: error: matter file 'absent.yaml' not found",
    ),
    # matter file outside the case directory
    (
        "case.yaml",
        "matter: ../../etc/passwd\n",
        "case.yaml:1: error: matter file '../../etc/passwd' is outside the case directory",
    ),
    # unknown set
    (
        "case.yaml",
        "SET",
        "case.yaml:5: error: unknown argument set 'set-tset' (did you mean 'set-test'?)",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_bad_input_table(write_tree, name: str, content: str | None, expected: str) -> None:
    root = write_tree()
    case_text = (root / "case.yaml").read_text()
    if content is None:
        content = case_text + "template: absent\n"
    elif content == "SET":
        content = case_text.replace("set: set-test", "set: set-tset")
    root = write_tree({name: content})
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert result.exit_code == 1, result.output
    if "template" in expected:  # only visible when the build looks the template up
        result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(root / "o.docx")])
    output = result.output.replace(str(root) + "/", "")
    assert expected in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x00\x01\x02binary", "binary file, expected UTF-8 YAML text"),  # binary
        ("procedure: annulation\ntitle: é\n".encode("latin-1"), ":2: error: not UTF-8 text"),
    ],
)
def test_unreadable_case_files(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(data)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert expected in result.output


def test_missing_case_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "x.docx")]
    )
    assert result.exit_code == 1
    assert "nope.yaml: error: file not found" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_failed_build_writes_nothing(write_tree) -> None:
    root = write_tree({"precedents/cjue-test.yaml": "id: cjue-test\n"})
    out = root / "out.docx"
    result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert not [p for p in root.iterdir() if p.name.endswith(".part")]


def test_existing_output_is_not_overwritten_without_force(write_tree) -> None:
    root = write_tree()
    out = root / "out.docx"
    out.write_bytes(b"lawyer's edits")
    result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out)])
    assert result.exit_code == 1
    assert "already exists; pass --force" in result.output
    assert out.read_bytes() == b"lawyer's edits"
    result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_out_of_the_library_is_refused(write_tree, tmp_path: Path) -> None:
    root = write_tree()
    secret = tmp_path / "secret.yaml"
    secret.write_text((root / "arguments" / "faits-test.yaml").read_text())
    (root / "arguments" / "faits-test.yaml").unlink()
    (root / "arguments" / "faits-test.yaml").symlink_to(secret)
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert result.exit_code == 1
    assert "faits-test.yaml: error: symbolic link points outside the library; refused" in (
        result.output
    )
    result = runner.invoke(app, ["check", "--library", str(root)])  # whole-library check too
    assert "symbolic link points outside the library; refused" in result.output
