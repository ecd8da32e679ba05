"""The typed build manifest: JSON round trip, refusals, schema, byte-identical builds."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from requete.cli import app
from requete.errors import DocxError, RequeteError
from requete.manifest import (
    VERSION,
    BlockRecord,
    Manifest,
    ManifestError,
    ParagraphRecord,
    PieceRecord,
    load_manifest,
)

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "docs/schema/manifest.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()

SAMPLE = Manifest(
    requete_version="0.1.0",
    case_file="annulation.yaml",
    procedure="annulation",
    filing_date="2024-03-29",
    set_chain=("set-test",),
    layers=("built-in", "../.."),
    blocks=(
        BlockRecord(
            id="moyen-test",
            title="Un moyen « test »",
            section="legalite-interne",
            version=2,
            layer="../..",
            file="arguments/moyen-test.yaml",
            line=3,
            operations=("set set-test: replace paragraph 1",),
            text_sha1="a" * 40,
            comment_sha1=None,
        ),
    ),
    paragraphs=(ParagraphRecord(text_sha1="b" * 40, kind="para", number=1, block="moyen-test"),),
    precedents=("cjue-test",),
    pieces=(PieceRecord(1, "acte", "Délibération « test »"),),
)


def test_round_trip_and_deterministic_json() -> None:
    text = SAMPLE.to_json()
    assert Manifest.from_json(text) == SAMPLE
    assert text == Manifest.from_json(text).to_json()
    data = json.loads(text)
    assert list(data) == sorted(data) and data["version"] == VERSION
    assert ", " not in text and "«" in text  # compact separators, UTF-8 kept
    jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"version": 99}', "version 99, newer than this requete reads"),
        ('{"version": 2}', "version 2, newer than this requete reads"),  # the boundary
        ('{"version": "1"}', "invalid version"),
        ('{"blocks": [{"title": "x"}]}', r"blocks\[0\]\.id is missing"),
        ('{"blocks": [{"id": 3}]}', r"blocks\[0\]\.id should be str"),
        ('{"pieces": [{"key": "a", "number": true}]}', r"pieces\[0\]\.number should be int"),
        ('{"precedents": "cjue"}', "precedents should be list"),
    ],
)
def test_malformed_or_newer_manifests_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message) as caught:
        Manifest.from_json(text)
    assert isinstance(caught.value, DocxError) and isinstance(caught.value, RequeteError)


def test_a_manifest_without_version_is_read_as_version_1() -> None:
    legacy = {
        "requete_version": "0.1.0",
        "case_file": "cases/emc2/annulation.yaml",
        "layers": [{"name": "built-in", "root": "<built-in>"}],
        "blocks": [{"id": "moyen-test", "version": 2}],
        "paragraphs": [{"index": 2, "block": "moyen-test", "text_sha1": "c" * 40}],
        "precedents": ["cjue-test"],
        "pieces": [],
    }
    manifest = Manifest.from_json(json.dumps(legacy))
    assert manifest.version == 1 and manifest.layers == ("built-in",)
    assert manifest.blocks[0] == BlockRecord(id="moyen-test", version=2)
    assert manifest.paragraphs[0].block == "moyen-test"


def _build(case: str | Path, out: Path) -> bytes:
    result = runner.invoke(app, ["build", str(case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _assert_portable(manifest: Manifest, *roots: Path) -> None:
    jsonschema.validate(json.loads(manifest.to_json()), SCHEMA)
    text = manifest.to_json()
    for root in roots:
        assert str(root) not in text and root.as_posix() not in text
    paths = [manifest.case_file, *manifest.layers]
    paths += [p for b in manifest.blocks for p in (b.layer, b.file)]
    for path in paths:
        assert not path.startswith("/") and ":" not in path and "\\" not in path, path


def test_the_same_case_builds_to_the_same_bytes_from_any_directory(
    write_tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree()
    first, second = tmp_path / "a", tmp_path / "b" / "deeper"
    first.mkdir()
    second.mkdir(parents=True)
    monkeypatch.chdir(root)
    here = _build("case.yaml", first / "filing.docx")  # case named relative to the cwd
    monkeypatch.chdir(second)
    there = _build(root / "case.yaml", second / "filing.docx")  # named absolutely
    assert here == there
    manifest = load_manifest(here)
    assert manifest is not None
    assert manifest.case_file == "case.yaml" and manifest.layers[0] == "built-in"
    assert manifest.blocks and all(b.layer in manifest.layers for b in manifest.blocks)
    moyen = manifest.block("moyen-test")
    assert moyen is not None and moyen.file == "arguments/moyen-test.yaml"
    _assert_portable(manifest, tmp_path, Path.cwd())


def test_a_shipped_case_builds_identically_from_the_repository_and_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = REPO / "cases/emc2/annulation.yaml"
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    monkeypatch.chdir(REPO)
    here = _build("cases/emc2/annulation.yaml", tmp_path / "x" / "filing.docx")
    monkeypatch.chdir(tmp_path / "y")
    there = _build(case, tmp_path / "y" / "filing.docx")
    assert here == there
    manifest = load_manifest(here)
    assert manifest is not None and manifest.case_file == "annulation.yaml"
    assert manifest.blocks and manifest.pieces and manifest.paragraphs
    _assert_portable(manifest, REPO, tmp_path)


def test_the_manifest_command_reads_the_typed_manifest(write_tree, tmp_path: Path) -> None:
    root = write_tree()
    out = tmp_path / "filing.docx"
    _build(root / "case.yaml", out)
    shown = runner.invoke(app, ["manifest", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "case_file: case.yaml" in shown.output and "moyen-test" in shown.output
    as_json = runner.invoke(app, ["manifest", str(out), "--json"])
    assert Manifest.from_json(as_json.output) == load_manifest(out)
