"""Compare redline engines on the same .docx pairs: verified accept/reject, time, size.

Usage: python bench/redline_engines.py [--venv /tmp/evalvenv] [--sizes 3000 10000] [--repeat N]

Engines: requete (this checkout, whole process `requete diff --redline`), docx-trackdiff
(its CLI) and python-redlines (Docxodus engine), the last two from a throwaway venv that has
them installed (skipped if absent). Every output is checked with requete's own verifier on
every story (accept-all must give the new document, reject-all the old one); the WmlComparer
corpus is scored with the independent oracle by bench/wmlcomparer_score.py.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WORDS = [
    "la",
    "délibération",
    "attaquée",
    "méconnaît",
    "les",
    "dispositions",
    "de",
    "l'article",
    "du",
    "règlement",
    "général",
    "sur",
    "la",
    "protection",
    "des",
    "données",
    "ainsi",
    "que",
    "le",
    "principe",
    "de",
    "proportionnalité",
    "dès",
    "lors",
    "que",
    "le",
    "transfert",
    "vers",
    "un",
    "pays",
    "tiers",
    "n'est",
    "entouré",
    "d'aucune",
    "garantie",
    "appropriée",
    "et",
    "que",
    "la",
    "Commission",
    "nationale",
    "n'a",
    "pas",
    "examiné",
    "les",
    "risques",
    "pesant",
    "sur",
    "les",
    "personnes",
    "concernées",
]

REDLINES_SNIPPET = """
import sys
from python_redlines import DocxodusEngine
old, new, out = sys.argv[1:4]
data, _, _ = DocxodusEngine().run_redline("bench", original=open(old, "rb").read(),
                                          modified=open(new, "rb").read())
open(out, "wb").write(data)
"""


def sentence(rng: random.Random, words: int = 40) -> str:
    """A pseudo-French paragraph of about that many words."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def synthetic_pair(paragraphs: int, seed: int = 7) -> tuple[bytes, bytes]:
    """Old and new drafts: 5% of paragraphs edited, 1% deleted, 1% inserted."""
    rng = random.Random(seed)
    old = [
        ("h" if k % 25 == 0 else "p", sentence(rng, 6 if k % 25 == 0 else 40))
        for k in range(paragraphs)
    ]
    new = []
    for kind, text in old:
        roll = rng.random()
        if roll < 0.01:
            continue
        if roll < 0.06:
            words = text.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = " ".join(words)
        new.append((kind, text))
        if rng.random() < 0.01:
            new.append(("p", sentence(rng)))
    return _docx(old), _docx(new)


def _docx(spec: list[tuple[str, str]]) -> bytes:
    from docx import Document

    doc = Document()
    for kind, text in spec:
        if kind == "h":
            doc.add_heading(text, level=2)
        else:
            para = doc.add_paragraph(text[: len(text) // 3])
            para.add_run(text[len(text) // 3 :]).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def small_pairs() -> dict[str, tuple[bytes, bytes]]:
    """The edit kinds of the test-suite (tests/review/test_redline.py), both directions."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "review"))
    from drafts import BASE, build_docx, with_tracked_changes  # type: ignore[import-not-found]
    from test_redline import VARIANTS  # type: ignore[import-not-found]

    pairs = {}
    for name, spec in sorted(VARIANTS.items()):
        pairs[name] = (build_docx(BASE), build_docx(spec))
        pairs[f"{name} (reversed)"] = (build_docx(spec), build_docx(BASE))
    pairs["hand-edited (w:ins/w:del/comments)"] = (
        with_tracked_changes(build_docx(BASE)),
        build_docx(VARIANTS["word"]),
    )
    return pairs


def engines(venv: Path) -> dict[str, Callable[[Path, Path, Path], list[str]]]:
    """Command line of each available engine, given OLD NEW OUT."""
    found: dict[str, Callable[[Path, Path, Path], list[str]]] = {
        "requete": lambda o, n, out: [
            sys.executable,
            "-m",
            "requete",
            "diff",
            str(o),
            str(n),
            "--redline",
            str(out),
            "--force",
        ]
    }
    trackdiff = venv / "bin" / "docx-trackdiff"
    if trackdiff.exists():
        found["docx-trackdiff 1.0.0"] = lambda o, n, out: [
            str(trackdiff),
            str(o),
            str(n),
            str(out),
            "--author",
            "bench",
        ]
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import python_redlines_docxodus"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        found["python-redlines 2.0.0"] = lambda o, n, out: [
            str(python),
            "-c",
            REDLINES_SNIPPET,
            str(o),
            str(n),
            str(out),
        ]
    return found


def run(name: str, command: list[str], old: bytes, new: bytes, work: Path) -> tuple[str, float]:
    """Run one engine on one pair: verdict (pass / failure reason) and wall time."""
    from requete.review import check_redline, read_draft

    (work / "old.docx").write_bytes(old)
    (work / "new.docx").write_bytes(new)
    out = work / "out.docx"
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        return f"error (exit {proc.returncode})", elapsed
    try:
        check = check_redline(out, read_draft(old), read_draft(new))
    except Exception as err:  # an unreadable output is a verdict, not a crash
        return f"unreadable ({err})", elapsed
    if check.ok:
        return "pass", elapsed
    side = "accept" if not check.accept.ok else "reject"
    return (
        f"FAIL {side}: {(check.accept if side == 'accept' else check.reject).describe()[:90]}",
        elapsed,
    )


def main() -> None:
    """Run every engine on every pair and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/evalvenv"))
    parser.add_argument("--sizes", type=int, nargs="*", default=[3000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    found = engines(args.venv)
    missing = {"docx-trackdiff 1.0.0", "python-redlines 2.0.0"} - set(found)
    if missing:
        print(f"skipped (not installed in {args.venv}): {', '.join(sorted(missing))}")
    pairs = small_pairs()
    for size in args.sizes:
        pairs[f"synthetic {size} ¶ (5% edited, 1% del, 1% ins)"] = synthetic_pair(size)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("| pair | " + " | ".join(found) + " |")
        print("|---" * (len(found) + 1) + "|")
        for pair, (old, new) in pairs.items():
            cells = []
            for name, command in found.items():
                repeat = args.repeat if pair.startswith("synthetic") else 1
                runs = [
                    run(
                        name,
                        command(work / "old.docx", work / "new.docx", work / "out.docx"),
                        old,
                        new,
                        work,
                    )
                    for _ in range(repeat)
                ]
                verdict = runs[0][0]
                best = min(t for _, t in runs)
                cells.append(f"{verdict} ({best:.2f} s)")
            print(f"| {pair} | " + " | ".join(cells) + " |", flush=True)
    if shutil.which("du"):
        print()
        print("install weight (site-packages of the evaluation venv):")
        subprocess.run(
            [
                "bash",
                "-c",
                f"du -sh {args.venv}/lib/python3*/site-packages/"
                "{python_redlines*,docx_trackdiff*,lxml} 2>/dev/null",
            ]
        )


if __name__ == "__main__":
    main()
