"""`check` collects every problem, each as ``path:line: severity: message``."""

from __future__ import annotations

from pathlib import Path

from requete.library import Layer
from requete.pipeline import check, check_library, open_case


def _problems(root: Path) -> list[str]:
    lib = str(root)
    return [
        str(p).replace(lib + "/", "")
        for p in check(open_case(root / "case.yaml"))
        if p.severity != "note"
    ]


def test_the_base_tree_is_clean(write_tree) -> None:
    assert _problems(write_tree()) == []


def test_unknown_precedent_with_did_you_mean(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    root = write_tree(
        {"arguments/moyen-test.yaml": moyen.replace("@cjue-test, pt 197", "@cjue-tset, pt 197")}
    )
    assert (
        "arguments/moyen-test.yaml:9: error: unknown precedent 'cjue-tset' (did you mean "
        "'cjue-test'?)" in _problems(root)
    )


def test_missing_and_unknown_facts_name_the_block_and_the_line(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text().replace("  frais: 5000\n", "  autre: 1\n")
    problems = _problems(write_tree({"case.yaml": case}))
    assert (
        "case.yaml:6: error: block 'concl-test' needs the fact 'frais' (La somme demandée au "
        "titre de l'article L. 761-1 du CJA), which the matter does not give; add it under "
        "`facts:` in the matter or case file (see facts/frais.yaml)" in problems
    )
    assert any(p.startswith("case.yaml:7: error: unknown fact 'autre'") for p in problems), problems


def test_every_problem_is_collected_before_failing(write_tree) -> None:
    root = write_tree(
        {
            "arguments/faits-test.yaml": "id: faits-test\ntitle: x\nsection: nowhere\nbody: b\n",
            "arguments/concl-test.yaml": (write_tree() / "arguments/concl-test.yaml").read_text()
            + "colour: red\n",
            "arguments/moyen-test.yaml": (write_tree() / "arguments/moyen-test.yaml")
            .read_text()
            .replace("[pièce:etude]", "[pièce:etud]"),
        }
    )
    problems = _problems(root)
    assert any(
        p.startswith(
            "arguments/faits-test.yaml:3: error: block 'faits-test': section 'nowhere' is "
            "declared by no procedure"
        )
        for p in problems
    ), problems
    assert any(
        p.startswith("arguments/concl-test.yaml:10: error: unknown field 'colour'")
        for p in problems
    ), problems
    assert (
        "arguments/moyen-test.yaml:9: error: block 'moyen-test' refers to unknown pièce "
        "'etud' (did you mean 'etude'?); add it to `pieces:` in the case or matter file" in problems
    )


def test_requires_and_conflicts(write_tree) -> None:
    root = write_tree(
        {
            "sets/set-test.yaml": "id: set-test\nname: t\nblocks: [moyen-test, concl-test]\n",
            "arguments/concl-test.yaml": (write_tree() / "arguments/concl-test.yaml")
            .read_text()
            .replace("heading: false", "heading: false\nconflicts: [moyen-test]"),
        }
    )
    problems = _problems(root)
    assert (
        "arguments/moyen-test.yaml:5: error: block 'moyen-test' requires 'faits-test', "
        "which is not in the filing; add it to the set or drop this block" in problems
    )
    assert any("block 'concl-test' conflicts with 'moyen-test'" in p for p in problems)


def test_duplicate_id_in_one_layer(write_tree) -> None:
    root = write_tree(
        {"arguments/copy.yaml": (write_tree() / "arguments/faits-test.yaml").read_text()}
    )
    problems = [str(p) for p in check_library([Layer("lib", root)])]
    assert any("error: duplicate id 'faits-test'" in p for p in problems)
    assert any(
        "copy.yaml:1: warning: file name does not match id 'faits-test'" in p for p in problems
    )


CITED_LINE = 7  # the first line of moyen-test's body, where [@cjue-test, pt 185] is


def test_citing_a_later_decision_warns(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text().replace("date: 2024-03-29", "date: 2019-03-29")
    root = write_tree({"case.yaml": case})
    problems = _problems(root)
    assert any("cites 'cjue-test', decided on 2020-07-16" in p for p in problems)
    # at the line of the citation in the block's body, not the block's first line
    (warning,) = [p for p in problems if "decided on 2020-07-16" in p]
    assert warning.startswith(f"arguments/moyen-test.yaml:{CITED_LINE}: "), warning
    assert any("pièce n° 2 ('etude') is dated 2024-03-06, after the filing" in p for p in problems)


def test_unverified_precedent_warns(write_tree) -> None:
    precedent = (write_tree() / "precedents/cjue-test.yaml").read_text()
    root = write_tree(
        {
            "precedents/cjue-test.yaml": precedent.replace(
                "confidence: confirmed", "confidence: unverified"
            )
        }
    )
    assert any("'cjue-test' is UNVERIFIED" in p for p in _problems(root))


def test_unrecorded_pinpoint_warns(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    root = write_tree({"arguments/moyen-test.yaml": moyen.replace("pt 197", "pt 198")})
    assert any(
        "pinpoint pt 198 of 'cjue-test' is not among its recorded points" in p
        for p in _problems(root)
    )


def test_contested_act_must_be_first_in_an_explicit_inventaire(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text() + "inventaire: [etude, acte]\n"
    problems = _problems(write_tree({"case.yaml": case}))
    assert any("must be pièce n° 1 (R. 412-1 CJA)" in p for p in problems)


def test_filing_after_the_deadline_is_an_error(write_tree) -> None:
    # published 31 January 2024: last day Tuesday 2 April 2024 (Easter Monday 1 April)
    case = (write_tree() / "case.yaml").read_text()
    late = _problems(
        write_tree({"case.yaml": case.replace("date: 2024-03-29", "date: 2024-04-03")})
    )
    assert any(
        "error: the filing date 2024-04-03 is after the last day to file, mardi 2 avril 2024" in p
        for p in late
    )
    on_time = _problems(
        write_tree({"case.yaml": case.replace("date: 2024-03-29", "date: 2024-04-02")})
    )
    assert not any("after the last day" in p for p in on_time)


def test_a_pinpoint_cited_without_its_proposition_warns(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    moyen = moyen.replace(", 197: absence-recours-effectif", "")
    problems = _problems(write_tree({"arguments/moyen-test.yaml": moyen}))
    assert (
        "arguments/moyen-test.yaml:9: warning: block 'moyen-test' cites pt 197 of 'cjue-test' "
        "without saying what for; add `pinpoints: {cjue-test: {197: <proposition>}}` to the "
        "block or its application part (pt 197 records: absence-recours-effectif)" in problems
    )


def test_a_pinpoint_cited_for_what_its_paragraph_does_not_say_is_an_error(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    moyen = moyen.replace("185: limitations-non-encadrees", "185: absence-recours-effectif")
    problems = _problems(write_tree({"arguments/moyen-test.yaml": moyen}))
    assert (
        "arguments/moyen-test.yaml:7: error: block 'moyen-test' cites pt 185 of 'cjue-test' "
        "for 'absence-recours-effectif', but that paragraph records limitations-non-encadrees "
        "(« limitations »); cite the paragraph that says it, or correct the proposition" in problems
    )


def test_a_range_needs_its_proposition_on_every_point(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    moyen = moyen.replace("pt 197]", "pts 196 à 197]").replace(
        "197: absence-recours-effectif", "196-197: absence-recours-effectif"
    )
    problems = _problems(write_tree({"arguments/moyen-test.yaml": moyen}))
    assert problems == [
        "arguments/moyen-test.yaml:9: warning: pt 196 of 'cjue-test' records no propositions; "
        "once the paragraph is checked against the decision, add `propositions: "
        "[absence-recours-effectif]` to it in precedents/cjue-test.yaml"
    ]


def test_a_matter_application_part_declares_its_own_pinpoints(write_tree) -> None:
    case = (write_tree() / "case.yaml").read_text() + (
        "applications:\n"
        "  - block: moyen-test\n"
        "    text: |\n"
        "      En l'espèce, le médiateur [@cjue-test, pt 197] ne peut rien imposer.\n"
    )
    assert _problems(write_tree({"case.yaml": case})) == []  # the block's declaration holds
    wrong = case + "    pinpoints: {cjue-test: {197: limitations-non-encadrees}}\n"
    problems = _problems(write_tree({"case.yaml": wrong}))
    assert any(
        p.startswith("case.yaml:")
        and "cites pt 197 of 'cjue-test' for 'limitations-non-encadrees'" in p
        for p in problems
    )


def test_a_declared_pinpoint_no_text_cites_warns_in_the_library_check(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    moyen = moyen.replace("197: absence-recours-effectif", "197: absence-recours-effectif, 196: x")
    root = write_tree({"arguments/moyen-test.yaml": moyen})
    problems = [str(p).replace(str(root) + "/", "") for p in check_library([Layer("lib", root)])]
    assert (
        "arguments/moyen-test.yaml:11: warning: block 'moyen-test' declares what pt 196 of "
        "'cjue-test' is cited for, but none of its texts cites it; remove the entry" in problems
    )


def test_a_citation_wrapped_over_two_lines_is_checked(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    moyen = moyen.replace("[@cjue-test, pt 197]", "[@cjue-test,\n  pt 198]")
    problems = _problems(write_tree({"arguments/moyen-test.yaml": moyen}))
    assert any(
        p.startswith("arguments/moyen-test.yaml:9: warning: pinpoint pt 198 of 'cjue-test'")
        for p in problems
    )


def test_one_point_may_be_cited_for_several_propositions(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    both = "185: [limitations-non-encadrees, absence-recours-effectif]"
    moyen = moyen.replace("185: limitations-non-encadrees", both)
    problems = _problems(write_tree({"arguments/moyen-test.yaml": moyen}))
    assert [p for p in problems if "error" in p] == [
        "arguments/moyen-test.yaml:7: error: block 'moyen-test' cites pt 185 of 'cjue-test' "
        "for 'absence-recours-effectif', but that paragraph records limitations-non-encadrees "
        "(« limitations »); cite the paragraph that says it, or correct the proposition"
    ]
