"""Mutation sample: break the code under test on purpose and check that its tests fail.

Each mutation replaces one exact snippet of one module by a plausible bug (a comparison
turned, a rule dropped, an offset shifted). The repository at HEAD is copied into a scratch
folder, the mutation applied there and the tests that cover the module run against that copy
(``PYTHONPATH`` puts the copy first); a mutation the tests do not catch is a test that cannot
fail. The working tree is never touched.

    python tools/mutation_sample.py            # every mutation; exit 1 if one survives
    python tools/mutation_sample.py -k markup  # only those whose name contains « markup »

The results of the last run are recorded in docs/testing.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    module: str  # path under src/requete
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "markup: a token's line counted from 1",
        "markup.py",
        "nonlocal lines\n        tokens.append(Token(kind, start + begin, start + end, lines,",
        "nonlocal lines\n        tokens.append(Token(kind, start + begin, start + end, lines + 1,",
        ("tests/test_markup_scanner.py",),
    ),
    Mutation(
        "markup: pièce keys split on commas only",
        "markup.py",
        '_KEY_SEPARATORS = re.compile(r"[,;]")',
        '_KEY_SEPARATORS = re.compile(r"[,]")',
        ("tests/test_markup_scanner.py",),
    ),
    Mutation(
        "markup: emphasis content not scanned",
        "markup.py",
        "children = _tokens(match.group(kind), kinds, start + offset, lines)",
        "children = ()",
        ("tests/test_markup_scanner.py",),
    ),
    Mutation(
        "french: the first of the month as « 1 »",
        "french.py",
        'return "1er" if day.day == 1 else str(day.day)',
        "return str(day.day)",
        ("tests/test_french.py",),
    ),
    Mutation(
        "french: lists joined without « et »",
        "french.py",
        "return f\"{', '.join(words[:-1])} {word} {words[-1]}\"",
        'return ", ".join(words)',
        ("tests/test_french.py",),
    ),
    Mutation(
        "deadline: public holidays not closed days",
        "deadline.py",
        "    if day in names:\n",
        "    if False:\n",
        ("tests/export/test_deadline.py",),
    ),
    Mutation(
        "bundle: a marked number read as typed text",
        "bundle.py",
        '"".join("\\ufffc" if r.piece is not None else r.text for r in group)',
        '"".join(r.text for r in group)',
        ("tests/test_markup_scanner.py",),
    ),
    Mutation(
        "document: a place printed without its paragraph sign",
        "document.py",
        'return f"§ {self.number}"',
        'return f"{self.number}"',
        ("tests/test_markup_scanner.py", "tests/export/test_bundle.py"),
    ),
    Mutation(
        "manifest: a newer version accepted",
        "manifest.py",
        "if version > VERSION:",
        "if version > VERSION + 1:",
        ("tests/test_manifest.py",),
    ),
    Mutation(
        "layers test sees nothing: imports inside functions ignored",
        "errors.py",
        "from collections.abc import Iterable\n",
        "from collections.abc import Iterable\n\n\n"
        "def _probe() -> None:\n    from requete import pipeline\n",
        ("tests/test_layers.py",),
    ),
    Mutation(
        "layers: the CLI reaching around the API",
        "commands/core.py",
        "    from requete.api import write_schemas\n",
        "    from requete.schema import write_schemas\n",
        ("tests/test_layers.py",),
    ),
    Mutation(
        "typography: no no-break space before a colon",
        "typography.py",
        "NBSP, NNBSP",
        "NBSP, NBSP as NNBSP",
        ("tests/export/test_typography.py",),
    ),
    Mutation(
        "i18n: French never chosen from the locale",
        "i18n.py",
        'return "fr" if first.startswith("fr") else "en"',
        'return "en"',
        ("tests/test_i18n.py",),
    ),
)


def run(mutation: Mutation, scratch: Path) -> tuple[bool, str]:
    """(killed, detail) for one mutation applied to a fresh copy of HEAD."""
    copy = scratch / "repo"
    if copy.exists():
        shutil.rmtree(copy)
    copy.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)
    target = copy / "src" / "requete" / mutation.module
    source = target.read_text(encoding="utf-8")
    if source.count(mutation.old) != 1:
        return False, f"the snippet is not found exactly once in {mutation.module}"
    target.write_text(source.replace(mutation.old, mutation.new), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutation.tests],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    last = (result.stdout.strip().splitlines() or [""])[-1]
    return result.returncode != 0, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only mutations whose name contains this")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if args.k in m.name]
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="requete-mutation-") as scratch:
        for mutation in chosen:
            killed, detail = run(mutation, Path(scratch))
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'}  {mutation.name}  ({detail})")
    print(f"{len(chosen) - survivors}/{len(chosen)} mutations caught by the tests")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
