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
CASES = sorted(REPO.glob("cases/*/*.yaml")) + sorted(REPO.glob("examples/*/*.yaml"))
FILINGS = [p for p in CASES if "procedure:" in p.read_text(encoding="utf-8")]
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


# Filings kept as examples of a check: the one warning each must give.
EXPECTED_WARNINGS = {
    # a new référé after the rejection of n° 492369, with no new element in the facts sheet
    "cases/emc2/refere-suspension.yaml": [
        "the same applicants' référé-suspension (article L. 521-1 du CJA) n° 492369 was "
        "rejected on 2024-03-22 for lack of urgence"
    ],
}


@pytest.mark.parametrize("case", FILINGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_real_filing_passes_strict_check(case: Path) -> None:
    session = open_case(case)
    problems = [p for p in check(session) if p.severity in ("error", "warning")]
    expected = EXPECTED_WARNINGS.get(str(case.relative_to(REPO)), [])
    assert len(problems) == len(expected), [str(p) for p in problems]
    for problem, start in zip(problems, expected, strict=True):
        assert problem.severity == "warning" and problem.message.startswith(start), problem


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
    numbered = {p.number for p in document.body if p.number}
    concluded = {p.number for p in document.conclusions if p.number}
    for authority in document.authorities:
        for place in authority.cited_at:
            assert place.number in (numbered if place.part == "paragraph" else concluded), (
                authority.id,
                place,
            )


IDENTIFIER = re.compile(
    r"(ECLI:FR:[A-Z]+:\d{4}:\d+\.\d{8}|EU:[CT]:\d{4}:\d+|[CT]-\d+/\d+(?: P)?|"
    r"n°\s?\d{6})"
)


FICTIONAL = ("examples/new-matter/",)  # invented matters: their numbers are invented too


@pytest.mark.skipif(not FACTS.exists(), reason="facts sheet not available")
def test_every_identifier_in_the_filings_is_in_the_facts_sheet() -> None:
    """Or in the research memo of the matter's own layer (examples/doctolib/RESEARCH.md)."""
    facts = FACTS.read_text(encoding="utf-8").replace("\u00a0", " ")
    for case in FILINGS:
        if str(case.relative_to(REPO)).startswith(FICTIONAL):
            continue
        memo = case.parent / "RESEARCH.md"
        known = facts + (memo.read_text(encoding="utf-8") if memo.exists() else "")
        data, _ = build_docx(open_case(case))
        text = document_text(data, case.name).replace("\u00a0", " ").replace("\u202f", " ")
        for identifier in set(IDENTIFIER.findall(text)):
            number = identifier.replace("n° ", "").replace("n°", "")
            assert number in known, f"{case.name}: {identifier} not in the facts sheet"


# -- the shared library is matter-neutral (issue: reusable argument library) ---------------

EMC2_LITERALS = re.compile(
    r"EMC2|Microsoft|Azure|Health Data Hub|Plateforme des données de santé|2023-146|UGAP"
    r"|31 janvier 2024|2 avril 2024|22 mars 2024|5 mars 2024|6 mars 2024|2024-0[1-4]-\d\d",
    re.IGNORECASE,
)
CITATION_KEY = re.compile(r"\[@[^\]]*\]")
SHARED = sorted(p for d in ("arguments", "sets", "facts") for p in (REPO / d).glob("*.yaml"))


@pytest.mark.parametrize("path", SHARED, ids=lambda p: str(p.relative_to(REPO)))
def test_the_shared_library_names_no_emc2_fact_outside_citation_keys(path: Path) -> None:
    text = CITATION_KEY.sub("", path.read_text(encoding="utf-8"))
    found = sorted({m.group(0) for m in EMC2_LITERALS.finditer(text)})
    assert found == [], f"{path.name} names {found}"


NEW_MATTER = REPO / "examples" / "new-matter"
APPLICANTS = {
    # one female applicant (an association)
    "association": (
        "- {denomination: Exemple Santé Libertés (association fictive), forme: association}",
        ["la requérante", "La requérante"],
        ["les requérant", "le requérant"],
    ),
    # one male natural person
    "monsieur": (
        "- {civilite: M., nom: Jean Exemple (personne fictive), domicile: Paris}",
        ["le requérant", "Le requérant"],
        ["la requérante", "les requérant"],
    ),
    # a mixed group: a société, an association, a woman and a man -> masculine plural
    "mixed": (
        "- {denomination: Exemple Cloud Libre (société fictive), forme: société}\n"
        "  - {denomination: Exemple Santé Libertés (association fictive), forme: association}\n"
        "  - {civilite: Mme, nom: Anne Exemple (personne fictive), domicile: Lyon}\n"
        "  - {civilite: M., nom: Jean Exemple (personne fictive), domicile: Lyon}",
        ["les requérants", "Les requérants"],
        ["les requérantes", "la requérante", "le requérant "],
    ),
}


NEW_MATTER_FILINGS = sorted(NEW_MATTER.glob("*.yaml"))


def _new_matter_text(case: Path) -> tuple[str, set[str]]:
    # the cases below live in a scratch folder and name the repository's layers: outside
    # their project, as a user's case naming a library elsewhere would be (--allow-outside)
    session = open_case(case, allow_outside=not case.is_relative_to(REPO))
    problems = [p for p in check(session) if p.severity in ("error", "warning")]
    assert [str(p) for p in problems] == []
    assert all(b.layer == "built-in" for b in session.blocks)
    data, _ = build_docx(session)
    text = document_text(data, case.name).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("’", "'")
    found = sorted({m.group(0) for m in EMC2_LITERALS.finditer(text)})
    assert found == [], f"{case.name} names {found}"
    assert "Clever Cloud" not in text
    return text, {b.id for b in session.blocks}


@pytest.mark.parametrize("who", sorted(APPLICANTS))
def test_a_new_matter_reuses_every_shared_block_and_agrees_with_its_applicants(
    who: str, tmp_path: Path
) -> None:
    parties, present, absent = APPLICANTS[who]
    used: set[str] = set()
    shared_blocks = {p.stem for p in (REPO / "arguments").glob("*.yaml")}
    for filing in NEW_MATTER_FILINGS:
        source = filing.read_text(encoding="utf-8")
        if "\nrequerants:" in source:  # the intervention: its own applicant, an intervener
            _, blocks = _new_matter_text(filing)
            used |= blocks
            continue
        case = tmp_path / filing.name
        case.write_text(
            source + f"library: [{NEW_MATTER}]\nrequerants:\n  {parties}\n", encoding="utf-8"
        )
        text, blocks = _new_matter_text(case)
        used |= blocks
        assert present[0] in text, (filing.name, present[0])  # the defined term, at least
        for word in absent:
            assert word not in text, (filing.name, word)
        assert "l'arrêté attaqué" in text and "délibération attaquée" not in text
    assert used == shared_blocks


def test_the_doctolib_filing_takes_its_substantive_blocks_from_the_shared_library() -> None:
    """At least 70 % of the référé-liberté's non-facts blocks are shared blocks, unchanged but
    for the matter's application parts; it speaks as of 26 February 2021."""
    session = open_case(REPO / "examples" / "doctolib" / "refere-liberte.yaml")
    substantive = [b for b in session.blocks if b.block.section != "faits"]
    shared = [
        b
        for b in substantive
        if b.layer == "built-in"
        and all(op.startswith(("application (", "added (")) for op in b.operations)
    ]
    assert len(shared) / len(substantive) >= 0.7, [b.id for b in substantive]
    data, _ = build_docx(session)
    text = document_text(data, "refere-liberte.yaml")
    assert "450163" not in text  # the ordonnance of 12 March 2021 postdates the filing


def test_a_second_rep_of_the_emc2_applicants_is_warned(tmp_path: Path) -> None:
    """Filed on 29 March 2024, the requête duplicates n° 492368 (counsel's review)."""
    source = (REPO / "cases" / "emc2" / "annulation.yaml").read_text(encoding="utf-8")
    case = tmp_path / "second-rep.yaml"
    case.write_text(
        source.replace("date: 2024-03-05", "date: 2024-03-29")
        + f"library: [{REPO / 'cases' / 'emc2'}]\n",
        encoding="utf-8",
    )
    session = open_case(case, allow_outside=True)  # a scratch case naming the repository
    warnings = [p.message for p in check(session) if p.severity == "warning"]
    assert any(
        w.startswith("the matter records requête n° 492368") and "memoire-complementaire" in w
        for w in warnings
    ), warnings


@pytest.mark.parametrize("procedure", sorted(p.stem for p in (REPO / "procedures").glob("*.yaml")))
def test_requete_deadline_knows_the_rule_of_every_built_in_procedure(procedure: str) -> None:
    from typer.testing import CliRunner

    from requete.cli import app

    result = CliRunner().invoke(app, ["deadline", "2024-03-05", "--procedure", procedure])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Procédure : ") and lines[1].startswith("Règle : ")
    rule = load_library([Layer("repo", REPO)]).procedures[procedure].deadline.rule
    if rule == "aucun":
        assert lines[-1] == "Pas de délai de dépôt à calculer pour cette procédure."
    elif rule == "instance":
        assert lines[-1] == "2024-06-05"  # R. 611-22: registered 5 March 2024 (facts §10.7)
    else:
        assert lines[-1] == "2024-05-06"  # R. 421-1: from 6 March (the day after) to 6 May
