"""The one inline-markup scanner: typed tokens with offsets and lines, read by validation,
assembly, the leak check and the bundle alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import document, para

from requete.bundle import cited_pieces
from requete.markup import blanked, cites, references, scan, walk

SRC = Path(__file__).resolve().parents[1] / "src" / "requete"


def test_tokens_cover_the_text_with_offsets_and_lines() -> None:
    text = "Voir [@cjue-schrems, pt 185]\net [pièces:a; b], [à compléter : date] *fin*."
    tokens = scan(text)
    assert "".join(t.source for t in tokens) == text
    assert [(t.kind, t.line) for t in tokens] == [
        ("text", 0),
        ("citation", 0),
        ("text", 0),
        ("piece", 1),
        ("text", 1),
        ("todo", 1),
        ("text", 1),
        ("italic", 1),
        ("text", 1),
    ]
    assert all(text[t.start : t.end] == t.source for t in tokens)
    citation, piece = tokens[1], tokens[3]
    assert citation.inner == "@cjue-schrems, pt 185"
    assert [(c.key, c.locator) for c in citation.cites or []] == [("cjue-schrems", "pt 185")]
    assert piece.keys == ("a", "b")


def test_emphasis_holds_tokens_placed_in_the_whole_text() -> None:
    text = "Ainsi,\n**la décision [@ce-hdh] et [pièce:acte]** s'impose."
    bold = next(t for t in scan(text) if t.kind == "bold")
    inner = [t for t in bold.children if t.kind != "text"]
    assert [t.kind for t in inner] == ["citation", "piece"]
    assert all(text[t.start : t.end] == t.source and t.line == 1 for t in inner)
    assert [t.source for t in references(text)] == ["[@ce-hdh]", "[pièce:acte]"]
    assert [t.kind for t in walk(scan(text))].count("citation") == 1


def test_a_citation_wrapped_over_two_lines_is_one_group_on_its_first_line() -> None:
    text = "a\nb [@x, pt 3;\n @y] c [@z]"
    found = list(references(text, ("citation",)))
    assert [t.line for t in found] == [1, 2]
    assert [c.key for c in cites(text)] == ["x", "y", "z"]


def test_only_the_kinds_asked_for_are_read() -> None:
    tokens = scan("SARL *Étoile* [à compléter : siège]", ("todo",))
    assert [t.kind for t in tokens] == ["text", "todo"]
    assert tokens[0].source == "SARL *Étoile* "


def test_malformed_and_templated_markup_are_told_apart() -> None:
    bad, templated = references("[@ x y] [pièce:{{ acte.piece }}]")
    assert bad.kind == "citation" and bad.cites is None
    assert templated.kind == "piece" and templated.templated and not bad.templated


def test_blanked_keeps_the_line_numbers() -> None:
    text = "le [@a,\n pt 2] et [pièce:b] [à compléter] 2024"
    assert blanked(text, ("citation", "piece", "todo")) == "le  \n et     2024"


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        ([("voir pièce n°\u00a0", 3)], [3]),
        ([("pièces nos\u00a0", 1, " et ", 4)], [1, 4]),
        # a marked number next to a digit written after it is not a reference typed by hand
        ([("pièce n°\u00a0", 2, " 2 fois")], [2]),
        # typed by hand: read from the prose, ranges expanded
        ([("comme le montrent les pièces nos 5 à 7",)], [5, 6, 7]),
    ],
)
def test_the_bundle_reads_marked_pieces_from_the_runs(
    paragraphs: list[tuple[str | int, ...]], expected: list[int]
) -> None:
    filing = document(*(para(*p) for p in paragraphs))
    assert cited_pieces(filing) == expected


def test_no_second_grammar_of_the_markup() -> None:
    """Only markup.py compiles a pattern for citations or pièces in the source text."""
    markup_pattern = re.compile(r"""re\.compile\(\s*r?f?["'][^"']*\\\[\(?(@|pièces\?)""")
    assert markup_pattern.search((SRC / "markup.py").read_text(encoding="utf-8"))
    found = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "markup.py" and markup_pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_places_are_data_and_read_the_french_way() -> None:
    from requete.document import Authority, Place

    cited = (Place("paragraph", 12), Place("paragraph", 14), Place("conclusion", 2))
    authority = Authority("x", "g", (), cited, "k")
    assert authority.paragraph_numbers == [12, 14]
    assert authority.places == "§§\u00a012, 14, concl. 2°"
    assert [str(p) for p in (*cited, Place("cover"), Place("signature"))] == [
        "§ 12",
        "§ 14",
        "conclusion 2°",
        "page de garde",
        "signature",
    ]


def test_a_bracket_an_italic_would_swallow_is_still_checked(write_tree) -> None:
    """« *a [pièce:nope* b] » reads as an italic closing inside the bracket; the checks read
    brackets on their own, so the unknown pièce is an error, not raw text in the filing."""
    from requete import pipeline

    block = "id: faits-test\ntitle: Les faits\nsection: faits\nbody: |\n  *a [pièce:nope* b] c\n"
    root = write_tree({"arguments/faits-test.yaml": block})
    problems = pipeline.check(pipeline.open_case(root / "case.yaml"))
    assert any("unknown pièce 'nope* b'" in p.message for p in problems), problems


def test_a_citation_inside_a_placeholder_is_blanked_with_it() -> None:
    text = "[à compléter : voir [@x] du 3 mars 2020] et [pièce:a]"
    assert "2020" not in blanked(text, ("citation", "todo", "piece"))


def test_join_fr_refuses_an_empty_list_in_block_text() -> None:
    from requete.errors import AssemblyError
    from requete.sandbox import render_body

    with pytest.raises(AssemblyError, match="empty list"):
        render_body("A {{ items | join_fr }}.", {"items": []}, Path("b.yaml"), 1, "b")
