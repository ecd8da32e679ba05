"""Procedures as data: a procedure added from a layer builds with no code; what a procedure
requires is checked; the procedural history warns; each deadline rule is applied."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from requete.cli import app
from requete.pipeline import build_docx, check, open_case
from requete.review import document_text

runner = CliRunner()

PROCEDURE = """\
id: recours-test
name: recours de test (procédure ajoutée par une couche)
title: RECOURS DE TEST
mention: test
addressee: juge de test
docket: "Requête n° {{ instance.numero }}"
subtitles: ["(procédure de démonstration)"]
opening: |
  {{ requerants.Le }} {{ requerants.verbe("maintient", "maintiennent") }} sa demande enregistrée le {{ instance.enregistrement_fr }}.
sanction: "{{ acte.Il }} sera {{ acte.accord('réformé', 'réformée') }}."
parts:
  - title: EXPOSÉ
    groups: [{sections: [expose]}]
  - title: MOTIFS
    groups:
      - {title: Sur le grief unique, sections: [grief]}
conclusions: >-
  PAR CES MOTIFS, {{ requerants.le }} {{ requerants.verbe("demande", "demandent") }} au
  {{ procedure.destinataire }} :
requires:
  sections: [grief, conclusions]
  facts: [grief_invoque]
  instance: true
deadline:
  rule: instance
  months: 1
  text: Un mois à compter de l'enregistrement de la requête (règle de démonstration).
"""
FACT = """\
id: grief_invoque
type: text
description: Le grief que la demande invoque.
"""
BLOCKS = {
    "expose.yaml": """\
        id: expose
        title: Les faits
        section: expose
        heading: false
        body: |
          {{ acte.Le }} a été {{ acte.accord("pris", "prise") }} le {{ acte.date_fr }}.
        """,
    "grief.yaml": """\
        id: grief
        title: Sur le grief tiré de {{ grief_invoque }}
        section: grief
        params: [grief_invoque]
        body: |
          Le grief tiré de {{ grief_invoque }} est fondé. {{ procedure.sanction }}
        """,
    "concl.yaml": """\
        id: concl
        title: Conclusions
        section: conclusions
        body: |
          RÉFORMER {{ acte.le }} ;
        """,
}
CASE = """\
procedure: recours-test
date: 2024-03-29
place: Paris
instance: "100001"
blocks: [expose, grief, concl]
requerants:
  - {civilite: Mme, nom: Anne Test, domicile: Paris}
acte:
  nature: décision
  titre: décision du 2 janvier 2024 (fictive)
  date: 2024-01-02
  publication: 2024-01-05
  piece: acte
pieces:
  - {key: acte, label: Décision du 2 janvier 2024 (fictive)}
facts:
  grief_invoque: l'erreur de fait
instances:
  - {numero: "100001", procedure: recours-test, enregistrement: 2024-03-04}
