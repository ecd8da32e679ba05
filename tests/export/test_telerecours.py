"""Télérecours file names (R. 414-5 CJA), « pièce n° X » references, cross-checks, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from requete.export.inventory import InventoryLine, breakable, inventory_csv
from requete.export.telerecours import (
    MAX_NAME,
    Listed,
    ascii_words,
    cross_check,
    document_name,
    main_name,
    name_problems,
    piece_references,
    telerecours_name,
)

REPO = Path(__file__).resolve().parents[2]

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
        [InventoryLine(1, "Délibération n° 2023-146", "01_Deliberation.pdf", date(2023, 12, 21)),
         InventoryLine(2, "Étude; « EMC2 »", None)]
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        ["numero", "intitule", "date", "fichier", "statut"],
        ["1", "Délibération n° 2023-146", "2023-12-21", "01_Deliberation.pdf", "jointe"],
        ["2", "Étude; « EMC2 »", "", "", "à produire"],
    ]


# --- the main file: one rule for every procédure -----------------------------------------

PROCEDURE_TITLES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
    for path in sorted((REPO / "procedures").glob("*.yaml"))
}


def test_every_procedure_is_covered() -> None:
    assert set(PROCEDURE_TITLES) == set(MAIN_NAMES)


MAIN_NAMES = {
    "annulation": "Requete_introductive_d_instance.pdf",
    "intervention": "Memoire_en_intervention_volontaire.pdf",
    "memoire-complementaire": "Memoire_complementaire.pdf",
    "memoire-replique": "Memoire_en_replique.pdf",
    "qpc": "Memoire_distinct_question_prioritaire_de_constitutionnalite.pdf",
    "refere-liberte": "Requete_en_refere-liberte.pdf",
    "refere-suspension": "Requete_en_refere-suspension.pdf",
}


@pytest.mark.parametrize("procedure", sorted(MAIN_NAMES))
def test_main_name_of_every_procedure(procedure: str) -> None:
    """Sentence case, no parenthesised article, the pièces' sanitiser."""
    name = main_name(PROCEDURE_TITLES[procedure], "pdf")
    assert name == MAIN_NAMES[procedure]
    assert name_problems(name) == []
    stem = name.removesuffix(".pdf")
    assert stem[0].isupper() and stem[1:] == stem[1:].lower()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # the typography fixer's non-breaking spaces, a title the case overrides
        ("REQUÊTE EN RÉFÉRÉ-SUSPENSION (art.\u00a0L.\u00a0521-1 CJA)", "Requete_en_refere-suspension"),
        ("MÉMOIRE EN RÉPLIQUE N° 2", "Memoire_en_replique_n_2"),
        ("Mémoire en réplique (R. 611-7 CJA)", "Memoire_en_replique"),  # mixed case kept
    ],
)  # fmt: skip
def test_main_name_of_a_case_title(title: str, expected: str) -> None:
    assert main_name(title, "pdf") == f"{expected}.pdf"


# --- pièce names cut after a word, keeping the date --------------------------------------

PUBLICATION = (
    "Justificatif de la publication de la délibération n° 2023-146 le 31 janvier 2024 "
    "(Légifrance, base CNIL, CNILTEXT000049057224)"
)
AUDITION = (
    "Compte rendu n° 28 (session ordinaire 2020-2021) de l’audition, le 18 février 2021, de "
    "Mme Stéphanie Combes, directrice du GIP « Plateforme des données de santé », par la "
    "mission d’information de l’Assemblée nationale"
)
ETUDE = (
    "« Étude d’hébergement de l’entrepôt de données de santé EMC2 dans un environnement "
    "souverain » (DNS, ANS, DINUM, INRIA), rapport et catalogue des exigences publiés le "
    "6 mars 2024 sur esante.gouv.fr"
)


@pytest.mark.parametrize(
    ("label", "when", "expected"),
    [
        # the date is past the cut: the first words, then the date; small words dropped
        # when that keeps more of the label (« n° 2023-146 » stays)
        (PUBLICATION, date(2024, 1, 31), "06_Justificatif_publication_deliberation_n_2023-146_le_31_janvier_2024.pdf"),
        (AUDITION, None, "06_Compte_rendu_n_28_session_ordinaire_2020-2021_audition_le_18_fevrier_2021.pdf"),
        (ETUDE, date(2024, 3, 6), "06_Etude_d_hebergement_de_l_entrepot_de_donnees_de_sante_EMC2_le_6_mars_2024.pdf"),
        # the pièce's `date:` that the label does not give is added
        ("Étude d'hébergement", date(2024, 3, 6), "06_Etude_d_hebergement_du_6_mars_2024.pdf"),
        ("Lettre", date(2024, 3, 1), "06_Lettre_du_1er_mars_2024.pdf"),
        # an ISO date counts as the pièce's date
        ("Capture d'écran 2024-03-05", date(2024, 3, 5), "06_Capture_d_ecran_2024-03-05.pdf"),
        # never cut inside a word, nor after « de », « la », « n »
        ("Page d’information relative à l’entrepôt EMC2 publiée sur le site mesdonnees.unicancer.fr du groupe", None,
         "06_Page_d_information_relative_a_l_entrepot_EMC2_publiee_sur_le_site.pdf"),
    ],
)  # fmt: skip
def test_long_names_keep_the_date(label: str, when: date | None, expected: str) -> None:
    name = telerecours_name(6, label, ".pdf", when)
    assert name == expected
    assert name_problems(name) == [] and len(name) <= MAX_NAME


WORDS = st.lists(
    st.sampled_from(["de", "la", "Délibération", "n°", "2023-146", "du", "l’entrepôt", "EMC2",
                     "relative", "à", "santé", "publiée", "autorisant", "Plateforme"]),
    min_size=1, max_size=40,
)  # fmt: skip


@given(WORDS, st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)))
def test_names_are_cut_after_whole_words(words: list[str], when: date | None) -> None:
    name = telerecours_name(3, " ".join(words), ".pdf", when)
    assert name_problems(name) == [] and name.startswith("03_")
    kept = name.removeprefix("03_").removesuffix(".pdf").split("_")
    known = set(ascii_words(" ".join(words)).split("_")) | {"du"}
    if when is not None:
        known |= set(telerecours_name(3, "x", ".pdf", when).removesuffix(".pdf").split("_"))
        assert str(when.year) in name  # the pièce's date is never lost
    assert set(kept) <= known


def test_breakable_file_names() -> None:
    shown = breakable("01_Deliberation_n_2023-146.pdf")
    assert shown.replace("\u200b", "").replace("\u2011", "-") == "01_Deliberation_n_2023-146.pdf"
    assert "2023\u2011146" in shown and shown.count("\u200b") == 3
