"""Assembly: numbering, sections, citations, pièces, inventory, conclusions."""

from __future__ import annotations

from pathlib import Path

import pytest

from requete.document import Place
from requete.errors import AssemblyError, ValidationFailed
from requete.pipeline import assemble_document, open_case

NB = "\u00a0"


def _document(root: Path):  # type: ignore[no-untyped-def]
    session = open_case(root / "case.yaml")
    return assemble_document(session)


def test_paragraphs_are_numbered_continuously_across_sections(write_tree) -> None:
    doc = _document(write_tree())
    numbers = [p.number for p in doc.body if p.kind == "para"]
    assert numbers == [1, 2, 3]
    assert [p.text for p in doc.body if p.kind in ("h1", "h2")] == [
        "I. — FAITS ET PROCÉDURE",
        "II. — DISCUSSION",
        "A. — Sur la légalité interne",
    ]


def test_conclusions_are_numbered_and_rendered(write_tree) -> None:
    doc = _document(write_tree())
    assert [p.number for p in doc.conclusions] == [1, 2]
    assert doc.conclusions[1].text.endswith("5000 euros.")


def test_first_citation_full_then_short(write_tree) -> None:
    doc = _document(write_tree())
    moyen = [p.text for p in doc.body if p.block == "moyen-test" and p.kind == "para"]
    assert "aff." + NB + "C-311/18, EU:C:2020:559, pt" + NB + "185" in moyen[0]
    assert "arrêt Schrems II, préc., pt" + NB + "197" in moyen[1]


def test_table_of_authorities_points_at_the_citing_paragraphs(write_tree) -> None:
    doc = _document(write_tree())
    assert [(a.id, a.cited_at) for a in doc.authorities] == [
        ("cjue-test", (Place("paragraph", 2), Place("paragraph", 3)))
    ]
    assert doc.authorities[0].places == "§§\u00a02, 3"


def test_pieces_numbered_by_first_reference_with_act_first(write_tree) -> None:
    doc = _document(write_tree())
    assert [(i.number, i.key) for i in doc.pieces] == [(1, "acte"), (2, "etude")]
    assert "(pièce n°" + NB + "2)" in doc.body[-1].text


def test_explicit_inventaire_fixes_the_numbers(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text() + "inventaire: [acte, etude]\n"
    root = write_tree({"case.yaml": case})
    doc = _document(root)
    assert [(i.number, i.key, i.referenced) for i in doc.pieces] == [
        (1, "acte", True),
        (2, "etude", True),
    ]


def test_unknown_variable_at_render_is_an_error_with_file_and_line(write_tree) -> None:
    body = "id: faits-test\ntitle: F\nsection: faits\nbody: |\n  Texte {{ inconnue }}.\n"
    root = write_tree({"arguments/faits-test.yaml": body})
    session = open_case(root / "case.yaml")
    with pytest.raises(ValidationFailed) as failed:
        assemble_document(session)
    assert any(
        "'inconnue'" in str(p) and "faits-test.yaml:4" in str(p) for p in failed.value.problems
    )


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",  # attribute walking
        "{{ acte.__class__ }}",  # dunder attribute
        "{{ cycler.__init__.__globals__ }}",  # cycler trick: globals removed
        "{{ acte|attr('__class__') }}",  # |attr filter
        "{{ 'x' * 100000000 }}",  # memory bomb
        "{% for i in range(10**9) %}{% endfor %}",  # range bomb
    ],
)
def test_template_injection_is_refused(write_tree, payload: str) -> None:
    body = f"id: faits-test\ntitle: F\nsection: faits\nbody: |\n  {payload}\n"
    root = write_tree({"arguments/faits-test.yaml": body})
    session = open_case(root / "case.yaml")
    with pytest.raises((AssemblyError, ValidationFailed)) as err:
        assemble_document(session)
    assert "faits-test" in str(err.value)
