"""The library's notes cite only what ships with it: the verified facts (docs/faits-verifies.md).

Issue #18, point 5 (self-contained notes): the notes, sources and comments of the built-in
library once cited « facts §10.5 », « Facts §8.1 », the « facts sheet » or « Revue du conseil
(2026-12, §4.1) », none of which is installed with the tool. They now cite the shipped document
by section name, « (Faits vérifiés, « Schrems II — points cités », confirmé) ». These tests keep
it that way:

(a) no string of the library's YAML names the unshipped material;
(b) every « Faits vérifiés, « <section> » » names a heading of docs/faits-verifies.md (and the
    document's own « section « … » » cross-references resolve);
(c) every section of facts states a confidence level for each of its facts;
(d) setup.py copies the document into the wheel.

The cases and examples shipped with the repository (cases/, examples/) are held to (a) and (b)
too, for their string values and for their YAML comments: their notes become the Word comments
of the built filings, and their comments are what the next drafter reads.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOCUMENT = REPO / "docs" / "faits-verifies.md"
LIBRARY_DIRS = ("arguments", "precedents", "facts", "procedures", "sets", "templates")
CASE_DIRS = ("cases", "examples")

# (a) material that does not ship: the facts sheet, its section numbers, the counsel review
FORBIDDEN = {
    "facts sheet": re.compile(r"facts? sheet", re.IGNORECASE),
    "legal-facts": re.compile(r"legal-facts", re.IGNORECASE),
    "facts §": re.compile(r"\bfacts,? §", re.IGNORECASE),
    "Revue du conseil (… §": re.compile(r"revue du conseil,? \([^)]*§", re.IGNORECASE),
    "revue, §n": re.compile(r"\brevue\b[^.;()«»]{0,30}§\s*\d", re.IGNORECASE),
    "fiche (§n)": re.compile(r"\bfiche\b[^.;«»]{0,12}§\s*\d", re.IGNORECASE),
    "(§n)": re.compile(r"\(§\s*\d"),
    "Second, independent check": re.compile(r"Second, independent check", re.IGNORECASE),
    "Top 10 n°": re.compile(r"Top 10 n°", re.IGNORECASE),
}

# (b) « Faits vérifiés, « A » » / « Faits vérifiés (« A » et « B ») »
REFERENCE = re.compile(r"Faits vérifiés(?:, | \()((?:« [^«»]+ »(?:, | et )?)+)")
MENTION = re.compile(r"Faits vérifiés(?P<after>.{0,3})")
INTERNAL = re.compile(r"\bsections? ((?:« [^«»]+ »(?:, | et )?)+)")
NAME = re.compile(r"« ([^«»]+) »")

# (c) a fact ends with « [source : … ; <level>] »: one of the document's levels
LEVEL = re.compile(r"confirmé|probable|NON VÉRIFIÉ")
LEVELS = (
    "confirmé",
    "confirmé (source secondaire)",
    "probable (non confirmé par un texte officiel)",
    "NON VÉRIFIÉ",
)
LAST_BRACKET = re.compile(r"\[([^\[\]]*)\]\s*$")
INTRODUCTION = ("Niveaux de confiance",)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).replace("’", "'")


def _strings(node: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}/{i}")
    elif isinstance(node, str):
        yield path, _flat(node)


def library_strings(root: Path = REPO) -> list[tuple[str, str]]:
    """Every string value of the library's YAML, as (file:key path, text)."""
    out = []
    for name in LIBRARY_DIRS:
        for path in sorted((root / name).rglob("*.y*ml")):
            for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                out += _strings(doc, str(path.relative_to(root)) + ":")
    return out


def yaml_comments(text: str, where: str = "") -> list[tuple[str, str]]:
    """The comments of a YAML text, as (where:line, text): a run of whole-line comments is one
    text (so that a name broken across two comment lines is read whole), a trailing comment is
    its own. A « # » inside a scalar (a block scalar's « #### », a quoted string) is not one."""
    spans = [
        (token.start_mark.index, token.end_mark.index)
        for token in yaml.scan(text)
        if isinstance(token, yaml.ScalarToken)
    ]
    starts = [start for start, _ in spans]

    def in_scalar(index: int) -> bool:
        i = bisect.bisect_right(starts, index) - 1
        return i >= 0 and spans[i][0] <= index < spans[i][1]

    out: list[tuple[str, str]] = []
    run: list[str] = []
    run_line = previous = -2
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        comment = None
        whole = line.lstrip().startswith("#")
        for i, char in enumerate(line):
            if char == "#" and (i == 0 or line[i - 1] in " \t") and not in_scalar(offset + i):
                comment = line[i + 1 :].strip()
                break
        offset += len(line)
        if comment is None:
            continue
        if whole and previous == number - 1 and run:
            run.append(comment)
        else:
            if run:
                out.append((f"{where}:{run_line}", _flat(" ".join(run))))
            run, run_line = [comment], number
        previous = number if whole else -2
    if run:
        out.append((f"{where}:{run_line}", _flat(" ".join(run))))
    return out


