"""Télérecours file names (R. 414-5 CJA), « pièce n° X » references, cross-checks, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from requete.export.inventory import InventoryLine, inventory_csv
from requete.export.telerecours import (
    MAX_NAME,
    Listed,
    cross_check,
    document_name,
    name_problems,
    piece_references,
    telerecours_name,
)

LONG_LABEL = (
    "Délibération de la CNIL n° 2023-146 du 21 décembre 2023 autorisant le GIP « Plateforme "
    "des données de santé » à mettre en œuvre l'entrepôt de données de santé « EMC2 »"
)


@pytest.mark.parametrize(
    ("number", "label", "ext", "expected"),
    [
        # Number first, zero-padded so that 10 sorts after 9; accents stripped; « » dropped.
        (1, "Délibération n° 2023-146", ".pdf", "01_Deliberation_n_2023-146.pdf"),
        # Apostrophes and spaces become one underscore; the extension is lower-cased.
        (2, "Étude d'hébergement", "PDF", "02_Etude_d_hebergement.pdf"),
        # Ligatures are spelt out; dots inside the label are not allowed.
        (3, "Œuvre v1.2 — « EMC2 »", ".docx", "03_OEuvre_v1_2_EMC2.docx"),
        # Numbers above 99 keep all their digits.
        (120, "Annexe", ".pdf", "120_Annexe.pdf"),
        # A label with nothing usable still gets a name.
        (4, "« … »", ".pdf", "04_piece.pdf"),
        # Long labels are cut at a word boundary to fit 80 characters with the extension.
        (1, LONG_LABEL, ".pdf", "01_Deliberation_de_la_CNIL_n_2023-146_du_21_decembre_2023_autorisant_le_GIP.pdf"),
    ],
)  # fmt: skip
def test_telerecours_name(number: int, label: str, ext: str, expected: str) -> None:
    assert telerecours_name(number, label, ext) == expected
    assert name_problems(expected) == []


@given(st.integers(min_value=1, max_value=999), st.text(max_size=300))
def test_every_name_obeys_the_rules(number: int, label: str) -> None:
    name = telerecours_name(number, label, ".pdf")
    assert name_problems(name) == []
    assert len(name) <= MAX_NAME
    assert name.startswith(f"{number:02d}_")
    assert name.count(".") == 1


def test_document_name() -> None:
    assert document_name("Requête introductive d'instance", "pdf") == (
        "Requete_introductive_d_instance.pdf"
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("01_Décision.pdf", "letters without accents"),
        ("01_a.b.pdf", "one '.'"),
        ("01 a.pdf", "letters without accents"),
        ("01_" + "a" * 80 + ".pdf", "at most 80"),
    ],
)
def test_name_problems(name: str, problem: str) -> None:
    assert any(problem in text for text in name_problems(name))


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("(pièce n°\u00a01)", [1]),
        ("pièces n° 1 et 4", [1, 4]),
        ("pièces n° 1, 3 et 4", [1, 3, 4]),
        ("pièces n° 2 à 5", [2, 3, 4, 5]),  # a range counts every pièce in it
        ("Pièce nº 7", [7]),
        ("pièce n°12 ; pièce n° 3", [12, 3]),
        ("la pièce maîtresse n'a pas de numéro", []),
        ("n° 492369", []),  # a docket number is not a pièce
    ],
)
def test_piece_references(text: str, numbers: list[int]) -> None:
    assert [n for _offset, n in piece_references(text)] == numbers


def _listed(*keys: str, act: str = "acte") -> list[Listed]:
    return [Listed(n, key, key == act) for n, key in enumerate(keys, start=1)]


def test_cross_check_passes() -> None:
    assert cross_check(_listed("acte", "etude"), [1, 2, 2]) == []


def test_cross_check_reference_to_unlisted_piece() -> None:
    problems = cross_check(_listed("acte", "etude"), [1, 2, 3])
    assert problems == [
        "the text refers to pièce n° 3, which is not in the inventory: add the pièce or "
        "correct the reference"
    ]


def test_cross_check_unreferenced_piece() -> None:
    problems = cross_check(_listed("acte", "etude"), [1])
    assert problems == [
        "pièce n° 2 (etude) is never referred to in the text: cite it where it proves a fact, "
        "or drop it from the inventory"
    ]


def test_cross_check_act_must_be_first() -> None:
    problems = cross_check(_listed("etude", "acte"), [1, 2])
    assert any("the contested act is n° 2: it must be pièce n° 1" in p for p in problems)
    problems = cross_check(_listed("etude", act="absent"), [1])
    assert any("the contested act is not in the inventory" in p for p in problems)


def test_cross_check_numbering_is_continuous() -> None:
    listed = [Listed(1, "acte", True), Listed(3, "etude")]
    assert any("continuous" in p for p in cross_check(listed, [1, 3]))


def test_inventory_csv() -> None:
    text = inventory_csv(
        [InventoryLine(1, "Délibération n° 2023-146", "01_Deliberation.pdf"),
         InventoryLine(2, "Étude; « EMC2 »", None)]
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        ["numero", "intitule", "fichier", "statut"],
        ["1", "Délibération n° 2023-146", "01_Deliberation.pdf", "jointe"],
        ["2", "Étude; « EMC2 »", "", "à produire"],
    ]
