"""Issue 15, items 3 and 6: a near miss of the markup is never lost silently, and no Jinja
text can hang the tool, exhaust its memory or end in a traceback."""

from __future__ import annotations

import signal
import textwrap
import time
import tracemalloc
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from requete import sandbox
from requete.cli import app
from requete.errors import AssemblyError, ValidationFailed
from requete.markup import near_misses, nfc, skeleton
from requete.pipeline import assemble_document, check, open_case

from . import test_properties as _profiles  # noqa: F401  (registers the ci/thorough profiles)
from .conftest import BASE_FILES, CASE

runner = CliRunner()

# A case with a pièce no shared block refers to, so that the inventaire holds it only when
# the text under test does.
CASE_ANNEXE = CASE.replace(
    "  - {key: etude,", "  - {key: annexe, label: Annexe au mémoire}\n  - {key: etude,"
)


def _faits(body: str, title: str = "Les faits") -> dict[str, str]:
    """The faits block with ``body``; its first line is line 5 of the file."""
    text = f"id: faits-test\ntitle: {title}\nsection: faits\nbody: |\n"
    text += textwrap.indent(body, "  ") + "\n"
    return {"arguments/faits-test.yaml": text, "case.yaml": CASE_ANNEXE}


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging) when a test runs past 5 s."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("no bound held: still running after 5 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- markup ---------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "pièce")
NEAR_MISSES = [
    ("[piece:annexe]", "[pièce:annexe]", "takes a grave accent"),
    ("[Pièce:annexe]", "[pièce:annexe]", "capital letter"),
    ("[PIÈCE:annexe]", "[pièce:annexe]", "capital letter"),
    ("[\u0440ièce:annexe]", "[pièce:annexe]", "U+0440 CYRILLIC SMALL LETTER ER"),
    ("[pi\u0435ce:annexe]", "[pièce:annexe]", "CYRILLIC SMALL LETTER IE"),
    ("[\u03c1ièce:annexe]", "[pièce:annexe]", "GREEK SMALL LETTER RHO"),
    ("[pieces:annexe,etude]", "[pièces:annexe,etude]", "takes a grave accent"),
    ("[ pièce: annexe ]", "[pièce:annexe]", "spaces"),
    ("[pièce :annexe]", "[pièce:annexe]", "spaces"),
    ("［pièce:annexe］", "[pièce:annexe]", "FULLWIDTH LEFT SQUARE BRACKET"),
    ("[pièce：annexe]", "[pièce:annexe]", "FULLWIDTH COLON"),
    ("[pi\u200bèce:annexe]", "[pièce:annexe]", "ZERO WIDTH SPACE"),
    ("[pièce:Annexe]", None, "unknown pièce 'Annexe' (did you mean 'annexe'?)"),
    ("[pièce:\u0430nnexe]", None, "(did you mean 'annexe'?)"),
    ("[＠cjue-test, pt 185]", "[@cjue-test, pt 185]", "FULLWIDTH COMMERCIAL AT"),
    ("[﹫cjue-test, pt 185]", "[@cjue-test, pt 185]", "SMALL COMMERCIAL AT"),
    ("[ @cjue-test, pt 185]", "[@cjue-test, pt 185]", "spaces"),
]


@pytest.mark.parametrize(("token", "meant", "why"), NEAR_MISSES)
def test_a_near_miss_is_an_error_in_check_and_build(write_tree, token, meant, why) -> None:
    root = write_tree(_faits(f"Ligne un.\n\nVoir {token}."))
    path = root / "arguments" / "faits-test.yaml"
    checked = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert checked.exit_code == 1, checked.output
    assert f"{path}:7: error: " in checked.output  # the line of the bracket
    assert why in checked.output
    if meant is not None:
        assert f"did you mean {meant}?" in checked.output
    assert "Traceback" not in checked.output
    out = root / "o.docx"
    built = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out)])
    assert built.exit_code == 1 and not out.exists()
    assert why in built.output


def test_a_decomposed_piece_is_read_as_the_same_word(write_tree) -> None:
    """NFD « pièce » (e + combining grave) is accepted: texts are read in NFC."""
    root = write_tree(_faits(f"Voir [{NFD}:annexe] et [{NFD}s:annexe,etude]."))
    session = open_case(root / "case.yaml")
    assert not [p for p in check(session) if p.severity == "error"]
    document = assemble_document(session)
    annexe = [item for item in document.pieces if item.key == "annexe"]
    assert annexe and annexe[0].referenced
    text = "".join(run.text for para in document.body for run in para.runs)
    assert "pièce" in text and NFD not in text and "[" not in text.replace("[à compléter]", "")


