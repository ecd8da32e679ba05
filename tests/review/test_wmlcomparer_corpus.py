"""requete's redline engine over the 106 document pairs of Docxodus' WmlComparer tests.

For every pair (tests/corpus/wmlcomparer/pairs.tsv, see SOURCE.md there) the redline is built
once, then read by the independent oracle (oracle.py): accepting all of it must give the new
document, rejecting all of it the old one — each taken in its accepted state, since some of the
corpus documents carry tracked changes of their own.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from drafts import to_pdf
from oracle import stories

from requete.errors import RequeteError
from requete.review import diff_drafts, make_redline

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "wmlcomparer"
PAIRS: list[tuple[str, str, str]] = [
    (fields[0], fields[1], fields[2])
    for fields in (
        line.split("\t") for line in (CORPUS / "pairs.tsv").read_text("utf-8").splitlines()[1:]
    )
]
DATE = "2024-01-01T00:00:00Z"

# Pairs the engine currently gets wrong, with why; each is a strict xfail, so a fix shows.
KNOWN: dict[str, str] = {}


@dataclass(frozen=True)
class Outcome:
    """One pair's inputs and redline, or the engine's refusal."""

    old: bytes
    new: bytes
    redline: bytes | None
    refusal: str | None


@functools.cache
def outcome(pair_id: str) -> Outcome:
    """Build the redline of one pair (once per test session)."""
    _, old_name, new_name = next(pair for pair in PAIRS if pair[0] == pair_id)
    old, new = (CORPUS / old_name).read_bytes(), (CORPUS / new_name).read_bytes()
    try:
        data = make_redline(diff_drafts(old, new, "old", "new"), date=DATE)
    except RequeteError as error:
        return Outcome(old, new, None, f"{type(error).__name__}: {error}")
    return Outcome(old, new, data, None)


def first_difference(got: list[str], expected: list[str]) -> str:
    """A short account of where two story listings part."""
    for index, (a, b) in enumerate(zip(got, expected, strict=False)):
        if a != b:
            return f"line {index}: expected {b!r}, got {a!r}"
    if len(got) > len(expected):
        return f"line {len(expected)}: unexpected extra {got[len(expected)]!r}"
    return f"line {len(got)}: missing {expected[len(got)]!r}"


def _param(pair: tuple[str, str, str]) -> object:
    pair_id = pair[0]
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[pair_id])] if pair_id in KNOWN else []
    return pytest.param(pair_id, marks=marks, id=pair_id)


def test_the_corpus_is_whole() -> None:
    assert len(PAIRS) == 106
    assert len({pair[0] for pair in PAIRS}) == len(PAIRS)
    for _, old, new in PAIRS:
        assert (CORPUS / old).is_file(), old
        assert (CORPUS / new).is_file(), new
    assert set(KNOWN) <= {pair[0] for pair in PAIRS}


@pytest.mark.parametrize("pair_id", [_param(pair) for pair in PAIRS])
def test_redline_accepts_to_new_and_rejects_to_old(pair_id: str) -> None:
    result = outcome(pair_id)
    if result.redline is None:
        pytest.fail(f"make_redline refused: {result.refusal}")
    problems = []
    for mode, reference, name in (("accept", result.new, "new"), ("reject", result.old, "old")):
        got, expected = stories(result.redline, mode), stories(reference, "accept")
        if got != expected:
            problems.append(f"{mode}-all ≠ {name}: {first_difference(got, expected)}")
    if problems:
        pytest.fail("; ".join(problems))


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_every_redline(tmp_path: Path) -> None:
    docs = tmp_path / "docx"
    docs.mkdir()
    for pair_id, _, _ in PAIRS:
        data = outcome(pair_id).redline
        if data is not None:
            (docs / f"{pair_id}.docx").write_bytes(data)
    names = sorted(path.name for path in docs.iterdir())
    assert names, "no redline was produced"
    pdf = tmp_path / "pdf"
    to_pdf([docs / name for name in names], pdf, tmp_path / "profile")
    missing = [
        name
        for name in names
        if not (pdf / name.replace(".docx", ".pdf")).is_file()
        or (pdf / name.replace(".docx", ".pdf")).stat().st_size == 0
    ]
    assert not missing, f"no PDF (or an empty one) for {missing}"
