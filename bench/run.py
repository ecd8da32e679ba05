"""The benchmark suite in one command: ``python bench/run.py [--quick] [--only SECTION…]``.

Every figure is a median of whole-process runs (subprocesses), the two sides of a comparison
interleaved in the same run, and printed next to its target. Progress goes to stderr, the
results table (Markdown) to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_cases, generate_drafts, generate_library  # noqa: E402
from timing import (  # noqa: E402
    PYTHON,
    REQUETE,
    ROOT,
    Command,
    CommandFailed,
    Figure,
    interleaved,
    machine,
    run_once,
    say,
    table,
)

FLOOR = Path(__file__).resolve().parent / "floor.py"
EXAMPLE = ROOT / "cases" / "emc2" / "annulation.yaml"
SCALE = Path(__file__).resolve().parent / "scale.py"
SECTIONS = ("build", "batch", "check", "diff", "scale", "startup")


@dataclass(frozen=True)
class Sizes:
    """How big and how often: the full suite, or --quick."""

    filing: tuple[int, int, int]  # library blocks, precedents, blocks in the set
    build_repeats: int
    repeats: int
    batch_cases: int
    batch_repeats: int
    batch_library: tuple[int, int, int]
    check_blocks: tuple[int, ...]
    diff_paragraphs: tuple[int, ...]
    startup_repeats: int
    scale_words: tuple[int, ...] = (10_000, 100_000, 300_000)


FULL = Sizes((400, 3000, 300), 5, 3, 200, 3, (40, 150, 20), (100, 1000, 10000), (1000, 10000), 10)
QUICK = Sizes((80, 400, 60), 3, 3, 20, 3, (40, 150, 20), (100, 1000), (1000,), 5, (10_000, 100_000))


def unavailable(name: str, reason: str) -> Figure:
    """A figure that could not be measured, with why."""
    say(f"  not available: {reason}")
    return Figure(name, None, note=f"not available: {reason}")


def build_section(work: Path, sizes: Sizes) -> list[Figure]:
    """Whole-process ``requete build`` against the bare docxtpl floor, same content."""
    blocks, precedents, in_set = sizes.filing
    say(f"[build] generating a library: {blocks} blocks, {precedents} precedents")
    synthetic = generate_library(work / "filing", blocks, precedents, in_set)
    figures = []
    for label, case in (
        ("example filing (cases/emc2/annulation.yaml)", EXAMPLE),
        (f"synthetic filing ({in_set} blocks, {precedents} precedents)", synthetic.case),
    ):
        name = f"build: {label}"
        say(f"[build] {label}")
        pickled = work / f"floor-{case.stem}-{len(figures)}.pickle"
        try:
            run_once([PYTHON, FLOOR, "--prepare", case, "--out", pickled], work)
            medians, rounds = interleaved(
                {
                    "requete": [REQUETE, "build", case, "-o", work / "requete.docx", "--force"],
                    "floor": [PYTHON, FLOOR, "--pickled-context", pickled, "-o", work / "f.docx"],
                },
                sizes.build_repeats,
                work,
            )
        except CommandFailed as err:
            figures.append(unavailable(name, str(err)))
            continue
        ratio = medians["requete"] / medians["floor"]
        figures.append(
            Figure(
                name,
                medians["requete"],
                ratio,
                "floor",
                "≤ 1.3× floor",
                ratio <= 1.3,
                f"floor {medians['floor']:.3f} s; median of {rounds}",
            )
        )
    return figures


def batch_section(work: Path, sizes: Sizes) -> list[Figure]:
    """``requete batch`` of many filings: two workers against one."""
    blocks, precedents, in_set = sizes.batch_library
    count = sizes.batch_cases
    say(f"[batch] generating {count} cases on a library of {blocks} blocks")
    library = generate_library(work / "batch", blocks, precedents, in_set)
    cases = generate_cases(library, count, library.root / "cases")
    out = work / "batch-out"

    def command(jobs: int) -> list[str | Path]:
        return [REQUETE, "batch", *cases, "-o", out, "-j", str(jobs), "--force"]

    name = f"batch: {count} filings, -j 2 vs -j 1"
    try:
        medians, rounds = interleaved(
            {"-j 1": command(1), "-j 2": command(2)}, sizes.batch_repeats, work, budget=150
        )
    except CommandFailed as err:
        return [unavailable(name, str(err))]
    ratio = medians["-j 2"] / medians["-j 1"]
    note = f"-j 1 {medians['-j 1']:.2f} s; {in_set}-block filings; median of {rounds}"
    return [
        Figure(name, medians["-j 2"], ratio, "-j 1", "≤ 0.6× -j 1", ratio <= 0.6, note),
        _parallel_calibration(work, sizes.repeats),
    ]


CPU_UNIT = "sum(i * i for i in range(20_000_000))"
CPU_TWICE = (
    f"import subprocess, sys; [subprocess.run([sys.executable, '-c', {CPU_UNIT!r}]) for _ in '12']"
)
CPU_PAIR = (
    f"import subprocess, sys; ps = [subprocess.Popen([sys.executable, '-c', {CPU_UNIT!r}])"
    " for _ in '12']; [p.wait() for p in ps]"
)


def _parallel_calibration(work: Path, repeats: int) -> Figure:
    """What two cores give now: two CPU-bound processes at once against one after the other."""
    say("[batch] calibration: 2 CPU-bound processes in parallel vs in sequence")
    medians, rounds = interleaved(
        {"sequence": [PYTHON, "-c", CPU_TWICE], "parallel": [PYTHON, "-c", CPU_PAIR]},
        repeats,
        work,
    )
    ratio = medians["parallel"] / medians["sequence"]
    return Figure(
        "calibration: 2 CPU-bound processes, parallel vs sequence",
        medians["parallel"],
        ratio,
        "sequence",
        note=f"the best -j 2 can do on this machine now (ideal 0.50); median of {rounds}",
    )


def check_section(work: Path, sizes: Sizes) -> list[Figure]:
    """``requete check`` of a case, and of the whole library, as the library grows."""
    figures: list[Figure] = []
    times: dict[str, dict[int, float]] = {"case": {}, "library": {}}
    for blocks in sizes.check_blocks:
        in_set = min(blocks, 300)
        say(f"[check] generating {blocks} blocks, {5 * blocks} precedents")
        library = generate_library(work / f"check-{blocks}", blocks, 5 * blocks, in_set)
        size = f"{blocks:,} blocks, {5 * blocks:,} precedents"
        commands: dict[str, Command] = {
            "case": [REQUETE, "check", library.case],
            "library": [REQUETE, "check", "--library", library.root],
        }
        try:
            medians, rounds = interleaved(commands, sizes.repeats, work, budget=60)
        except CommandFailed as err:
            figures.append(unavailable(f"check: {size}", str(err)))
            continue
        for kind, seconds in medians.items():
            times[kind][blocks] = seconds
        target, met = ("≤ 1 s", medians["case"] <= 1.0) if blocks == 1000 else ("—", None)
        note = f"median of {rounds}"
        figures += [
            Figure(
                f"check CASE: {size} ({in_set}-block case)",
                medians["case"],
                target=target,
                met=met,
                note=note,
            ),
            Figure(f"check --library: {size} (every file)", medians["library"], note=note),
        ]
    figures += _growth("check CASE", times["case"]) + _growth("check --library", times["library"])
    return figures


def _growth(label: str, times: dict[int, float]) -> list[Figure]:
    """Time ratio between successive sizes: at most linear (10 % allowance for noise)."""
    ordered = sorted(times)
    figures = []
    for small, large in zip(ordered, ordered[1:], strict=False):
        growth = times[large] / times[small]
        allowed = 1.1 * large / small
        figures.append(
            Figure(
                f"{label} growth: {small:,} → {large:,} blocks",
                None,
                growth,
                f"(size ×{large // small})",
                f"≤ {allowed:.0f}× (linear)",
                growth <= allowed,
            )
        )
    return figures


def _engines(venv: Path) -> tuple[dict[str, Callable[[Path, Path, Path], list[str]]], object]:
    """Redline engines from bench/redline_engines.py, or requete alone when it is absent."""

    def requete(old: Path, new: Path, out: Path) -> list[str]:
        return [REQUETE, "diff", str(old), str(new), "--redline", str(out), "--force"]

    try:
        import redline_engines
    except ImportError:
        return {"requete": requete}, None
    found = dict(redline_engines.engines(venv))
    found["requete"] = requete
    return found, redline_engines


def _pair(module: object, work: Path, paragraphs: int) -> tuple[bytes, bytes]:
    """The drafts of the review evaluation when available, else our own generator's."""
    if module is not None and hasattr(module, "synthetic_pair"):
        return module.synthetic_pair(paragraphs)  # type: ignore[no-any-return]
    old, new = generate_drafts(work, paragraphs)
    return old.read_bytes(), new.read_bytes()


