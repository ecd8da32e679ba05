"""The real library: every file loads, resolves and cites only real entries; golden filings.

Regenerate the golden texts after an intended change with
``REQUETE_GOLDEN=1 python -m pytest tests/test_library_content.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from requete.library import Layer, load_library
from requete.pipeline import build_docx, check, check_library, open_case
from requete.review import document_text

REPO = Path(__file__).resolve().parents[1]
CASES = sorted(REPO.glob("cases/**/*.yaml")) + sorted(REPO.glob("examples/*/case.yaml"))
FILINGS = [p for p in CASES if p.name != "matter.yaml"]
GOLDEN = REPO / "tests" / "golden"
FACTS = next(
    (
        p
        for p in (
            REPO.parent / "shared" / "facts" / "legal-facts.md",
            Path("/work/shared/facts/legal-facts.md"),
        )
        if p.exists()
    ),
    REPO / "missing-facts-sheet.md",
)


def test_every_library_file_loads_without_problems() -> None:
    problems = check_library([Layer("repo", REPO)])
    assert [str(p) for p in problems] == []


def test_the_library_is_big_enough_and_every_file_is_named_after_its_id() -> None:
    library = load_library([Layer("repo", REPO)])
    assert len(library.blocks) >= 15
    assert len(library.precedents) >= 20
    for item in [*library.blocks.values(), *library.precedents.values(), *library.sets.values()]:
        assert item.origin.path.stem == item.id  # type: ignore[attr-defined]


def test_every_set_resolves() -> None:
    library = load_library([Layer("repo", REPO)])
    for ident, argument_set in library.sets.items():
        members = argument_set.blocks or []
        assert all(m in library.blocks for m in members), ident


@pytest.mark.parametrize("case", FILINGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_real_filing_passes_strict_check(case: Path) -> None:
    session = open_case(case)
    problems = [p for p in check(session) if p.severity in ("error", "warning")]
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("case", FILINGS, ids=lambda p: str(p.relative_to(REPO)))
def test_golden_text_of_each_filing(case: Path) -> None:
    data, document = build_docx(open_case(case))
    text = document_text(data, case.name)
    name = str(case.relative_to(REPO)).replace("/", "__").replace(".yaml", ".txt")
    golden = GOLDEN / name
    if os.environ.get("REQUETE_GOLDEN") or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    for part in (
        "CONSEIL D'ÉTAT",
        "POUR :",
        "CONTRE :",
        "FAITS",
        "DISCUSSION",
        "PAR CES MOTIFS",
        "INVENTAIRE DES PIÈCES",
    ):
        assert part in text.replace("\u00a0", " ").replace("’", "'"), part
    assert document.pieces[0].number == 1
    assert document.pieces[0].key == open_case(case).case.acte.piece  # type: ignore[union-attr]


def test_refere_bears_the_mention_and_produces_the_annulation_requete() -> None:
    data, document = build_docx(open_case(REPO / "cases/emc2/refere-suspension.yaml"))
    assert document.mention == "référé"  # R. 522-3
    assert "requete-annulation" in [p.key for p in document.pieces]  # R. 522-1
    assert any(p.text.startswith("SUSPENDRE") for p in document.conclusions)


def test_table_of_authorities_points_at_paragraphs_that_cite_them() -> None:
    _, document = build_docx(open_case(REPO / "cases/emc2/annulation.yaml"))
    numbered = {str(p.number): p for p in document.body if p.number}
    for authority in document.authorities:
        for place in authority.paragraphs:
            if place.startswith("concl."):
                continue
            assert place in numbered, (authority.id, place)


IDENTIFIER = re.compile(
    r"(ECLI:FR:[A-Z]+:\d{4}:\d+\.\d{8}|EU:[CT]:\d{4}:\d+|[CT]-\d+/\d+(?: P)?|"
    r"n°\s?\d{6})"
)


@pytest.mark.skipif(not FACTS.exists(), reason="facts sheet not available")
def test_every_identifier_in_the_filings_is_in_the_facts_sheet() -> None:
    facts = FACTS.read_text(encoding="utf-8").replace("\u00a0", " ")
    for case in FILINGS:
        data, _ = build_docx(open_case(case))
        text = document_text(data, case.name).replace("\u00a0", " ").replace("\u202f", " ")
        for identifier in set(IDENTIFIER.findall(text)):
            number = identifier.replace("n° ", "").replace("n°", "")
            assert number in facts, f"{case.name}: {identifier} not in the facts sheet"
