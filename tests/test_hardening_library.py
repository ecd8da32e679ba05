"""A case file cannot pull library layers from anywhere on the disk (issue 15, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from requete.errors import LibraryError
from requete.pipeline import check, open_case


def _outside_library(tmp_path: Path) -> Path:
    other = tmp_path / "elsewhere" / "arguments"
    other.mkdir(parents=True)
    (other / "intrus.yaml").write_text(
        "id: intrus\ntitle: Intrus\nsection: faits\nbody: |\n  Texte venu d'ailleurs.\n",
        encoding="utf-8",
    )
    return other.parent


def test_an_absolute_library_in_a_case_is_refused(write_tree, tmp_path: Path) -> None:
    outside = _outside_library(tmp_path)
    root = write_tree()
    case = root / "case.yaml"
    case.write_text(case.read_text() + f"library: [{outside}]\n", encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        open_case(case)
    assert "is outside the project" in raised.value.message
    assert raised.value.path == case and raised.value.line is not None


def test_a_relative_library_climbing_out_of_the_project_is_refused(write_tree, tmp_path) -> None:
    _outside_library(tmp_path)
    root = write_tree()
    case = root / "case.yaml"
    case.write_text(case.read_text() + "library: [../elsewhere]\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="outside the project"):
        open_case(case)


def test_allow_outside_lets_the_user_take_it(write_tree, tmp_path: Path) -> None:
    outside = _outside_library(tmp_path)
    root = write_tree()
    case = root / "case.yaml"
    case.write_text(case.read_text() + f"library: [{outside}]\n", encoding="utf-8")
    session = open_case(case, allow_outside=True)
    assert any(layer.root == outside for layer in session.layers)
    assert not [p for p in check(session) if p.severity == "error"]


def test_a_library_inside_the_repository_is_still_taken() -> None:
    repo = Path(__file__).resolve().parents[1]
    session = open_case(repo / "examples" / "ngo-overlay" / "case.yaml")  # ../../cases/emc2
    assert any(layer.root.name == "emc2" for layer in session.layers)