def diff_section(work: Path, sizes: Sizes, venv: Path) -> list[Figure]:
    """``requete diff --redline`` against the alternative engines, same drafts, same run."""
    help_run = subprocess.run([REQUETE, "diff", "--help"], capture_output=True)
    if help_run.returncode != 0:
        return [unavailable("diff --redline", "`requete diff` does not exist yet")]
    found, module = _engines(venv)
    figures = []
    if len(found) == 1:
        figures.append(unavailable("diff: alternative engines", f"none installed in {venv}"))
    for paragraphs in sizes.diff_paragraphs:
        say(f"[diff] {paragraphs} paragraphs: {', '.join(found)}")
        old, new = _pair(module, work, paragraphs)
        results = _time_engines(work / f"diff-{paragraphs}", found, module, old, new, sizes.repeats)
        figures += _diff_figures(paragraphs, results)
    return figures


def _time_engines(
    work: Path,
    found: dict[str, Callable[[Path, Path, Path], list[str]]],
    module: object,
    old: bytes,
    new: bytes,
    repeats: int,
) -> dict[str, tuple[str, list[float]]]:
    """Verdict of the first run (accept/reject verified) and the wall times of every run."""
    results: dict[str, tuple[str, list[float]]] = {}
    for n in range(repeats):
        for name, command in found.items():
            folder = work / name.split()[0]
            folder.mkdir(parents=True, exist_ok=True)
            args = command(folder / "old.docx", folder / "new.docx", folder / "out.docx")
            if n == 0:
                results[name] = _first_run(name, args, module, old, new, folder)
            elif results[name][1][0] < 15 and results[name][0] == "pass":
                results[name][1].append(run_once(args, folder))
        say(
            f"  run {n + 1}/{repeats}: "
            + ", ".join(f"{k} {v[1][-1]:.2f} s" for k, v in results.items())
        )
    return results