def test_a_near_miss_written_by_jinja_is_refused_by_the_build(write_tree) -> None:
    """Only the rendered text shows it: the trial assembly of ``check`` and the build refuse."""
    root = write_tree(_faits("Voir [{{ 'Pièce' }}:annexe]."))
    session = open_case(root / "case.yaml")
    problems = check(session)
    assert any("did you mean [pièce:annexe]?" in p.message for p in problems)
    with pytest.raises(AssemblyError, match=r"did you mean \[pièce:annexe\]\?"):
        assemble_document(open_case(root / "case.yaml"))


def test_a_piece_inside_bold_or_italics_is_numbered(write_tree) -> None:
    root = write_tree(_faits("**Voir la [pièce:annexe]** et *la [pièce:etude]*."))
    document = assemble_document(open_case(root / "case.yaml"))
    referenced = {item.key for item in document.pieces if item.referenced}
    assert {"annexe", "etude"} <= referenced
    runs = [run for para in document.body for run in para.runs if run.piece is not None]
    assert any(run.bold for run in runs) and any(run.italic for run in runs)


def test_a_reference_in_a_title_is_an_error(write_tree) -> None:
    root = write_tree(_faits("Texte.", title="Sur la [pièce:annexe]"))
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert result.exit_code == 1
    assert "faits-test.yaml:2: error: block 'faits-test': its title holds [pièce:annexe]" in (
        result.output
    )


def test_brackets_that_are_not_references_are_left_alone() -> None:
    text = "Il a dit [sic] que […] [à compléter : date] [pièces jointes] [contact@cnil.fr]"
    assert list(near_misses(text)) == []


def test_the_scanner_stays_linear(deadline) -> None:
    """Many brackets, unclosed brackets and long bracket contents: a few milliseconds each."""
    for text in (
        "[" * 200_000,
        "[pièce" * 50_000,
        "[" + "a" * 500_000 + "]",
        "[piece:a] " * 20_000,
    ):
        start = time.perf_counter()
        list(near_misses(nfc(text)))
        assert time.perf_counter() - start < 1.5


# --- property: a pièce is never lost -------------------------------------------------------

LOOK_ALIKES = {
    "p": ["P", "\u0440", "\u0420", "\u03c1", "\u03a1", "ｐ"],
    "i": ["I", "\u0456", "\u0406", "\u03b9", "\u0131", "ｉ"],
    "è": ["e", "E", "È", "é", "\u0435", "\u0415", unicodedata.normalize("NFD", "è")],
    "c": ["C", "\u0441", "\u0421", "\u03f2", "ｃ"],
    "e": ["E", "\u0435", "\u0415", "è", "ｅ"],
    "s": ["S", "\u0455", "\u0405", "ｓ"],
    ":": ["：", "\u2236", "\ua789"],
    "[": ["［"],
    "]": ["］"],
}
SPACES = st.sampled_from(["", "", "", " ", "  ", "\u00a0"])


@st.composite
def spelling(draw: st.DrawFn) -> str:
    """``[pièce:annexe]`` or ``[pièces:annexe]`` with random changes of case, accents,
    normalisation, look-alike letters and spaces (possibly none: the exact markup)."""
    word = "pièces" if draw(st.booleans()) else "pièce"
    out = []
    for char in "[" + word + ":" + "]":
        if char in LOOK_ALIKES and draw(st.integers(0, 3)) == 0:
            char = draw(st.sampled_from(LOOK_ALIKES[char]))
        out.append(char)
    key = draw(st.sampled_from(["annexe", "annexe", "Annexe", "ANNEXE"]))
    bracket, head, colon, close = out[0], "".join(out[1:-2]), out[-2], out[-1]
    return (
        bracket + draw(SPACES) + head + draw(SPACES) + colon + draw(SPACES) + key
        + draw(SPACES) + close
    )  # fmt: skip


@given(token=spelling(), nfd=st.booleans())
def test_a_piece_is_resolved_or_reported_never_dropped(
    tmp_path: Path, token: str, nfd: bool
) -> None:
    body = f"Voir {token} à l'appui."
    if nfd:
        body = unicodedata.normalize("NFD", body)
    root = tmp_path / "lib"
    for name, text in {**BASE_FILES, **_faits(body)}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    session = open_case(root / "case.yaml")
    if any(p.severity == "error" for p in check(session)):
        return  # reported
    try:
        document = assemble_document(session)
    except (AssemblyError, ValidationFailed):
        return  # reported by the build
    annexe = [item for item in document.pieces if item.key == "annexe" and item.referenced]
    assert annexe, f"{token!r} was silently dropped"
    assert skeleton(token).count("annexe") == 1


# --- Jinja bounds ---------------------------------------------------------------------------