def case_texts(root: Path = REPO) -> list[tuple[str, str]]:
    """Every string value and every comment of the YAML under cases/ and examples/."""
    out = []
    for name in CASE_DIRS:
        for path in sorted((root / name).rglob("*.y*ml")):
            rel = str(path.relative_to(root))
            text = path.read_text(encoding="utf-8")
            for doc in yaml.safe_load_all(text):
                out += _strings(doc, rel + ":")
            out += yaml_comments(text, rel)
    return out


def headings(document: str) -> set[str]:
    return {
        _flat(line.lstrip("#")).strip() for line in document.splitlines() if line.startswith("#")
    }


def sections(document: str) -> dict[str, list[str]]:
    """The `###` sections of facts: name → body lines (up to the next heading)."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in document.splitlines():
        if line.startswith("#"):
            current = None
            if line.startswith("### "):
                current = out.setdefault(_flat(line[4:]).strip(), [])
        elif current is not None:
            current.append(line)
    return out


def facts_of(body: list[str]) -> list[str]:
    """The facts of a section: its top-level list items (with their continuation lines and
    sub-lists) and the data rows of its tables. Prose before the first item is an introduction."""
    items: list[list[str]] = []
    rows = []
    for line in body:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(line)
        elif line.startswith("- "):
            items.append([line])
        elif items and (line.startswith(" ") or not line.strip()):
            items[-1].append(line)
        elif items and line.strip():
            items.append([line])  # prose after the list: held to the same rule as a fact
    # the first row of a table is its header
    data_rows = rows[1:] if rows else []
    return [_flat(" ".join(item)).strip() for item in items] + data_rows


def problems_of_confidence(document: str) -> list[str]:
    out = []
    for name, body in sections(document).items():
        if name in INTRODUCTION:
            continue
        facts = facts_of(body)
        if not facts:
            out.append(f"« {name} »: no fact")
        for fact in facts:
            if fact.startswith("|"):
                level = fact.strip().strip("|").split("|")[-1]
            else:
                found = LAST_BRACKET.search(fact)
                level = found.group(1) if found else ""
            if not LEVEL.search(level):
                out.append(f"« {name} »: no confidence level at the end of « {fact[:80]}… »")
    return out


def unresolved_references(strings: list[tuple[str, str]], names: set[str]) -> list[str]:
    out = []
    for where, text in strings:
        for match in REFERENCE.finditer(text):
            for name in NAME.findall(match.group(1)):
                if name not in names:
                    out.append(f"{where}: « {name} » is not a section of faits-verifies.md")
        for mention in MENTION.finditer(text):
            after = mention.group("after")
            if after.startswith(",") and not after.startswith(", «"):
                out.append(f"{where}: « Faits vérifiés{after}… » names no section")
    return out


def forbidden_mentions(strings: list[tuple[str, str]]) -> list[str]:
    return [
        f"{where}: mentions {label!r}: « {text[max(0, m.start() - 30) : m.end() + 30]} »"
        for where, text in strings
        for label, pattern in FORBIDDEN.items()
        for m in [pattern.search(text)]
        if m
    ]


@pytest.fixture(scope="module")
def document() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def strings() -> list[tuple[str, str]]:
    return library_strings()


# -- (a) ------------------------------------------------------------------------------------


def test_no_library_text_cites_the_unshipped_facts_sheet_or_review(strings) -> None:
    assert strings, "the library has no YAML text"
    assert forbidden_mentions(strings) == []


def test_the_forbidden_forms_are_caught() -> None:
    samples = [
        ("x:notes", "Droit : L. 521-2 (facts §10.3, confirmed)."),
        ("x:source", "Facts sheet §8.1 (kohenavocats.com)."),
        ("x:source", "facts sheet §7 et « Second, independent check »."),
        ("x:notes", "Revue du conseil (2026-12, §4.1) : ce développement n'est pas un moyen."),
        ("x:notes", "Version 3 : sans sous-titres (revue, §5 ligne 16)."),
        ("x:notes", "Candeur : la fiche (§4.3bis) impose de révéler les instances."),
        ("x:notes", "voir shared/facts/legal-facts.md"),
    ]
    assert len(forbidden_mentions(samples)) >= len(samples)
    fine = [("x:notes", "Big Brother Watch § 226 ; article 52, § 1 ; fiche DAJ.")]
    assert forbidden_mentions(fine) == []


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, str]]:
    return case_texts()


def test_no_case_or_example_cites_the_unshipped_facts_sheet_or_review(cases) -> None:
    assert any(where.startswith("cases/emc2/matters/emc2.yaml:") for where, _ in cases)
    assert any(where.startswith("examples/") for where, _ in cases)
    assert forbidden_mentions(cases) == []


def test_every_reference_of_the_cases_names_a_section_of_the_document(cases, document) -> None:
    names = headings(document)
    found = [n for _, t in cases for m in REFERENCE.finditer(t) for n in NAME.findall(m.group(1))]
    assert len(found) >= 50, "the EMC2 notes and comments cite the verified facts by name"
    assert unresolved_references(cases, names) == []


def test_comments_are_read_whole_and_only_outside_scalars() -> None:
    text = (
        "# Requérants (Faits vérifiés,\n"
        "# « Accords grammaticaux », probable) ; facts §10.8.\n"
        "key: value  # trailing: la fiche (§4.1)\n"
        "body: |\n"
        "  #### En droit (facts §3 is text, not a comment)\n"
        "url: 'https://example.org/#facts §9'\n"
    )
    comments = yaml_comments(text, "x.yaml")
    assert [where for where, _ in comments] == ["x.yaml:1", "x.yaml:3"]
    assert "Faits vérifiés, « Accords grammaticaux », probable" in comments[0][1]
    flagged = sorted({mention.split(": ")[0] for mention in forbidden_mentions(comments)})
    assert flagged == ["x.yaml:1", "x.yaml:3"]
    assert "En droit" not in " ".join(t for _, t in comments)


# -- (b) ------------------------------------------------------------------------------------


def test_every_reference_names_a_section_of_the_document(strings, document) -> None:
    names = headings(document)
    found = [n for _, t in strings for m in REFERENCE.finditer(t) for n in NAME.findall(m.group(1))]
    assert len(found) >= 150, "the notes cite the verified facts by section name"
    assert unresolved_references(strings, names) == []


def test_a_reference_to_a_missing_section_fails(document) -> None:
    names = headings(document)
    broken = [
        ("x:notes", "(Faits vérifiés, « Schrems II — points cité », confirmé)"),
        ("x:notes", "(Faits vérifiés, « Schrems II — points cités » et « Schrems III »)"),
        ("x:notes", "(Faits vérifiés, §1.2)"),
    ]
    assert len(unresolved_references(broken, names)) == 3
    fine = [("x:notes", "(Faits vérifiés, « Schrems II — points cités », confirmé)")]
    assert unresolved_references(fine, names) == []


def test_the_documents_own_cross_references_resolve(document) -> None:
    names = headings(document)
    text = _flat(document)
    cited = {n for m in INTERNAL.finditer(text) for n in NAME.findall(m.group(1))}
    assert cited, "the document refers to its own sections"
    assert sorted(cited - names) == []


# -- (c) ------------------------------------------------------------------------------------


def test_the_document_explains_the_confidence_levels(document) -> None:
    legend = (
        "\n".join(sections(document).get("Niveaux de confiance", []))
        or document.split("## Niveaux de confiance", 1)[-1].split("\n## ", 1)[0]
    )
    for level in LEVELS:
        assert f"**{level}**" in legend, level
    assert "référence que citent les notes" in document.split("## Niveaux de confiance", 1)[0]


def test_every_fact_states_its_confidence(document) -> None:
    facts = sections(document)
    assert len(facts) >= 40
    assert problems_of_confidence(document) == []


def test_a_fact_without_confidence_fails(document) -> None:
    broken = document.replace(
        "  (substantiellement équivalent). [confirmé]", "  (substantiellement équivalent).", 1
    )
    assert broken != document
    problems = problems_of_confidence(broken)
    assert len(problems) == 1 and "Schrems II — points cités" in problems[0]
    empty = document + "\n### Section sans faits\n\nTexte.\n"
    assert any("Section sans faits" in p for p in problems_of_confidence(empty))
    table = document.replace(
        "| mémoire récapitulatif | ≥ 1 mois | R. 611-8-1 | la demande | confirmé [CJA] |",
        "| mémoire récapitulatif | ≥ 1 mois | R. 611-8-1 | la demande | [CJA] |",
    )
    assert table != document
    assert any("Délais de procédure" in p for p in problems_of_confidence(table))


# -- (d) ------------------------------------------------------------------------------------


def test_setup_ships_the_document_with_the_library() -> None:
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    shipped = next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "LIBRARY_FILES" for t in node.targets)
    )
    assert ("docs/faits-verifies.md", "faits-verifies.md") in shipped
    assert DOCUMENT.is_file()