def _first_run(
    name: str, args: list[str], module: object, old: bytes, new: bytes, folder: Path
) -> tuple[str, list[float]]:
    if module is not None:
        verdict, elapsed = module.run(name, args, old, new, folder)  # type: ignore[attr-defined]
        return verdict, [elapsed]
    (folder / "old.docx").write_bytes(old)
    (folder / "new.docx").write_bytes(new)
    try:
        return "pass (self-verified)", [run_once(args, folder)]
    except CommandFailed as err:
        return f"error: {err}", [0.0]


def _diff_figures(paragraphs: int, results: dict[str, tuple[str, list[float]]]) -> list[Figure]:
    medians = {k: statistics.median(v[1]) for k, v in results.items()}
    alternatives = {k: t for k, t in medians.items() if k != "requete" and results[k][0] == "pass"}
    fastest = min(alternatives, key=lambda k: alternatives[k]) if alternatives else None
    verdict = results["requete"][0]
    ok = verdict.startswith("pass")
    figures = []
    seconds = medians["requete"]
    ratio = seconds / alternatives[fastest] if fastest else None
    if paragraphs <= 1000:
        target = "≤ fastest alternative"
        met = ok and (ratio is None or ratio <= 1.0)
    else:
        target = "≤ 2 s"
        met = ok and seconds <= 2.0
    runs = len(results["requete"][1])
    figures.append(
        Figure(
            f"diff --redline: {paragraphs:,} ¶ (requete)",
            seconds,
            ratio,
            fastest or "",
            target,
            met,
            f"accept/reject: {verdict}; {runs} runs",
        )
    )
    for name in (k for k in results if k != "requete"):
        runs = len(results[name][1])
        figures.append(
            Figure(
                f"diff --redline: {paragraphs:,} ¶ ({name})",
                medians[name],
                note=f"accept/reject: {results[name][0]}; {runs} run{'s' * (runs > 1)}",
            )
        )
    return figures


