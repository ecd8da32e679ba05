"""``requete new``: the questions (each answer checked, a wrong one asked again), the options
with --no-input, the two files written (loadable, checked clean, built) and never over
anything that exists."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from requete import newmatter, pipeline
from requete.cli import app

runner = CliRunner()

TITLE = (
    "arrêté n° EXMP2025-01 du 3 mars 2025 du ministre de l'Exemple portant création de la "
    "plateforme de données de santé « Exemple » (acte fictif)"
)
# Every answer of a filing of the fictional matter, as options (annulation: in time).
OPTIONS = [
    "--act-nature",
    "arrêté",
    "--act-number",
    "EXMP2025-01",
    "--act-author",
    "le ministre de l'Exemple",
    "--act-title",
    TITLE,
    "--act-date",
    "03/03/2025",
    "--publication-date",
    "2025-03-14",
    "--filing-date",
    "30/04/2025",
    "--place",
    "Paris",
    "--applicant",
    "Exemple Santé Libertés|association|objet=la défense du secret médical",
    "--applicant",
    "M. Jean Dupont|personne physique",
    "--counsel",
    "Me Jeanne Martin",
    "--counsel-bar",
    "conseils",
    "--fact",
    "competence=acte-reglementaire",
    "--fact",
    "frais_irrepetibles=0",
]


def _lines(*answers: str) -> str:
    return "\n".join(answers) + "\n"


# The interactive session: procedure (default), the act with a wrong date first, two
# applicants, no counsel, the filing date, the default set, the two facts asked, the default
# directory.
INTERACTIVE = _lines(
    "",  # procedure: annulation
    "arrêté",
    "EXMP2025-01",
    "le ministre de l'Exemple",
    TITLE,
    "31/02/2025",  # no such day: asked again
    "03/03/2025",
    "",  # publication
    "01/03/2025",  # before the act: asked again
    "14/03/2025",
    "Exemple Santé Libertés",
    "",  # association
    "association régie par la loi du 1er juillet 1901",
    "",  # siège: to complete
    "",  # représentant: to complete
    "la défense du secret médical",
    "o",  # another applicant
    "Mme Marie Durand",
    "",  # personne physique (from « Mme »)
    "",  # domicile: to complete
    "n",
    "",  # no counsel yet
    "30/04/2025",
    "Paris",
    "",  # the default set
    "acte-reglementaire",
    "0",
    "n",  # the other facts stay « [à compléter] »
    "",  # the default directory
)


def _new(args: list[str], input: str | None = None) -> Any:
    return runner.invoke(app, ["new", *args], input=input)


def _written(directory: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    matter = yaml.safe_load((directory / "matter.yaml").read_text(encoding="utf-8"))
    case = yaml.safe_load((directory / "annulation.yaml").read_text(encoding="utf-8"))
    return matter, case


def _errors(case_path: Path) -> list[Any]:
    session = pipeline.open_case(case_path)
    return [p for p in pipeline.check(session) if p.severity == "error"]


def test_interactive_happy_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _new([], input=INTERACTIVE)
    assert result.exit_code == 0, result.output
    # the wrong answers were refused, with why, and asked again
    assert "'31/02/2025' is not a real date" in result.output
    assert "cannot be published (01/03/2025) before it is adopted (03/03/2025)" in result.output
    assert result.output.count("Date of the contested act (DD/MM/YYYY)") == 2
    target = tmp_path / "exemple-sante-libertes-arrete-exmp2025-01"
    matter, case = _written(target)
    assert [p.get("denomination") or p["nom"] for p in matter["requerants"]] == [
        "Exemple Santé Libertés",
        "Marie Durand",
    ]
    assert matter["requerants"][0] == {
        "denomination": "Exemple Santé Libertés",
        "forme": "association régie par la loi du 1er juillet 1901",
        "objet": "la défense du secret médical",
    }
    assert matter["requerants"][1] == {
        "personne": "physique",
        "civilite": "Mme",
        "nom": "Marie Durand",
    }
    assert matter["acte"]["date"] == dt.date(2025, 3, 3)
    assert matter["acte"]["publication"] == dt.date(2025, 3, 14)
    assert matter["facts"]["competence"] == "acte-reglementaire"
    assert "avocat" not in matter  # nobody invented: « [à compléter] » in the filing
    assert case["matter"] == "matter.yaml" and case["set"] == "transferts-donnees-annulation"
    assert case["date"] == dt.date(2025, 4, 30) and case["place"] == "Paris"
    # the next three commands, relative to the working directory
    name = "exemple-sante-libertes-arrete-exmp2025-01/annulation.yaml"
    assert f"requete check {name}" in result.output
    assert f"requete build {name} -o " in result.output
    assert f"requete explain {name}" in result.output
    assert _errors(target / "annulation.yaml") == []


def test_non_interactive_writes_what_the_options_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _new(
        [*OPTIONS, "--set", "transferts-donnees-annulation-complete", "-d", "x", "--no-input"]
    )
    assert result.exit_code == 0, result.output
    matter, case = _written(tmp_path / "x")
    assert matter["avocat"] == {
        "nom": "Me Jeanne Martin",
        "qualite": "avocat au Conseil d'État et à la Cour de cassation",
    }
    assert matter["acte"] == {
        "nature": "arrêté",
        "numero": "EXMP2025-01",
        "auteur": "le ministre de l'Exemple",
        "titre": TITLE,
        "date": dt.date(2025, 3, 3),
        "publication": dt.date(2025, 3, 14),
        "piece": "arrete",
    }
    assert matter["requerants"][1] == {
        "personne": "physique",
        "civilite": "M.",
        "nom": "Jean Dupont",
    }
    assert case["set"] == "transferts-donnees-annulation-complete"
    assert case["add"] == [{"block": "faits-acte-attaque", "at_end_of": "faits"}]
    # the facts nobody gave are explicit placeholders, never content
    assert matter["facts"]["hebergeur"]["designation"].startswith("[à compléter : hebergeur.")
    assert matter["facts"]["frais_irrepetibles"] == 0
    assert {p["key"] for p in matter["pieces"]} == {"arrete", "publication"}
    assert all("file" not in p for p in matter["pieces"])  # « (à produire) »
    text = (tmp_path / "x" / "matter.yaml").read_text(encoding="utf-8")
    assert "# siege: À COMPLÉTER" in text and "# Les requérants (R. 411-1 CJA)" in text


def test_the_written_case_checks_clean_and_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _new([*OPTIONS, "-d", "m", "--no-input"]).exit_code == 0
    checked = runner.invoke(app, ["check", "m/annulation.yaml"])
    assert checked.exit_code == 0, checked.output
    assert " error:" not in checked.output
    assert _errors(tmp_path / "m" / "annulation.yaml") == []
    built = runner.invoke(app, ["build", "m/annulation.yaml", "-o", "x.docx"])
    assert built.exit_code == 0, built.output
    xml = zipfile.ZipFile(tmp_path / "x.docx").read("word/document.xml").decode()
    assert "Exemple Santé Libertés" in xml and "Me Jeanne Martin" in xml
    # what is left to complete is highlighted and counted, not invented
    session = pipeline.open_case(tmp_path / "m" / "annulation.yaml")
    from requete.document import placeholders

    left = placeholders(pipeline.assemble_document(session, typography=False))
    assert any("hebergeur.designation" in p.text for p in left)


PROCEDURES = [
    "annulation",
    "intervention",
    "memoire-complementaire",
    "memoire-replique",
    "qpc",
    "refere-liberte",
    "refere-suspension",
]


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_built_in_procedure_gives_a_filing_that_checks(
    procedure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    extra = ["--instance", "500001", "--instance-date", "02/04/2025"]
    extra += ["--fact", "memoire_defense.date=15/04/2025"]
    result = _new(["-p", procedure, *OPTIONS, *extra, "-d", "f", "--no-input"])
    assert result.exit_code == 0, result.output
    case_path = tmp_path / "f" / f"{procedure}.yaml"
    assert _errors(case_path) == []
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    assert case["procedure"] == procedure
    if procedure == "intervention":
        assert case["terme"] == "exposant" and case["instance"] == "500001"


def test_no_input_names_every_missing_option_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _new(["--act-nature", "arrêté", "--act-date", "03/03/2025", "--no-input"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output  # one message
    for option in ("--act-title", "--publication-date or --notification-date", "--applicant"):
        assert option in lines[0]
    assert "--fact competence=" in lines[0]
    assert "nothing was written" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_no_input_reports_a_wrong_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    wrong = [*OPTIONS]
    wrong[wrong.index("03/03/2025")] = "2099-01-01"
    result = _new([*wrong, "--no-input"])
    assert result.exit_code == 1
    assert "--act-date: 01/01/2099 is in the future" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_target_is_refused_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "matter.yaml").write_text("mine\n", encoding="utf-8")
    result = _new([*OPTIONS, "-d", "x", "--no-input"])
    assert result.exit_code == 1
    assert "x is not empty; nothing is overwritten" in result.output
    assert (tmp_path / "x" / "matter.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["matter.yaml"]


def test_an_existing_target_is_asked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("x", encoding="utf-8")
    answers = INTERACTIVE.removesuffix("\n\n") + "\ntaken\nfree\n"
    result = _new([], input=answers)
    assert result.exit_code == 0, result.output
    assert "taken is not empty" in result.output
    assert (tmp_path / "free" / "annulation.yaml").is_file()
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_an_empty_directory_is_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert _new([*OPTIONS, "-d", "empty", "--no-input"]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == [
        "annulation.yaml",
        "matter.yaml",
    ]


def test_nothing_is_left_when_the_last_step_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def refuse(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(newmatter.os, "rename", refuse)
    result = _new([*OPTIONS, "-d", "x", "--no-input"])
    assert result.exit_code == 1
    assert "cannot create x: No space left on device; nothing was written" in result.output
    assert list(tmp_path.iterdir()) == []  # the staged files are gone too


def test_an_unknown_procedure_and_set_are_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = "recours\nannulation\n" + INTERACTIVE[1:]  # the procedure: wrong, then right
    # the set: unknown, then one that does not fit an annulation, then the 2nd of the list
    answers = answers.replace("\nParis\n\n", "\nParis\nnope\ntransferts-donnees-qpc\n2\n", 1)
    result = _new([], input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown procedure 'recours'; choose one of: annulation," in result.output
    assert "unknown argument set 'nope'; choose one of:" in result.output
    assert "the argument set 'transferts-donnees-qpc' does not fit a requête en annulation" in (
        result.output
    )
    target = tmp_path / "exemple-sante-libertes-arrete-exmp2025-01"
    assert _written(target)[1]["set"] == "transferts-donnees-annulation-complete"


def test_a_filing_after_the_deadline_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    late = [*OPTIONS]
    late[late.index("30/04/2025")] = "16/05/2025"  # last day: 15 May 2025
    result = _new([*late, "--no-input"])
    assert result.exit_code == 1
    assert "16/05/2025 is after the last day to file a requête en annulation" in result.output
    assert "excès de pouvoir), 15/05/2025 (see `requete deadline 2025-03-14" in result.output
    assert list(tmp_path.iterdir()) == []


# -- the parsers, one by one ----------------------------------------------------------------

TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21/12/2023", dt.date(2023, 12, 21)),
        ("2023-12-21", dt.date(2023, 12, 21)),
        ("1/2/2024", dt.date(2024, 2, 1)),
    ],
)
def test_dates_in_french_or_iso_form(text: str, expected: dt.date) -> None:
    assert newmatter.parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an answer is required"),
        ("21 décembre 2023", "is not a date; write it as 21/12/2023 or 2023-12-21"),
        ("29/02/2023", "is not a real date"),
        ("02/06/2025", "is in the future"),
        ("01/01/0999", "the year 999 is out of range"),
    ],
)
def test_wrong_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(newmatter.Invalid, match=message):
        newmatter.parse_date(text, TODAY)


def test_notification_before_the_act_is_refused() -> None:
    with pytest.raises(newmatter.Invalid, match="cannot be notified"):
        newmatter.parse_event_date("01/01/2024", dt.date(2024, 1, 2), "notification", TODAY)
    assert newmatter.parse_event_date("02/01/2024", dt.date(2024, 1, 2), "notification", TODAY)


def test_applicants_from_options() -> None:
    assert newmatter.parse_applicant_spec("Nexedi|société|siege=1 rue X") == {
        "denomination": "Nexedi",
        "forme": "société",
        "siege": "1 rue X",
    }
    assert newmatter.parse_applicant_spec("Mme Marie Durand|personne physique") == {
        "personne": "physique",
        "civilite": "Mme",
        "nom": "Marie Durand",
    }
    # another legal person: the kind is its form, its gender given
    assert newmatter.parse_applicant_spec("GIP X|groupement d'intérêt public|genre=m") == {
        "denomination": "GIP X",
        "forme": "groupement d'intérêt public",
        "genre": "m",
    }
    with pytest.raises(newmatter.Invalid, match="civilité"):
        newmatter.parse_applicant_spec("Jean Dupont|personne physique")
    with pytest.raises(newmatter.Invalid, match="'siege' does not apply"):
        newmatter.parse_applicant_spec("M. Jean Dupont|personne physique|siege=x")
    with pytest.raises(newmatter.Invalid, match='"Name|kind"'):
        newmatter.parse_applicant_spec("Nexedi")


def test_counsel_capacity() -> None:
    assert newmatter.parse_counsel_bar("conseils") == (
        "avocat au Conseil d'État et à la Cour de cassation"
    )
    assert newmatter.parse_counsel_bar("Lyon") == "avocat au barreau de Lyon"


def test_the_yaml_written_reads_back_as_its_data(tmp_path: Path) -> None:
    library = newmatter.open_library(tmp_path)
    act = newmatter.ActAnswer(
        "délibération",
        "délibération n° 2023-146 du 21 décembre 2023 « l'EMC2 » : " + "très long " * 20,
        dt.date(2023, 12, 21),
        "publication",
        dt.date(2024, 1, 31),
    )
    answers = newmatter.Answers(
        procedure="annulation",
        act=act,
        applicants=[newmatter.make_applicant("L'Association « #1 »", "association")],
        set="transferts-donnees-annulation",
        filing_date=dt.date(2024, 3, 5),
        directory=tmp_path / "d",
    )
    texts = newmatter.render_files(answers, library)  # checks the round trip itself
    matter = yaml.safe_load(texts["matter.yaml"])
    assert matter["acte"]["titre"] == act.titre
    assert matter["requerants"][0]["denomination"] == "L'Association « #1 »"
    assert all(
        len(line) <= 100 for line in texts["matter.yaml"].splitlines() if line.startswith("#")
    )


def test_the_default_set_is_the_procedures_own(tmp_path: Path) -> None:
    library = newmatter.open_library(tmp_path)
    first = {p: newmatter.set_choices(library, p)[0][0] for p in PROCEDURES}
    assert first == {
        "annulation": "transferts-donnees-annulation",
        "intervention": "transferts-donnees-intervention",
        "memoire-complementaire": "transferts-donnees-memoire-complementaire",
        "memoire-replique": "transferts-donnees-replique",
        "qpc": "transferts-donnees-qpc",
        "refere-liberte": "transferts-donnees-refere-liberte",
        "refere-suspension": "transferts-donnees-refere",
    }


def test_the_next_commands_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    written = newmatter.Written(
        tmp_path / "a b" / "matter.yaml", tmp_path / "a b" / "qpc.yaml", 0, 0
    )
    assert newmatter.next_commands(written, tmp_path / "sub") == [
        "requete check '../a b/qpc.yaml'",
        "requete build '../a b/qpc.yaml' -o '../a b/qpc.docx'",
        "requete explain '../a b/qpc.yaml'",
    ]


def test_a_set_of_another_matter_is_not_offered(tmp_path: Path) -> None:
    """A matter's own set cites that matter's pièces by key: it cannot start a new matter."""
    (tmp_path / "arguments").mkdir()
    (tmp_path / "sets").mkdir()
    (tmp_path / "arguments" / "faits-autre.yaml").write_text(
        "id: faits-autre\ntitle: Les faits\nsection: faits\n"
        "body: |\n  La lettre du 2 mai ([pièce:lettre-autre]).\n",
        encoding="utf-8",
    )
    (tmp_path / "sets" / "autre.yaml").write_text(
        "id: autre\nname: Autre\nblocks: [faits-autre, conclusions-annulation]\n",
        encoding="utf-8",
    )
    library = newmatter.open_library(tmp_path)
    assert "autre" in library.sets.names()
    assert "autre" not in [s for s, _name in newmatter.set_choices(library, "annulation")]
    with pytest.raises(newmatter.Invalid, match="cites the pièce 'lettre-autre' of another matter"):
        newmatter.parse_set("autre", library, "annulation")
