"""Citation forms (facts sheet §8.8): full on first mention, « préc. » afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from requete.citations import (
    full_citation,
    locator_points,
    normalise_locator,
    parse_group,
    short_citation,
)
from requete.model import Precedent

NB = "\u00a0"


def _text(segments: list) -> str:
    return "".join(s.text for s in segments)


SCHREMS = Precedent(
    id="schrems",
    court="CJUE",
    formation="gr. ch.",
    date=dt.date(2020, 7, 16),
    number="C-311/18",
    ecli="EU:C:2020:559",
    short="Schrems II",
    confidence="confirmed",
    name="Data Protection Commissioner c/ Facebook Ireland Ltd et Maximillian Schrems",
)
CE_REFERE = Precedent(
    id="ce",
    court="CE",
    formation="ord. réf.",
    date=dt.date(2024, 3, 22),
    number="492369",
    name="Société Clever Cloud et autres",
    ecli="ECLI:FR:CEORD:2024:492369.20240322",
    confidence="confirmed",
)


def test_cjue_full_form_matches_the_facts_sheet() -> None:
    assert _text(full_citation(SCHREMS, "pt 185")) == (
        "CJUE, gr. ch., 16 juillet 2020, Data Protection Commissioner c/ Facebook Ireland Ltd "
        f"et Maximillian Schrems, aff.{NB}C-311/18, EU:C:2020:559, pt{NB}185"
    )


def test_case_name_is_italic_and_nothing_else() -> None:
    italic = [s.text for s in full_citation(SCHREMS) if s.italic]
    assert italic == [SCHREMS.name]


def test_short_form_uses_prec() -> None:
    assert _text(short_citation(SCHREMS, "pt 197")) == f"arrêt Schrems II, préc., pt{NB}197"


def test_ce_ordonnance_uses_numero_not_ecli_in_text() -> None:
    assert _text(full_citation(CE_REFERE)) == (
        f"CE, ord. réf., 22 mars 2024, Société Clever Cloud et autres, n°{NB}492369"
    )
    # without a short name the later form repeats court, date and number
    assert _text(short_citation(CE_REFERE)) == f"CE, 22 mars 2024, n°{NB}492369, préc."


def test_unverified_field_is_never_printed() -> None:
    roche = Precedent(
        id="r",
        court="CJCE",
        date=dt.date(1977, 5, 24),
        number="107/76",
        ecli="EU:C:1977:89",
        name="Hoffmann-La Roche",
        confidence="confirmed",
        unverified=["ecli"],
    )
    assert "EU:C:1977:89" not in _text(full_citation(roche))


def test_first_of_month_is_1er() -> None:
    p = Precedent(id="x", court="CE", date=dt.date(2024, 6, 1), number="1", confidence="believed")
    assert "1er juin 2024" in _text(full_citation(p))


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("@a", [("a", None)]),  # bare key
        ("@a, pt 185", [("a", "pt 185")]),  # pinpoint
        ("@a, pt 94; @b", [("a", "pt 94"), ("b", None)]),  # several keys
        ("a, pt 3", None),  # not a citation: no @
    ],
)
def test_parse_group(inner: str, expected: list | None) -> None:
    cites = parse_group(inner)
    assert (None if cites is None else [(c.key, c.locator) for c in cites]) == expected


def test_locators() -> None:
    assert normalise_locator("pts 133-135") == f"pts{NB}133 à 135"
    assert locator_points("pts 133-135") == ["133", "134", "135"]
    assert locator_points("pt 185") == ["185"]
    assert locator_points("al. 2") == []


@pytest.mark.parametrize(
    ("texts", "merged"),
    [
        # two articles of the Charter: the tail of the first (here the full first mention)
        (
            [
                "article 7 de la Charte des droits fondamentaux (ci-après « la Charte »)",
                "article 8 de la Charte",
            ],
            "articles 7 et 8 de la Charte des droits fondamentaux (ci-après « la Charte »)",
        ),
        # three articles, one with a paragraph
        (
            [
                "article 7 de la Charte",
                "article 8 de la Charte",
                "article 52, paragraphe 1, de la Charte",
            ],
            "articles 7, 8 et 52, paragraphe 1, de la Charte",
        ),
        (["article 44 du RGPD", "article 46 du RGPD"], "articles 44 et 46 du RGPD"),
        # not articles: left alone
        (["article 44 du RGPD", "considérant 10 du RGPD"], None),
        (["article 44 du RGPD"], None),
    ],
)
def test_articles_of_one_instrument_are_merged(texts: list[str], merged: str | None) -> None:
    from requete.citations import merge_articles

    assert merge_articles(texts) == merged


def test_a_definition_inside_parentheses_is_not_parenthesised_again() -> None:
    from requete.citations import unnest

    assert unnest(
        "article 44 du règlement (UE) 2016/679 (règlement général, ci-après « RGPD »)"
    ) == ("article 44 du règlement (UE) 2016/679, règlement général, ci-après « RGPD »")
