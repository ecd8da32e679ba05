"""Paragraph classification and word-level changes."""

from __future__ import annotations

import pytest
from drafts import BASE, build_docx

from requete.review import diff_drafts
from requete.review.words import Segment, tokenise, word_diff


def _edit(**changes: object) -> list[tuple[str, str]]:
    spec = list(BASE)
    for index, value in sorted(changes.get("replace", {}).items()):  # type: ignore[union-attr]
        spec[index] = value
    for index in sorted(changes.get("delete", []), reverse=True):  # type: ignore[call-overload]
        del spec[index]
    for index, value in changes.get("insert", []):  # type: ignore[union-attr]
        spec.insert(index, value)
    return spec


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # nothing touched
        (list(BASE), {"unchanged": 19}),
        # one word changed in a numbered paragraph
        (
            _edit(
                replace={
                    3: (
                        "num",
                        "En effet, le quorum n'était plus atteint lors de la séance du 3 mars 2024.",
                    )
                }
            ),
            {"changed": 1, "unchanged": 18},
        ),
        # a new paragraph
        (
            _edit(insert=[(4, ("num", "Un moyen nouveau, entièrement rédigé pour la réplique."))]),
            {"added": 1, "unchanged": 19},
        ),
        # a paragraph removed
        (_edit(delete=[6]), {"removed": 1, "unchanged": 18}),
        # a cell edited inside the table
        (
            _edit(replace={14: ("cell:3:2", "Étude d'impact complémentaire")}),
            {"changed": 1, "unchanged": 18},
        ),
        # a paragraph moved to the end
        (_edit(delete=[2], insert=[(18, BASE[2])]), {"moved": 1, "unchanged": 18}),
    ],
)
def test_paragraphs_are_classified(spec: list[tuple[str, str]], expected: dict[str, int]) -> None:
    result = diff_drafts(build_docx(BASE), build_docx(spec))
    assert {k: v for k, v in result.counts.items() if v} == expected


def test_a_moved_and_edited_paragraph_is_one_move_with_word_changes() -> None:
    moved = ("num", BASE[6][1].replace("méconnaît", "viole"))
    result = diff_drafts(build_docx(BASE), build_docx(_edit(delete=[6], insert=[(2, moved)])))
    assert result.counts["moved"] == 1
    change = next(c for c in result.changes if c.move is not None and c.status == "inserted")
    assert [s.text.strip() for s in change.segments if s.op != "equal"] == ["méconnaît", "viole"]


def test_word_diff_keeps_nbsp_as_a_token() -> None:
    assert tokenise("3\u00a0000 €") == ["3", "\u00a0", "000", " ", "€"]
    assert word_diff("3 000 euros", "3\u00a0000 euros") == (
        Segment("delete", "3 "),
        Segment("insert", "3\u00a0"),
        Segment("equal", "000 euros"),
    )


def test_large_documents_align_in_bounded_time() -> None:
    import time

    from requete.review.align import match_pairs

    a = [f"paragraphe {i % 50}" for i in range(20_000)]  # many duplicates: no unique anchors
    b = a[:100] + ["nouveau"] + a[100:]
    start = time.perf_counter()
    pairs = match_pairs(a, b)
    assert time.perf_counter() - start < 2
    assert len(pairs) == len(a)
