"""Overlays: extends chains, add/remove/replace/override/move, provenance, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from requete.pipeline import check, open_case

EXTRA = """\
id: extra-test
title: Un moyen propre à l'association
section: legalite-interne
body: |
  Texte propre à l'association.
"""


def _open(root: Path):  # type: ignore[no-untyped-def]
    return open_case(root / "case.yaml")


def _errors(root: Path) -> list[str]:
    lib = str(root) + "/"
    return [str(p).replace(lib, "") for p in check(_open(root)) if p.severity != "note"]


def _overlay(write_tree, overlay: str, extra: dict[str, str] | None = None) -> Path:  # type: ignore[no-untyped-def]
    case = (write_tree() / "case.yaml").read_text().replace("set: set-test", "set: ngo")
    files = {"sets/ngo.yaml": overlay, "case.yaml": case, "arguments/extra-test.yaml": EXTRA}
    files.update(extra or {})
    return write_tree(files)


def test_add_after_and_provenance(write_tree) -> None:
    root = _overlay(
        write_tree,
        "id: ngo\nname: NGO\nextends: set-test\nadd:\n  - {block: extra-test, after: faits-test}\n",
    )
    session = _open(root)
    assert [b.id for b in session.blocks] == [
        "faits-test",
        "extra-test",
        "moyen-test",
        "concl-test",
    ]
    added = session.blocks[1]
    assert added.operations[0].startswith("added (set ngo, ")
    assert added.operations[0].endswith("sets/ngo.yaml:5)")
    assert session.chain == ["set-test", "ngo"]


def test_add_at_end_of_section_by_default(write_tree) -> None:
    root = _overlay(
        write_tree, "id: ngo\nname: NGO\nextends: set-test\nadd:\n  - {block: extra-test}\n"
    )
    assert [b.id for b in _open(root).blocks] == [
        "faits-test",
        "moyen-test",
        "extra-test",
        "concl-test",
    ]


def test_remove_then_requires_breaks_with_a_clear_message(write_tree) -> None:
    root = _overlay(write_tree, "id: ngo\nname: NGO\nextends: set-test\nremove: [faits-test]\n")
    assert any(
        "block 'moyen-test' requires 'faits-test', which is not in the filing" in p
        for p in _errors(root)
    )


def test_override_fields_and_version_warning(write_tree) -> None:
    root = _overlay(
        write_tree,
        "id: ngo\nname: NGO\nextends: set-test\noverride:\n"
        "  - block: moyen-test\n    base_version: 1\n    title: Notre titre\n",
    )
    session = _open(root)
    moyen = next(b for b in session.blocks if b.id == "moyen-test")
    assert moyen.block.title == "Notre titre"
    assert moyen.block.body.startswith("La Cour de justice")  # body still inherited
    assert (
        "sets/ngo.yaml:6: warning: moyen-test was v1 when you overrode it, now v2 — review "
        "your change, then set base_version to 2" in _errors(root)
    )


def test_override_of_an_unknown_field(write_tree) -> None:
    root = _overlay(
        write_tree,
        "id: ngo\nname: NGO\nextends: set-test\noverride:\n"
        "  - block: moyen-test\n    base_version: 2\n    colour: red\n",
    )
    assert any(
        p.startswith("sets/ngo.yaml:7: error: unknown field 'override.0.colour'")
        for p in _errors(root)
    )


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ("remove: [nope]", "sets/ngo.yaml:4: error: cannot remove 'nope': it is not in the set"),
        (
            "override:\n  - {block: moyen-tset, title: x}",
            "sets/ngo.yaml:5: error: cannot override 'moyen-tset': it is not in the set "
            "(did you mean 'moyen-test'?)",
        ),
        (
            "add:\n  - {block: faits-test}",
            "sets/ngo.yaml:5: error: cannot add 'faits-test': it is already in the set",
        ),
        (
            "add:\n  - {block: extra-test, after: nowhere}",
            "sets/ngo.yaml:5: error: cannot place 'extra-test' after 'nowhere': it is not in the "
            "set",
        ),
        (
            "replace:\n  - {block: moyen-test, with: missing-block}",
            "sets/ngo.yaml:5: error: unknown argument block 'missing-block'",
        ),
    ],
)
def test_operation_errors(write_tree, ops: str, message: str) -> None:
    root = _overlay(write_tree, f"id: ngo\nname: NGO\nextends: set-test\n{ops}\n")
    assert any(p.startswith(message) for p in _errors(root)), _errors(root)


def test_replace_and_move(write_tree) -> None:
    root = _overlay(
        write_tree,
        "id: ngo\nname: NGO\nextends: set-test\nreplace:\n"
        "  - {block: moyen-test, with: extra-test, base_version: 2}\nmove:\n"
        "  - {block: extra-test, before: faits-test}\n",
    )
    session = _open(root)
    assert [b.id for b in session.blocks] == ["extra-test", "faits-test", "concl-test"]
    assert session.blocks[0].operations[0].startswith("replaces moyen-test")
    assert session.blocks[0].operations[1].startswith("moved")


def test_chain_of_three_and_case_operations(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text().replace("set: set-test", "set: local")
    root = write_tree(
        {
            "sets/ngo.yaml": "id: ngo\nname: NGO\nextends: set-test\nadd:\n  - {block: extra-test}\n",
            "sets/local.yaml": "id: local\nname: L\nextends: ngo\nremove: [extra-test]\n",
            "arguments/extra-test.yaml": EXTRA,
            "case.yaml": case + "move:\n  - {block: concl-test, at_end_of: conclusions}\n",
        }
    )
    session = _open(root)
    assert session.chain == ["set-test", "ngo", "local"]
    assert [b.id for b in session.blocks] == ["faits-test", "moyen-test", "concl-test"]


def test_cycle_is_an_error(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text().replace("set: set-test", "set: a")
    root = write_tree(
        {
            "sets/a.yaml": "id: a\nname: A\nextends: b\n",
            "sets/b.yaml": "id: b\nname: B\nextends: a\n",
            "case.yaml": case,
        }
    )
    assert any("error: cycle in `extends`: " in p for p in _errors(root))


def test_later_layer_wins_by_id(write_tree, tmp_path: Path) -> None:
    root = write_tree()
    ngo = tmp_path / "ngo" / "arguments"
    ngo.mkdir(parents=True)
    (ngo / "faits-test.yaml").write_text(
        "id: faits-test\ntitle: Nos faits\nsection: faits\nbody: |\n  Autre ([pièce:acte]).\n"
    )
    session = open_case(root / "case.yaml", (tmp_path / "ngo",))
    faits = session.blocks[0]
    assert faits.block.title == "Nos faits"
    assert faits.layer.endswith("ngo")
    assert ("arguments", "faits-test") in session.library.shadowed