def scale_section(work: Path, sizes: Sizes) -> list[Figure]:
    """Typography and word diff of one paragraph as it grows (bench/scale.py, in-process
    medians, one fresh process per size): the growth ratio must stay linear."""
    figures: list[Figure] = []
    for kind, label in (("typography", "typography"), ("words", "word diff")):
        times: dict[int, float] = {}
        for words in sizes.scale_words:
            say(f"[scale] {label}: {words:,} words")
            proc = subprocess.run(
                [PYTHON, str(SCALE), kind, str(words)], capture_output=True, text=True, cwd=work
            )
            if proc.returncode != 0:
                figures.append(unavailable(f"{label}: {words:,} words", proc.stderr[-200:]))
                continue
            times[words] = float(proc.stdout.strip())
            figures.append(
                Figure(
                    f"{label}: one paragraph of {words:,} words", times[words], note="median of 3"
                )
            )
        ordered = sorted(times)
        for small, large in zip(ordered, ordered[1:], strict=False):
            growth = times[large] / times[small]
            allowed = 1.5 * large / small
            figures.append(
                Figure(
                    f"{label} growth: {small:,} → {large:,} words",
                    None,
                    growth,
                    f"(size ×{large / small:.0f})",
                    f"≤ {allowed:.0f}× (near-linear)",
                    growth <= allowed,
                )
            )
    return figures


def startup_section(work: Path, sizes: Sizes) -> list[Figure]:
    """Start-up: ``requete --help`` and ``requete deadline`` against ``python -c pass``."""
    say("[startup]")
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "import typer": [PYTHON, "-c", "import typer"],
        "requete --help": [REQUETE, "--help"],
        "requete deadline 2024-01-31": [REQUETE, "deadline", "2024-01-31"],
    }
    medians, rounds = interleaved(commands, sizes.startup_repeats, work)
    base = medians["python -c pass"]
    figures = [
        Figure("start-up: python -c pass", base, note="the interpreter alone"),
        Figure(
            "start-up: python -c 'import typer'",
            medians["import typer"],
            medians["import typer"] / base,
            "python -c pass",
            note="the CLI framework alone",
        ),
    ]
    for name in ("requete --help", "requete deadline 2024-01-31"):
        seconds = medians[name]
        figures.append(
            Figure(
                f"start-up: {name}",
                seconds,
                seconds / base,
                "python -c pass",
                "≤ 0.25 s",
                seconds <= 0.25,
            )
        )
    return figures


def main() -> None:
    """Run the selected sections and print the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small sizes, for a smoke run.")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument(
        "--venv",
        type=Path,
        default=Path("/tmp/evalvenv"),
        help="Venv holding the alternative redline engines.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the generated inputs.")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    figures: list[Figure] = []
    work = Path(tempfile.mkdtemp(prefix="requete-bench-"))
    say(f"machine: {machine()}; work dir {work}")
    try:
        for section in SECTIONS:
            if section not in args.only:
                continue
            if section == "diff":
                figures += diff_section(work, sizes, args.venv)
            else:
                figures += globals()[f"{section}_section"](work, sizes)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    if set(args.only) == set(SECTIONS):
        figures.append(Figure("whole suite", elapsed, target="< 600 s", met=elapsed < 600))
    print(f"machine: {machine()}; {'quick' if args.quick else 'full'} suite")
    print(table(figures))
    print(f"\nsuite took {elapsed:.0f} s")


if __name__ == "__main__":
    main()
