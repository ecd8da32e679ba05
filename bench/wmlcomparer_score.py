"""Score redline engines on the WmlComparer corpus with the independent oracle.

Usage: python bench/wmlcomparer_score.py [--evalvenv /tmp/evalvenv]

For each of the 106 pairs of tests/corpus/wmlcomparer/pairs.tsv the engine builds a redline;
the oracle (tests/review/oracle.py, which shares no code with requete) accepts and rejects it.
A pair is *exact* when accept-all gives every story of the new document and reject-all every
story of the old one (both in their accepted state); *body-exact* when that holds for the lines
without a ``[`` story prefix (no notes, comments, headers, footers or text boxes). A refusal is
an engine error (requete's RequeteError, or a non-zero exit); "verified but not exact" means a
redline was produced (for requete: passed its own verifier) yet the oracle disagrees.

requete is always scored; docx-trackdiff too when ``<evalvenv>/bin/python`` can import it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus" / "wmlcomparer"
sys.path.insert(0, str(REPO / "tests" / "review"))

from oracle import Mode, stories  # noqa: E402

DATE = "2024-01-01T00:00:00Z"
Engine = Callable[[Path, Path], bytes]


class Refused(Exception):
    """The engine declined the pair (or failed on it)."""


@dataclass
class Score:
    """The tally of one engine over the corpus."""

    name: str
    exact: int = 0
    body_exact: int = 0
    refused: int = 0
    not_exact: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)


def pairs() -> list[tuple[str, Path, Path]]:
    """The corpus pairs, as (id, old path, new path)."""
    rows = (CORPUS / "pairs.tsv").read_text("utf-8").splitlines()[1:]
    return [(i, CORPUS / old, CORPUS / new) for i, old, new in (row.split("\t") for row in rows)]


def first_difference(got: list[str], expected: list[str]) -> str | None:
    """Where two story listings part, or None when they are equal."""
    if got == expected:
        return None
    for index, (a, b) in enumerate(zip(got, expected, strict=False)):
        if a != b:
            return f"line {index}: expected {b!r}, got {a!r}"
    if len(got) > len(expected):
        return f"line {len(expected)}: unexpected extra {got[len(expected)]!r}"
    return f"line {len(got)}: missing {expected[len(got)]!r}"


def body(lines: list[str]) -> list[str]:
    """The lines that belong to no prefixed story."""
    return [line for line in lines if not line.startswith("[")]


def requete_engine(old: Path, new: Path) -> bytes:
    """requete's redline of a pair, verified by make_redline."""
    from requete.errors import RequeteError
    from requete.review import diff_drafts, make_redline

    try:
        return make_redline(
            diff_drafts(old.read_bytes(), new.read_bytes(), "old", "new"), date=DATE
        )
    except RequeteError as error:
        raise Refused(f"{type(error).__name__}: {error}") from error


def trackdiff_engine(python: Path) -> Engine:
    """docx-trackdiff's CLI run from another venv."""

    def run(old: Path, new: Path) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.docx"
            command = [str(python), "-m", "docx_trackdiff.compare", str(old), str(new), str(out)]
            done = subprocess.run(
                [*command, "--date", DATE], capture_output=True, text=True, timeout=300
            )
            if done.returncode != 0 or not out.is_file():
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise Refused(f"exit {done.returncode}: {last}")
            return out.read_bytes()

    return run


def score(name: str, engine: Engine) -> Score:
    """Run one engine over the corpus and tally the oracle's verdicts."""
    result = Score(name)
    start = time.perf_counter()
    for pair_id, old, new in pairs():
        try:
            data = engine(old, new)
        except Refused as refusal:
            result.refused += 1
            result.failures.append((pair_id, f"refused: {refusal}"))
            continue
        except Exception as error:  # a crash counts as a refusal, and is named so
            result.refused += 1
            result.failures.append((pair_id, f"crashed: {type(error).__name__}: {error}"))
            continue
        sides: tuple[tuple[Mode, Path], ...] = (("accept", new), ("reject", old))
        checks = [
            (mode, stories(data, mode), stories(reference.read_bytes(), "accept"))
            for mode, reference in sides
        ]
        problems = [
            f"{mode}: {difference}"
            for mode, got, expected in checks
            if (difference := first_difference(got, expected))
        ]
        if not problems:
            result.exact += 1
        else:
            result.not_exact += 1
            result.failures.append((pair_id, "; ".join(problems)))
        if all(body(got) == body(expected) for _, got, expected in checks):
            result.body_exact += 1
    result.seconds = time.perf_counter() - start
    return result


def report(result: Score, total: int) -> None:
    """Print one engine's tally and failing pairs."""
    print(f"== {result.name} ({result.seconds:.1f} s)")
    print(f"  exact on all stories : {result.exact}/{total}")
    print(f"  exact on body only   : {result.body_exact}/{total}")
    print(f"  refused              : {result.refused}")
    print(f"  verified, not exact  : {result.not_exact}")
    for pair_id, why in result.failures:
        print(f"  {pair_id}: {why[:300]}")


def trackdiff_python(evalvenv: Path) -> Path | None:
    """The evalvenv's python if it can import docx_trackdiff, else None."""
    python = evalvenv / "bin" / "python"
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", "import docx_trackdiff"], capture_output=True, timeout=60
    )
    return python if probe.returncode == 0 else None


def main() -> None:
    """Score requete, and docx-trackdiff when available."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evalvenv", type=Path, default=Path("/tmp/evalvenv"))
    args = parser.parse_args()
    total = len(pairs())
    report(score("requete", requete_engine), total)
    python = trackdiff_python(args.evalvenv)
    if python is not None:
        report(score("docx-trackdiff", trackdiff_engine(python)), total)


if __name__ == "__main__":
    main()
