"""French typography (§8.9): what is fixed, what is left alone, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requete.typography import NBSP, NNBSP, fix_typography, typography_problems

N = NBSP
F = NNBSP

FIXED = [
    # Colon: non-breaking space before, an ordinary space becomes one (no double space).
    ("Voir : la décision", f"Voir{N}: la décision"),
    ("Voir: la décision", f"Voir{N}: la décision"),
    ("Voir  \t: la décision", f"Voir{N}: la décision"),
    ("PAR CES MOTIFS :", f"PAR CES MOTIFS{N}:"),
    # Semicolon, exclamation and question marks: narrow no-break space (U+202F); an existing
    # NBSP is normalised to it.
    ("a ; b", f"a{F}; b"),
    ("a; b", f"a{F}; b"),
    (f"a{N}; b", f"a{F}; b"),
    ("Vraiment ?", f"Vraiment{F}?"),
    ("Vraiment?!", f"Vraiment{F}?!"),  # the second mark of a pair takes no space
    ("Non !", f"Non{F}!"),
    # Guillemets: one NBSP inside each.
    ("« bonjour »", f"«{N}bonjour{N}»"),
    ("«bonjour»", f"«{N}bonjour{N}»"),
    ("« »", f"«{N}»"),
    # Straight double quotes become guillemets, paired from their context.
    ('il a dit "bonjour" hier', f"il a dit «{N}bonjour{N}» hier"),
    ('"Oui", dit-il', f"«{N}Oui{N}», dit-il"),
    ('("texte")', f"(«{N}texte{N}»)"),
    # Apostrophes.
    ("l'article", "l’article"),
    ("aujourd'hui", "aujourd’hui"),
    # n° and its plural, with or without a space.
    ("n° 492369", f"n°{N}492369"),
    ("n°492369", f"n°{N}492369"),
    ("N° 12", f"N°{N}12"),
    ("nos 491644 et 492368", f"nos{N}491644 et 492368"),
    ("n°s 1 et 2", f"n°s{N}1 et 2"),
    # Code articles: between « article » and the reference and after « L. », « R. », « D. ».
    ("article L. 521-1 du CJA", f"article{N}L.{N}521-1 du CJA"),
    ("articles R. 412-1 et R. 412-2", f"articles{N}R.{N}412-1 et R.{N}412-2"),
    ("l'article 6 du RGPD", f"l’article{N}6 du RGPD"),
    ("art. L.521-1", f"art.{N}L.{N}521-1"),
    ("article premier", f"article{N}premier"),
    ("D. 112-3", f"D.{N}112-3"),
    # Pinpoints.
    ("pt 185", f"pt{N}185"),
    ("pts 133 à 135", f"pts{N}133 à 135"),
    ("point 94", f"point{N}94"),
    ("Lebon p. 336", f"Lebon p.{N}336"),
    ("§ 2", f"§{N}2"),
    # A realistic citation: every rule at once, the ECLI untouched.
    (
        "CJUE, gr. ch., 16 juillet 2020, C-311/18, EU:C:2020:559, pt 185 ; voir : n° 492369",
        f"CJUE, gr. ch., 16 juillet 2020, C-311/18, EU:C:2020:559, pt{N}185{F}; voir{N}: "
        f"n°{N}492369",
    ),
]

UNTOUCHED = [
    "ECLI:FR:CEORD:2024:492369.20240322",  # ECLI: colons glued, no space
    "EU:C:2020:559",  # the CJEU's own ECLI form
    "ECLI:EU:C:2020:559",
    "https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2024-03-22/492369?x=1&y='a'",
    "http://example.org/a:b",
    "www.legifrance.gouv.fr/jorf/id/JORFTEXT000049057224",
    "à 10:30",  # a time
    "pieces/l'avis_CNIL.pdf",  # a file name keeps its straight apostrophe
    "Deliberation_2023-146.docx",
    "jean.dupont@example.fr",
    r"C:\dossiers\requete.docx",
    "Rep. 3",  # « p. » only as a word of its own
    "ligne 1\n: suite",  # a line break is never touched
    "une phrase ordinaire sans ponctuation double",
    "« déjà »",  # with NBSP inside, see below
]


@pytest.mark.parametrize(("text", "expected"), FIXED)
def test_fixed(text: str, expected: str) -> None:
    assert fix_typography(text) == expected
    assert typography_problems(text), "a fixable text must be reported"
    assert typography_problems(expected) == []


@pytest.mark.parametrize("text", UNTOUCHED)
def test_untouched(text: str) -> None:
    text = text.replace("« déjà »", f"«{N}déjà{N}»")
    assert fix_typography(text) == text
    assert typography_problems(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The URL keeps its query, the sentence still gets its colon space.
        (
            "Voir https://www.conseil-etat.fr/decisions?id=1 : ici.",
            f"Voir https://www.conseil-etat.fr/decisions?id=1{N}: ici.",
        ),
        # A URL's final full stop belongs to the sentence.
        ("Source : www.legifrance.gouv.fr.", f"Source{N}: www.legifrance.gouv.fr."),
        # Quotes around a URL are paired from their context.
        ('voir "https://x.fr/a?b=1"', f"voir «{N}https://x.fr/a?b=1{N}»"),
        # A file name inside a sentence.
        ("pièce jointe : l'acte.pdf ; voir", f"pièce jointe{N}: l'acte.pdf{F}; voir"),
        # A time followed by a colon of punctuation.
        ("à 10:30 : audience", f"à 10:30{N}: audience"),
    ],
)
def test_protected_spans_inside_sentences(text: str, expected: str) -> None:
    assert fix_typography(text) == expected


def test_problems_give_offsets_and_messages() -> None:
    problems = typography_problems("Voir : l'acte n° 3")
    offsets = [offset for offset, _message in problems]
    assert offsets == sorted(offsets)
    messages = " | ".join(message for _offset, message in problems)
    assert "« : »" in messages
    assert "apostrophe" in messages
    assert "n°" in messages
    assert (4, "« : » takes a non-breaking space (U+00A0) before it") in problems


_PIECES = st.sampled_from(
    [
        " ", "  ", "\t", "\n", N, F, ":", ";", "!", "?", "«", "»", '"', "'", "’", ".", ",", "(",
        ")", "-", "§", "n°", "nos", "L.", "R.", "art.", "article", "pt", "pts", "p.", "1", "42",
        "521-1", "le", "Conseil", "d", "État", "https://x.fr/a?b=c:d", "www.ex.fr", "EU:C:2020:559",
        "ECLI:FR:CEORD:2024:492369.20240322", "10:30", "a.pdf", "x@y.fr", "é", "\U000f0000",
    ]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_fix_is_idempotent(text: str) -> None:
    once = fix_typography(text)
    assert fix_typography(once) == once


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_problems_exactly_when_fix_changes_something(text: str) -> None:
    fixed = fix_typography(text)
    assert typography_problems(fixed) == []
    assert (typography_problems(text) == []) == (fixed == text)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_protected_spans_survive(before: str, after: str) -> None:
    for token in ("ECLI:FR:CEORD:2024:492369.20240322", "https://x.fr/l'a?b=c:d", "a_b'c.pdf"):
        fixed = fix_typography(f"{before} {token} {after}")
        assert token in fixed


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_only_spaces_quotes_and_apostrophes_change(text: str) -> None:
    """The words stay the same: only spaces, quotes and apostrophes are rewritten."""

    def skeleton(value: str) -> str:
        for char in (" ", "\t", N, F, "«", "»", '"', "'", "’"):
            value = value.replace(char, "")
        return value

    assert skeleton(fix_typography(text)) == skeleton(text)