"""


def _layer(tmp_path: Path, case: str = CASE, procedure: str = PROCEDURE) -> Path:
    files = {
        "procedures/recours-test.yaml": procedure,
        "facts/grief_invoque.yaml": FACT,
        "case.yaml": case,
        **{f"arguments/{k}": textwrap.dedent(v) for k, v in BLOCKS.items()},
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "case.yaml"


def _problems(case: Path, severities: tuple[str, ...] = ("error", "warning")) -> list[str]:
    root = str(case.parent) + "/"
    return [str(p).replace(root, "") for p in check(open_case(case)) if p.severity in severities]


def test_a_procedure_added_from_a_layer_builds_with_no_code(tmp_path: Path) -> None:
    case = _layer(tmp_path)
    assert _problems(case) == []
    data, _ = build_docx(open_case(case))
    text = document_text(data, "case.yaml").replace("\u00a0", " ").replace("\u202f", " ")
    for expected in (
        "test\n\nRequête n° 100001\n\nRECOURS DE TEST\n\n(procédure de démonstration)",
        "1. La requérante maintient sa demande enregistrée le 4 mars 2024.",
        "# I. — EXPOSÉ",
        "2. La décision attaquée a été prise le 2 janvier 2024.",
        "# II. — MOTIFS",
        "## A. — Sur le grief unique",
        "Sur le grief tiré de l’erreur de fait",
        "Le grief tiré de l’erreur de fait est fondé. Elle sera réformée.",
        "PAR CES MOTIFS, la requérante demande au juge de test :",
        "1°) RÉFORMER la décision attaquée ;",
    ):
        assert expected in text, expected
    notes = _problems(case, ("note",))
    assert (
        "case.yaml:2: note: deadline: last day to file is jeudi 4 avril 2024 (registration "
        "of n° 100001 on 2024-03-04)" in notes
    )


def test_what_a_procedure_requires_is_checked_all_at_once(tmp_path: Path) -> None:
    case = (
        CASE.replace('instance: "100001"\n', "")
        .replace("facts:\n  grief_invoque: l'erreur de fait\n", "")
        .replace("blocks: [expose, grief, concl]", "blocks: [expose, concl]")
    )
    problems = _problems(_layer(tmp_path, case))
    assert problems == [
        "case.yaml:1: error: a recours de test (procédure ajoutée par une couche) needs a block "
        "in section 'grief'; add one to the set or the case",
        "case.yaml:1: error: a recours de test (procédure ajoutée par une couche) needs the fact "
        "'grief_invoque' (Le grief que la demande invoque); give it under `facts:` in the "
        "matter or the case",
        "case.yaml:1: error: a recours de test (procédure ajoutée par une couche) is filed in a "
        "pending instance: give its number with `instance: <n°>` and record it under "
        "`instances:` in the matter",
    ]


def test_bad_procedure_input_is_one_message_each_and_nothing_is_written(tmp_path: Path) -> None:
    broken = PROCEDURE.replace("addressee: juge de test\n", "")
    case = _layer(
        tmp_path, CASE.replace("procedure: recours-test", "procedure: recours-tset"), broken
    )
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert (
        "procedures/recours-test.yaml:1: error: missing required field 'addressee'" in result.output
    )
    assert "case.yaml:1: error: unknown procedure 'recours-tset'" in result.output
    late = CASE.replace("date: 2024-03-29", "date: 2024-04-05")
    (tmp_path / "procedures/recours-test.yaml").write_text(PROCEDURE)
    (tmp_path / "case.yaml").write_text(late)
    problems = _problems(case)
    assert problems[0].startswith(
        "case.yaml:2: error: the filing date 2024-04-05 is after the last day to file, jeudi "
        "4 avril 2024 (registration of n° 100001 on 2024-03-04;"
    ), problems
    unknown = CASE.replace('instance: "100001"', 'instance: "100010"')
    (tmp_path / "case.yaml").write_text(unknown)
    assert (
        "case.yaml:4: error: instance n° 100010 is not in the matter's `instances:` (did "
        "you mean '100001'?); record it there (number, procedure, date of registration)"
        in _problems(case)
    )


def test_a_section_no_procedure_declares_is_refused(tmp_path: Path) -> None:
    case = _layer(tmp_path)
    (tmp_path / "arguments/grief.yaml").write_text(
        textwrap.dedent(BLOCKS["grief.yaml"]).replace("section: grief", "section: grieff")
    )
    problems = _problems(case)
    assert problems[0].startswith(
        "arguments/grief.yaml:3: error: block 'grief': section 'grieff' is declared by no "
        "procedure (did you mean 'grief'?)"
    ), problems


def test_deadline_command_applies_each_procedures_rule(tmp_path: Path) -> None:
    _layer(tmp_path)
    result = runner.invoke(
        app, ["deadline", "2024-03-04", "--procedure", "recours-test", "-L", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Procédure : recours de test (procédure ajoutée par une couche)."
    )
    assert result.output.splitlines()[-1] == "2024-04-04"
    annulation = runner.invoke(app, ["deadline", "2024-01-31", "--procedure", "annulation"])
    assert annulation.output.splitlines()[-1] == "2024-04-02"
    refere = runner.invoke(app, ["deadline", "2024-01-31", "-p", "refere-suspension"])
    assert refere.exit_code == 0
    assert "Pas de délai de dépôt" in refere.output
    assert "2024" not in refere.output.splitlines()[-1]
    unknown = runner.invoke(app, ["deadline", "2024-01-31", "-p", "annulatoin"])
    assert unknown.exit_code == 1
    assert "unknown procedure 'annulatoin' (did you mean 'annulation'?)" in unknown.output


def test_a_second_filing_of_a_unique_procedure_is_warned(tmp_path: Path) -> None:
    unique = PROCEDURE + "repeat: unique\n"
    case = CASE.replace('instance: "100001"\n', "") + (
        '  - {numero: "100002", procedure: recours-test, enregistrement: 2024-04-20}\n'
    )
    unique = unique.replace("  instance: true\n", "").replace("docket:", "# docket:")
    unique = unique.replace("opening:", "# opening:").replace("  {{ requerants.Le }}", "#")
    problems = _problems(_layer(tmp_path, case, unique))
    # n° 100002 is registered after the filing's date: the filing cannot know it
    assert problems == [
        "case.yaml:1: warning: the matter records requête n° 100001 (recours de test (procédure "
        "ajoutée par une couche), registered on 2024-03-04, pending) against the same act: a "
        "second one would duplicate it; file in that instance instead (for example "
        "`procedure: memoire-complementaire` with `instance: 100001`)"
    ]


def test_a_new_request_after_a_rejected_one_must_disclose_it_and_bring_new_elements(
    tmp_path: Path,
) -> None:
    renewable = PROCEDURE.replace("  instance: true\n", "") + "repeat: renewable\n"
    rejected = (
        '  - {numero: "100001", procedure: recours-test, enregistrement: 2024-03-04,\n'
        "     decision: {date: 2024-03-20, sens: rejet, motif: urgence}}\n"
    )
    base = CASE.replace('instance: "100001"\n', "").split("instances:")[0] + "instances:\n"
    renewable = renewable.replace("docket:", "# docket:").replace("opening:", "# opening:")
    case = _layer(tmp_path, base + rejected, renewable.replace("  {{ requerants.Le }}", "#"))
    problems = _problems(case)
    assert problems == [
        "case.yaml:1: warning: the same applicants' recours de test (procédure ajoutée par une "
        "couche) n° 100001 was rejected on 2024-03-20 for lack of urgence: no rule bars a new "
        "request (CE, Sect., 22 septembre 2023, n° 472210; L. 521-4 does not apply after a "
        "rejection, CE, ord., 9 août 2024, n° 496553), but disclose the ordonnance n° 100001 "
        "in the facts and state what the first judge did not have (fact `elements_nouveaux`)"
    ]
    # decided after the filing's date: not yet a rejection for this filing
    (tmp_path / "case.yaml").write_text((base + rejected).replace("2024-03-20", "2024-04-20"))
    assert _problems(case) == []


NEW_MATTER = Path(__file__).resolve().parents[1] / "examples" / "new-matter"


def _copy_new_matter(tmp_path: Path, drop: str = "") -> Path:
    """The fictional matter's layer, copied, with a line of its matter file dropped."""
    shutil.copytree(NEW_MATTER, tmp_path / "m")
    matter = tmp_path / "m" / "matters" / "plateforme-exemple.yaml"
    lines = matter.read_text(encoding="utf-8").splitlines(keepends=True)
    matter.write_text("".join(li for li in lines if not drop or not li.startswith(drop)))
    return tmp_path / "m"


def test_a_built_in_refere_liberte_without_its_liberte_fondamentale_is_refused(
    tmp_path: Path,
) -> None:
    layer = _copy_new_matter(tmp_path, drop="  liberte_fondamentale:")
    case = layer / "refere-liberte.yaml"
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    assert "needs the fact 'liberte_fondamentale'" in result.output, result.output


def test_a_built_in_memoire_complementaire_without_its_requete_number_is_refused(
    tmp_path: Path,
) -> None:
    layer = _copy_new_matter(tmp_path)
    case = layer / "memoire-complementaire.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace('instance: "500001"\n', ""))
    result = runner.invoke(app, ["check", str(case)])
    assert result.exit_code == 1
    assert (
        "memoire-complementaire.yaml:6: error: a mémoire complémentaire (article R. 611-22 du "
        "CJA) is filed in a pending instance: give its number with `instance: <n°>`"
    ) in result.output, result.output