BOMBS = [
    (
        "{% for a in 'x'*1000 %}{% for b in 'x'*1000 %}{% for c in 'x'*1000 %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "more than 100,000 loop iterations",
    ),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls nested more than 50 deep"),
    ("{{ ('a'*1000)*1000*1000 }}", "this repetition would make more than 1 MB"),
    ("{{ 'x'.center(10**9) }}", "'center' would make more than 1 MB"),
    ("{{ 'x'.ljust(10**9) }}", "'ljust' would make more than 1 MB"),
    ("{% set s = 'a'*1000*1000 %}{{ [s, s, s]|join }}", "filter 'join' would make more"),
    ("{% set s = 'a'*1000*1000 %}{{ s ~ s }}", "'~' would make more than 1 MB"),
    ("{% set s = 'a'*1000*1000 %}{{ s + s }}", "'+' would make more than 1 MB"),
    ("{{ ('a'*1000)|replace('a', 'a'*1000)|replace('a', 'aa') }}", "filter 'replace'"),
    ("{% set s = 'a'*1000*100 %}{{ s.replace('', s) }}", "'replace' would make more"),
    (
        "{% set t = 'a'*1000*100 %}{% set b = [t, t, t, t] %}{% set c = [b, b, b, b] %}"
        "{{ [c, c, c, c] }}",
        "this value would make more than 1 MB",
    ),
    (
        "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}"
        "{% endif %}{% endmacro %}{{ f('ab', 40) }}",
        "'~' would make more than 1 MB",
    ),
    (
        "{% macro m() %}{% for a in 'x'*1000 %}{% for b in 'x'*99 %}"
        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy{% endfor %}{% endfor %}{% endmacro %}{{ m() }}",
        "rendered text is larger than 1 MB",
    ),
    ("{{ ((10**64)**64)**64 }}", "power too large"),
    ("{{ '{:>1000000000}'.format('x') }}", "str.format is not available"),
    ("{{ '%1000000000s' % 'x' }}", "'%' formatting is not available"),
    ("{% for x in 'ab' recursive %}{{ loop('ab') }}{% endfor %}", "recursive loops are not"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
]


@pytest.mark.parametrize(("payload", "expected"), BOMBS)
def test_jinja_bombs_are_refused_quickly_with_block_and_line(
    write_tree, deadline, payload: str, expected: str
) -> None:
    root = write_tree(_faits(f"Ligne un.\n\nAvant. {payload}"))
    path = root / "arguments" / "faits-test.yaml"
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = runner.invoke(app, ["check", str(root / "case.yaml")])
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - start < 3
    assert peak < 60_000_000, f"{peak:,} bytes"
    assert result.exit_code == 1, result.output
    assert f"{path}:7: error: block 'faits-test': " in result.output, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_the_time_limit_holds_a_slow_text(write_tree, deadline, monkeypatch) -> None:
    """Few iterations, each slow: the clock, checked at each iteration, stops it."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    payload = (
        "{% for a in 'x'*300 %}{% for b in 'x'*300 %}"
        "{{ ('a'*1000*1000)|upper|length }}{% endfor %}{% endfor %}"
    )
    root = write_tree(_faits(f"Ligne un.\n\n{payload}"))
    start = time.perf_counter()
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert time.perf_counter() - start < 3
    assert result.exit_code == 1
    assert "faits-test.yaml:7: error: block 'faits-test': the text took more than 0.3 s" in (
        result.output
    )


def test_a_condition_is_bounded_too(write_tree, deadline) -> None:
    files = _faits("Texte.")
    files["arguments/faits-test.yaml"] += "condition: ('a'*1000)*1000*1000 == ''\n"
    root = write_tree(files)
    result = runner.invoke(app, ["check", str(root / "case.yaml")])
    assert result.exit_code == 1
    assert "block 'faits-test': condition" in result.output
    assert "Traceback" not in result.output


def test_ordinary_jinja_is_untouched() -> None:
    text = sandbox.render_body(
        "{% for x in 'abc' %}{{ x ~ '-' }}{% endfor %} {{ 'ab' * 3 }} {{ [1, 2]|join(', ') }}"
        " {% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ n }}{% endif %}{% endmacro %}{{ f(10) }}",
        {},
        None,
        1,
        "x",
    )
    assert text == "a-b-c- ababab 1, 2 12345678910"


def test_a_reference_jinja_writes_into_a_title_is_refused_by_the_build(write_tree) -> None:
    root = write_tree(_faits("Texte.", title="Sur la [{{ 'pièce' }}:annexe]"))
    with pytest.raises(AssemblyError, match=r"its title holds \[pièce:annexe\]"):
        assemble_document(open_case(root / "case.yaml"))
