"""The matter model end to end: typed facts, application parts, matters shared across
directories, overrides of relations, moves across sections, the leak check and helper misuse."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from requete.cli import app
from requete.library import Layer
from requete.pipeline import build_docx, check, check_library, open_case
from requete.review import document_text

runner = CliRunner()

PRECEDENT = """\
id: cjue-test
type: decision
court: CJUE
date: 2020-07-16
number: C-311/18
name: Schrems
short: Schrems II
points: {185: {text: x, propositions: [garanties-insuffisantes]}}
confidence: confirmed
"""
FACT = """\
id: hebergeur
type: record
description: Le prestataire.
fields:
  designation: {type: name, description: avec l'article}
  droit: {type: text}
  pays: {type: text, optional: true}
"""
FACT_PIECE = """\
id: piece_publication
type: piece
description: La pièce qui prouve la publication.
"""
MOYEN = """\
id: moyen
title: Sur le moyen tiré de ce que {{ acte.le }} expose les données
section: legalite-interne
version: 3
params: [hebergeur]
body: |
  ## En droit

  La Cour a jugé, par son arrêt du 16 juillet 2020 [@cjue-test, pt 185], que le droit tiers
  n'offre pas de garantie équivalente.
application: |
  ## En l'espèce

  {{ acte.Le }} confie les données à {{ hebergeur.designation }}, soumise au droit
  {{ hebergeur.droit }} ([pièce:{{ acte.piece }}]).

  {{ requerants.Le }} {{ requerants.verbe("est", "sont") }} {{ requerants.accord("fondé", "fondée", "fondés", "fondées") }} à en demander l'annulation.
pinpoints: {cjue-test: {185: garanties-insuffisantes}}
"""
FAITS = """\
id: faits
title: Les faits
section: faits
body: |
  {{ acte.Le }} a été {{ acte.accord("publié", "publiée") }} le {{ acte.publication_fr }}
  ([pièce:{{ piece_publication }}]).
params: [piece_publication]
"""
CONCL = """\
id: concl
title: Conclusions
section: conclusions
body: |
  ANNULER {{ acte.le }} ;
"""
SET = """\
id: base
name: Base
blocks: [faits, moyen, concl]
"""
MATTER = """\
requerants:
  - denomination: Les Amis du secret
    forme: association
acte:
  nature: arrêté
  auteur: le ministre chargé de la santé
  titre: arrêté du 2 janvier 2024 autorisant le traitement « Exemple »
  date: 2024-01-02
  publication: 2024-01-31
  piece: arrete
facts:
  hebergeur: {designation: la société Exemple Cloud SAS, droit: américain}
  piece_publication: jo
pieces:
  - {key: arrete, label: Arrêté du 2 janvier 2024}
  - {key: jo, label: Journal officiel du 31 janvier 2024}
"""
CASE = """\
matter: coalition
library: [../shared]
procedure: annulation
title: REQUÊTE
date: 2024-03-29
place: Paris
set: base
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    base = {
        "shared/precedents/cjue-test.yaml": PRECEDENT,
        "shared/facts/hebergeur.yaml": FACT,
        "shared/facts/piece_publication.yaml": FACT_PIECE,
        "shared/arguments/moyen.yaml": MOYEN,
        "shared/arguments/faits.yaml": FAITS,
        "shared/arguments/concl.yaml": CONCL,
        "shared/sets/base.yaml": SET,
        "shared/matters/coalition.yaml": MATTER,
        "ngo/case.yaml": CASE,
    }
    base.update(files)
    (tmp_path / ".git").mkdir(exist_ok=True)  # the coalition's repository: shared/ and ngo/
    for name, text in base.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path / "ngo" / "case.yaml"


def _problems(case: Path, severities: tuple[str, ...] = ("error", "warning")) -> list[str]:
    root = str(case.parents[1]) + "/"
    return [str(p).replace(root, "") for p in check(open_case(case)) if p.severity in severities]


def _text(case: Path) -> str:
    data, _ = build_docx(open_case(case))
    return document_text(data, case.name).replace("\u00a0", " ").replace("\u202f", " ")


def test_a_case_uses_a_matter_of_a_library_layer(tmp_path: Path) -> None:
    case = _tree(tmp_path, {})
    assert _problems(case) == []
    text = _text(case)
    assert "L’association Les Amis du secret, dont le siège est [à compléter]" in text
    assert "(ci-après « la requérante »)" in text
    assert "Sur le moyen tiré de ce que l’arrêté attaqué expose les données" in text
    assert "La requérante est fondée à en demander l’annulation." in text
    assert "la requérante conclut à ce qu’il plaise" in text
    assert "Pour la requérante, son avocat" in text
    assert "L’arrêté attaqué a été publié le 31 janvier 2024 (pièce n° 2)." in text


def test_the_case_replaces_parties_and_merges_facts_and_pieces(tmp_path: Path) -> None:
    case = _tree(
        tmp_path,
        {
            "ngo/case.yaml": CASE
            + "requerants:\n  - {civilite: M., nom: Jean Test, domicile: Paris}\n"
            + "  - {civilite: Mme, nom: Anne Test, domicile: Lyon}\n"
            + "facts:\n  hebergeur: {designation: la société Autre SA, droit: chinois}\n"
            + "pieces:\n  - {key: jo, label: Journal officiel (extrait)}\n",
        },
    )
    assert _problems(case) == []
    text = _text(case)
    assert "M. Jean Test, demeurant Paris ;" in text
    assert "Mme Anne Test, demeurant Lyon (ci-après « les requérants »)." in text
    assert "la société Autre SA, soumise au droit chinois" in text
    assert "Les requérants sont fondés" in text
    assert "Pièce n° 2 : Journal officiel (extrait)" in text
    assert "Les Amis du secret" not in text


def test_fact_errors_are_all_reported_with_their_line(tmp_path: Path) -> None:
    matter = MATTER.replace(
        "  hebergeur: {designation: la société Exemple Cloud SAS, droit: américain}\n"
        "  piece_publication: jo\n",
        "  hebergeur: {designation: la société Exemple Cloud SAS, droits: américain}\n"
        "  piece_publication: journal\n"
        "  hebergeure: x\n",
    )
    case = _tree(tmp_path, {"shared/matters/coalition.yaml": matter})
    assert _problems(case) == [
        "shared/matters/coalition.yaml:12: error: fact 'hebergeur' has no field 'droits' "
        "(did you mean 'droit'?) (designation, droit, pays)",
        "shared/matters/coalition.yaml:12: error: fact 'hebergeur' misses its field 'droit' "
        "(a text)",
        "shared/matters/coalition.yaml:13: error: fact 'piece_publication': no pièce 'journal' "
        "in `pieces:`",
        "shared/matters/coalition.yaml:14: error: unknown fact 'hebergeure' (did you mean "
        "'hebergeur'?): no library layer declares it (add facts/hebergeure.yaml to your "
        "layer, or fix the name)",
    ]


def test_a_missing_fact_names_the_block_and_a_mistyped_param_is_refused(tmp_path: Path) -> None:
    case = _tree(
        tmp_path,
        {
            "shared/matters/coalition.yaml": MATTER.replace(
                "  hebergeur: {designation: la société Exemple Cloud SAS, droit: américain}\n", ""
            ),
            "shared/arguments/concl.yaml": CONCL + "params: [frais]\n",
        },
    )
    problems = _problems(case)
    assert (
        "shared/matters/coalition.yaml:11: error: block 'moyen' needs the fact 'hebergeur' "
        "(Le prestataire), which the matter does not give; add it under `facts:` in the "
        "matter or case file (see facts/hebergeur.yaml)" in problems
    )
    assert (
        "shared/arguments/concl.yaml:6: error: block 'concl': `params` names 'frais', which "
        "is no declared fact; declare it in facts/frais.yaml or fix the name" in problems
    )


def test_an_application_part_replaces_the_application_and_keeps_the_law(tmp_path: Path) -> None:
    matter = MATTER + textwrap.dedent(
        """\
        applications:
          - block: moyen
            text: |
              ## En l'espèce

              L'arrêté attaqué confie les données de « Exemple » à {{ hebergeur.designation }}.
        """
    )
    case = _tree(tmp_path, {"shared/matters/coalition.yaml": matter})
    assert _problems(case) == []
    text = _text(case)
    assert "que le droit tiers n’offre pas de garantie équivalente" in text  # the law
    assert "confie les données de « Exemple » à la société Exemple Cloud SAS." in text
    assert "est fondée à en demander" not in text  # the default application is gone
    session = open_case(case)
    moyen = next(b for b in session.blocks if b.id == "moyen")
    assert any(op.startswith("application (") for op in moyen.operations)


def test_application_parts_that_do_not_fit_the_filing_are_errors(tmp_path: Path) -> None:
    matter = MATTER + textwrap.dedent(
        """\
        applications:
          - block: absent
            text: x
          - block: concl
            procedures: [refere-suspension]
            text: a part for the matter's référé, skipped here
          - block: moyen
            procedures: [refere-suspension]
            text: y
        """
    )
    case = _tree(
        tmp_path,
        {
            "shared/matters/coalition.yaml": matter,
            "shared/arguments/moyen.yaml": MOYEN.replace(
                "version: 3", "version: 3\nprocedures: [annulation]"
            ),
            "ngo/case.yaml": CASE
            + "applications:\n  - block: faits\n    procedures: [annulation]\n    text: z\n"
            + "remove: [faits]\nfacts: {}\n",
        },
    )
    assert _problems(case) == [
        "shared/matters/coalition.yaml:18: error: application part for unknown block 'absent'",
        "shared/matters/coalition.yaml:24: error: application part for 'moyen' is for "
        "refere-suspension, but the block is written for annulation; fix `procedures`",
        "ngo/case.yaml:9: error: application part for 'faits', which this filing does not "
        "contain; add the block or give the part `procedures:` that exclude this filing",
    ]


def test_overrides_change_relations_and_moves_change_sections(tmp_path: Path) -> None:
    overlay = textwrap.dedent(
        """\
        id: ngo
        name: NGO
        extends: base
        override:
          - block: moyen
            base_version: 3
            requires: [faits]
            procedures: [annulation]
            application: |
              Application propre à l'association.
        move:
          - block: moyen
            at_end_of: recevabilite
        """
    )
    case = _tree(
        tmp_path,
        {
            "ngo/sets/ngo.yaml": overlay,
            "ngo/arguments/.keep.yaml": "",
            "ngo/case.yaml": CASE.replace("set: base", "set: ngo"),
        },
    )
    (tmp_path / "ngo/arguments/.keep.yaml").unlink()
    assert _problems(case) == []
    session = open_case(case)
    moyen = next(b for b in session.blocks if b.id == "moyen")
    assert moyen.block.requires == ["faits"]
    assert "section legalite-interne -> recevabilite" in moyen.operations
    text = _text(case)
    assert "A. — Sur la recevabilité" in text
    assert text.index("Sur la recevabilité") < text.index("Application propre")
    assert "Sur la légalité interne" not in text


def test_a_move_to_a_section_the_procedure_lacks_is_refused(tmp_path: Path) -> None:
    case = _tree(
        tmp_path,
        {"ngo/case.yaml": CASE + "move:\n  - block: moyen\n    at_end_of: urgence\n"},
    )
    assert _problems(case) == [
        "shared/arguments/moyen.yaml:1: error: block 'moyen' is in section 'urgence', which a "
        "requête en annulation (recours pour excès de pouvoir) does not have (it has: faits, "
        "recevabilite, legalite-externe, legalite-interne, renvoi-prejudiciel, conclusions); "
        "move it to one of these or remove it"
    ]


def test_leak_check_warns_on_matter_facts_in_shared_text(tmp_path: Path) -> None:
    leaky = MOYEN.replace(
        "n'offre pas de garantie équivalente.",
        "n'offre pas de garantie équivalente, comme l'a relevé le 31 janvier 2024 la décision\n"
        "  n° 2023-146 au sujet de la société Exemple Cloud SAS et des Amis du secret.",
    )
    case = _tree(tmp_path, {"shared/arguments/moyen.yaml": leaky})
    (tmp_path / "shared/matters").rename(tmp_path / "ngo/matters")  # the layer is shared now
    (tmp_path / "ngo/arguments").mkdir()
    warnings = _problems(case, ("warning",))
    assert [w.split(" states ")[1].split(" »")[0] for w in warnings] == [
        "the date « 31 janvier 2024",
        "the number « n° 2023-146",
        "the name « la société Exemple Cloud SAS",
    ]
    assert warnings[0].startswith("shared/arguments/moyen.yaml:10: warning: block 'moyen'")
    assert all("(shared library)" in w for w in warnings)
    # the date of a precedent the block cites is the law, and `literals:` allows the rest
    assert "16 juillet 2020" not in " ".join(warnings)
    allowed = leaky.replace(
        "version: 3", 'version: 3\nliterals: ["31 janvier 2024", "n° 2023-146"]'
    )
    (tmp_path / "shared/arguments/moyen.yaml").write_text(allowed)
    assert len(_problems(case, ("warning",))) == 1
    assert (
        len(
            [p for p in check_library([Layer("s", tmp_path / "shared")]) if p.severity == "warning"]
        )
        == 0
    )


def test_a_filing_naming_another_matters_party_is_warned(tmp_path: Path) -> None:
    case = _tree(
        tmp_path,
        {
            "ngo/case.yaml": CASE + "requerants:\n  - {civilite: Mme, nom: Anne Test}\n",
            "shared/matters/coalition.yaml": MATTER
            + "applications:\n  - block: moyen\n    text: Les Amis du secret s'en plaignent.\n",
        },
    )
    problems = _problems(case, ("warning",))
    assert problems == [
        "ngo/case.yaml:8: warning: the filing names « Les Amis du secret » (¶ 3, block "
        "'moyen'), an applicant of coalition.yaml who is not an applicant of this filing; "
        "write the passage with `requerants` helpers or drop it"
    ]


def test_helper_misuse_is_reported_at_its_line_all_at_once_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    bad = MOYEN.replace("{{ requerants.Le }}", "{{ requerants.lle }}").replace(
        'requerants.verbe("est", "sont")', 'requerants.verbe("est")'
    )
    case = _tree(
        tmp_path,
        {
            "shared/arguments/moyen.yaml": bad,
            "shared/arguments/faits.yaml": FAITS.replace("acte.publication_fr", "acte.publi"),
        },
    )
    problems = _problems(case)
    assert (
        "shared/arguments/faits.yaml:5: error: block 'faits': 'acte' has no helper 'publi' "
        "(did you mean 'publication'?) (see docs/format.md, « Agreement helpers »)" in problems
    )
    assert any(
        p.startswith(
            "shared/arguments/moyen.yaml:17: error: block 'moyen': 'requerants' has "
            "no helper 'lle' (did you mean 'le'?)"
        )
        for p in problems
    ), problems
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    fixed = bad.replace("requerants.lle", "requerants.Le")
    (tmp_path / "shared/arguments/moyen.yaml").write_text(fixed)
    (tmp_path / "shared/arguments/faits.yaml").write_text(FAITS)
    problems = _problems(case)
    assert len(problems) == 1 and "template error" in problems[0], problems
    assert problems[0].startswith("shared/arguments/moyen.yaml:17: error: block 'moyen'")


def test_an_unknown_matter_id_is_an_error_with_a_hint(tmp_path: Path) -> None:
    case = _tree(
        tmp_path, {"ngo/case.yaml": CASE.replace("matter: coalition", "matter: coalitoin")}
    )
    result = runner.invoke(app, ["check", str(case)])
    assert result.exit_code == 1
    assert (
        "matter 'coalitoin' not found in the matters/ of any library layer (did you mean "
        "'coalition'?)" in result.output
    )


def test_an_override_wins_over_the_matters_part_and_the_cases_part_wins_over_both(
    tmp_path: Path,
) -> None:
    matter = MATTER + "applications:\n  - block: moyen\n    text: Texte du dossier commun.\n"
    overlay = textwrap.dedent(
        """\
        id: ngo
        name: NGO
        extends: base
        override:
          - block: moyen
            base_version: 3
            application: Texte propre à l'association.
        """
    )
    files = {"shared/matters/coalition.yaml": matter, "ngo/sets/ngo.yaml": overlay}
    case = _tree(tmp_path, {**files, "ngo/case.yaml": CASE.replace("set: base", "set: ngo")})
    text = _text(case)
    assert "Texte propre à l’association." in text and "Texte du dossier commun." not in text
    moyen = next(b for b in open_case(case).blocks if b.id == "moyen")
    assert any("not used: an override gives its own" in op for op in moyen.operations)
    own = CASE.replace("set: base", "set: ngo")
    own += "applications:\n  - block: moyen\n    text: Texte du dossier de l'association.\n"
    (tmp_path / "ngo/case.yaml").write_text(own)
    text = _text(case)
    assert "Texte du dossier de l’association." in text
    assert "Texte propre" not in text


def test_a_block_whose_condition_is_false_is_left_out_with_a_note(tmp_path: Path) -> None:
    societes = textwrap.dedent(
        """\
        id: interet-societes
        title: Sur l'intérêt à agir {{ requerants.societes.du }}
        section: recevabilite
        condition: requerants.societes.nombre > 0
        body: |
          {{ requerants.societes.Le }} {{ requerants.societes.verbe("justifie", "justifient") }} d'un intérêt.
        """
    )
    files = {
        "shared/arguments/interet-societes.yaml": societes,
        "shared/sets/base.yaml": SET.replace("[faits,", "[faits, interet-societes,"),
    }
    case = _tree(tmp_path, files)
    notes = _problems(case, ("note",))
    assert (
        "shared/arguments/interet-societes.yaml:4: note: block 'interet-societes' is left out of "
        "this filing: its condition `requerants.societes.nombre > 0` is false for this matter"
        in notes
    )
    assert "intérêt à agir" not in _text(case)
    with_societe = CASE + "requerants:\n  - {denomination: Exemple, forme: société}\n"
    (tmp_path / "ngo/case.yaml").write_text(with_societe)
    text = _text(case)
    assert "Sur l’intérêt à agir de la société requérante" in text
    assert "La société requérante justifie d’un intérêt." in text
    bad = societes.replace("nombre > 0", "nombres > 0")
    (tmp_path / "shared/arguments/interet-societes.yaml").write_text(bad)
    assert any("has no helper 'nombres'" in p for p in _problems(case)), _problems(case)


def test_a_matter_part_for_a_block_this_filing_lacks_is_a_note(tmp_path: Path) -> None:
    matter = MATTER + "applications:\n  - block: faits\n    text: Pour une autre requête.\n"
    case = _tree(
        tmp_path,
        {"shared/matters/coalition.yaml": matter, "ngo/case.yaml": CASE + "remove: [faits]\n"},
    )
    assert _problems(case) == []
    assert (
        "shared/matters/coalition.yaml:18: note: application part for 'faits' is not used: "
        "this filing does not contain the block" in _problems(case, ("note",))
    )


def test_articles_of_one_instrument_cited_together_read_as_one_and_both_are_indexed(
    tmp_path: Path,
) -> None:
    body = MOYEN.replace(
        "n'offre pas de garantie équivalente.",
        "n'offre pas de garantie équivalente aux droits garantis par les\n"
        "  [@charte-art-7; @charte-art-8] (voir l'[@rgpd-art-44]).",
    )
    case = _tree(tmp_path, {"shared/arguments/moyen.yaml": body})
    session = open_case(case)
    data, document = build_docx(session)
    text = document_text(data, "case.yaml").replace("\u00a0", " ").replace("\u202f", " ")
    assert (
        "par les articles 7 et 8 de la Charte des droits fondamentaux de l’Union européenne "
        "(ci-après « la Charte »)" in text
    )
    assert (
        "(voir l’article 44 du règlement (UE) 2016/679 du Parlement européen et du Conseil, "
        "règlement général sur la protection des données, ci-après « RGPD »)" in text
    )
    cited = {a.id: a.paragraph_numbers for a in document.authorities}
    assert cited["charte-art-7"] == cited["charte-art-8"] == [2]


def test_a_piece_nobody_has_yet_is_listed_as_a_produire(tmp_path: Path) -> None:
    matter = MATTER.replace(
        "  - {key: arrete, label: Arrêté du 2 janvier 2024}",
        "  - {key: arrete, label: Arrêté du 2 janvier 2024, file: pieces/arrete.pdf}",
    )
    case = _tree(tmp_path, {"shared/matters/coalition.yaml": matter})
    text = _text(case)
    assert "Pièce n° 1 : Arrêté du 2 janvier 2024\n" in text
    assert "Pièce n° 2 : Journal officiel du 31 janvier 2024 (à produire)" in text


def test_an_authority_named_in_words_is_warned_so_that_the_table_is_complete(
    tmp_path: Path,
) -> None:
    prose = MOYEN.replace(
        "n'offre pas de garantie équivalente.",
        "n'offre pas de garantie équivalente au regard de l'article 8 de la Charte.\n\n"
        "  - une question qui nomme l'article 8 de la Charte, comme elle le doit ;\n\n"
        "  Le droit garanti par l'[@charte-art-8] [à compléter : article 7 de la Charte ?].",
    )
    case = _tree(tmp_path, {"shared/arguments/moyen.yaml": prose})
    assert _problems(case) == [
        "shared/arguments/moyen.yaml:10: warning: block 'moyen' names « article 8 de la Charte » "
        "in words: write the citation key [@charte-art-8] so that the table of authorities "
        "lists this paragraph"
    ]


def test_two_application_parts_for_one_block_are_an_error(tmp_path: Path) -> None:
    matter = MATTER + (
        "applications:\n  - block: moyen\n    text: Un.\n  - block: moyen\n    text: Deux.\n"
    )
    case = _tree(tmp_path, {"shared/matters/coalition.yaml": matter})
    assert _problems(case) == [
        "shared/matters/coalition.yaml:20: error: a second application part for 'moyen' (the "
        "first is at shared/matters/coalition.yaml:18); keep one, or give each its "
        "`procedures:`"
    ]
