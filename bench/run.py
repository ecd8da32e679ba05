"""The benchmark suite in one command: ``python bench/run.py [--quick] [--only SECTION…]``.

Every figure is a median of whole-process runs (subprocesses), the two sides of a comparison
interleaved in the same run, and printed next to its target. Progress goes to stderr, the
results table (Markdown) to stdout. The exit status is 0 whether or not the targets are met,
1 when a figure could not be measured because a command under test failed.

Cache: every timed command runs with the on-disk cache off (``REQUETE_CACHE=off``) unless
its figure says « cold cache » (a new, empty ``REQUETE_CACHE_DIR`` per run) or « warm
cache » (a ``REQUETE_CACHE_DIR`` filled by one untimed run beforehand).
"""

from __future__ import annotations

import argparse
import os
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
    Timed,
    cache_in,
    clean_env,
    compile_requete,
    fresh_cache,
    interleaved,
    machine,
    run_once,
    say,
    table,
    warmed,
)

FLOOR = Path(__file__).resolve().parent / "floor.py"
EXAMPLE = ROOT / "cases" / "emc2" / "annulation.yaml"
SCALE = Path(__file__).resolve().parent / "scale.py"
SECTIONS = ("build", "batch", "check", "diff", "scale", "startup")


CACHE_NOTES = {
    "cold": "cold cache: a new, empty cache directory per run",
    "warm": "warm cache: filled by one untimed run",
}


@dataclass(frozen=True)
class Sizes:
    """How big and how often: the full suite, or --quick."""

    filing: tuple[int, int, int]  # library blocks, precedents, blocks in the set
    linear: tuple[int, int]  # blocks in the set of the small and of the large filing
    build_repeats: int
    repeats: int
    batch_cases: int
    batch_repeats: int
    batch_library: tuple[int, int, int]
    check_blocks: tuple[int, ...]
    library_repeats: int  # check --library (every file, no target): the slowest command
    diff_paragraphs: tuple[int, ...]
    diff_all_engines: bool  # else only docx-trackdiff (the target's peer) when installed
    startup_repeats: int
    scale_words: tuple[int, ...]
    calibration: int  # iterations of the CPU-bound unit of the batch calibration
    suite_target: float  # seconds


FULL = Sizes(
    filing=(400, 3000, 300),
    linear=(100, 1000),
    build_repeats=5,
    repeats=3,
    batch_cases=200,
    batch_repeats=3,
    batch_library=(40, 150, 20),
    check_blocks=(100, 1000, 10000),
    library_repeats=3,
    diff_paragraphs=(1000, 10000),
    diff_all_engines=True,
    startup_repeats=10,
    scale_words=(10_000, 100_000, 300_000),
    calibration=20_000_000,
    suite_target=600,
)
QUICK = Sizes(
    filing=(80, 400, 60),
    linear=(30, 300),
    build_repeats=3,
    repeats=3,
    batch_cases=20,
    batch_repeats=3,
    batch_library=(40, 150, 20),
    check_blocks=(100, 1000),
    library_repeats=1,
    diff_paragraphs=(1000, 10000),
    diff_all_engines=False,
    startup_repeats=5,
    scale_words=(10_000, 100_000),
    calibration=10_000_000,
    suite_target=120,
)


def unavailable(name: str, reason: str) -> Figure:
    """A figure that could not be measured because something optional is missing."""
    say(f"  not available: {reason}")
    return Figure(name, None, note=f"not available: {reason}")


def failure(name: str, reason: str) -> Figure:
    """A figure that could not be measured because a command under test failed."""
    say(f"  FAILED: {reason}")
    return Figure(name, None, note=f"failed: {reason}", failed=True)


def _build(case: Path, out: Path) -> list[str | Path]:
    return [REQUETE, "build", case, "-o", out, "--force"]


def build_section(work: Path, sizes: Sizes) -> list[Figure]:
    """Whole-process ``requete build`` against the bare docxtpl floor, same content, and a
    large filing against a small one (linear growth)."""
    blocks, precedents, in_set = sizes.filing
    say(f"[build] generating a library: {blocks} blocks, {precedents} precedents")
    synthetic = generate_library(work / "filing", blocks, precedents, in_set)
    example = "example filing (cases/emc2/annulation.yaml)"
    figures = _against_floor(work / "build-example", example, EXAMPLE, ("cold", "warm"), sizes)
    label = f"synthetic filing ({in_set} blocks, {precedents} precedents)"
    figures += _against_floor(work / "build-synthetic", label, synthetic.case, ("warm",), sizes)
    return figures + _linear(work, sizes)


def _against_floor(
    folder: Path, label: str, case: Path, caches: tuple[str, ...], sizes: Sizes
) -> list[Figure]:
    """``requete build`` of ``case`` with each cache state in ``caches``, and the floor,
    interleaved: one figure per cache state, each as a ratio to the floor."""
    say(f"[build] {label}: {' and '.join(caches)} cache against the floor")
    folder.mkdir(parents=True)
    pickled = folder / "floor.pickle"
    build = _build(case, folder / "requete.docx")
    try:
        run_once([PYTHON, FLOOR, "--prepare", case, "--out", pickled], folder)
        commands: dict[str, Command | Timed] = {}
        if "cold" in caches:
            commands["cold"] = Timed(build, fresh_cache(folder / "cold"))
        if "warm" in caches:
            commands["warm"] = warmed(build, folder / "warm", folder)
        commands["floor"] = [PYTHON, FLOOR, "--pickled-context", pickled, "-o", folder / "f.docx"]
        medians, rounds = interleaved(commands, sizes.build_repeats, folder)
    except CommandFailed as err:
        return [failure(f"build: {label}, {cache} cache", str(err)) for cache in caches]
    floor = medians["floor"]
    figures = []
    for cache in caches:
        ratio = medians[cache] / floor
        note = f"{CACHE_NOTES[cache]}; floor {floor:.3f} s; median of {rounds}"
        figures.append(
            Figure(
                f"build: {label}, {cache} cache",
                medians[cache],
                ratio,
                "floor",
                "≤ 1.3× floor",
                ratio <= 1.3,
                note,
            )
        )
    return figures


def _linear(work: Path, sizes: Sizes) -> list[Figure]:
    """Build of a large filing against a small one, same generator, library sized alike
    (a third more blocks than the set, five precedents per block): at most linear."""
    small, large = sizes.linear
    name = f"build: {large:,}-block filing vs {small:,}-block"
    builds: dict[int, Command] = {}
    libraries = []
    for count in (small, large):
        blocks = count + count // 3
        say(
            f"[build] generating a {count}-block filing on {blocks} blocks, {5 * blocks} precedents"
        )
        library = generate_library(work / f"linear-{count}", blocks, 5 * blocks, count)
        builds[count] = _build(library.case, work / f"linear-{count}.docx")
        libraries.append(f"{blocks:,}")
    say(f"[build] {name} (warm cache)")
    try:
        commands = {
            f"{count:,} blocks": warmed(build, work / "caches" / f"linear-{count}", work)
            for count, build in builds.items()
        }
        medians, rounds = interleaved(commands, sizes.build_repeats, work)
    except CommandFailed as err:
        return [failure(name, str(err))]
    seconds, base = medians[f"{large:,} blocks"], medians[f"{small:,} blocks"]
    ratio, allowed = seconds / base, large / small
    note = (
        f"{small:,} blocks {base:.3f} s; libraries of {' and '.join(libraries)} blocks, "
        f"5 precedents per block; {CACHE_NOTES['warm']}; median of {rounds}"
    )
    return [
        Figure(
            name,
            seconds,
            ratio,
            f"{small:,}-block",
            f"≤ {allowed:.0f}× (linear)",
            ratio <= allowed,
            note,
        )
    ]


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
    cache = work / "caches" / "batch"
    say("[batch] -j 1 against -j 2 (warm cache)")
    try:
        commands = {
            "-j 1": Timed(command(1), cache_in(cache)),
            "-j 2": warmed(command(2), cache, work),
        }
        medians, rounds = interleaved(commands, sizes.batch_repeats, work, budget=150)
    except CommandFailed as err:
        return [failure(name, str(err)), _parallel_calibration(work, sizes)]
    ratio = medians["-j 2"] / medians["-j 1"]
    note = (
        f"-j 1 {medians['-j 1']:.2f} s; {in_set}-block filings; {CACHE_NOTES['warm']}, "
        f"shared; median of {rounds}"
    )
    return [
        Figure(name, medians["-j 2"], ratio, "-j 1", "≤ 0.5× -j 1", ratio <= 0.5, note),
        _parallel_calibration(work, sizes),
    ]


def _cpu_commands(iterations: int) -> dict[str, Command]:
    """Two CPU-bound processes one after the other, and two at once."""
    unit = f"sum(i * i for i in range({iterations}))"
    twice = (
        f"import subprocess, sys; [subprocess.run([sys.executable, '-c', {unit!r}]) for _ in '12']"
    )
    pair = (
        f"import subprocess, sys; ps = [subprocess.Popen([sys.executable, '-c', {unit!r}])"
        " for _ in '12']; [p.wait() for p in ps]"
    )
    return {"sequence": [PYTHON, "-c", twice], "parallel": [PYTHON, "-c", pair]}


def _parallel_calibration(work: Path, sizes: Sizes) -> Figure:
    """What two cores give now: two CPU-bound processes at once against one after the other."""
    say("[batch] calibration: 2 CPU-bound processes in parallel vs in sequence")
    medians, rounds = interleaved(_cpu_commands(sizes.calibration), sizes.repeats, work)
    ratio = medians["parallel"] / medians["sequence"]
    return Figure(
        "calibration: 2 CPU-bound processes, parallel vs sequence",
        medians["parallel"],
        ratio,
        "sequence",
        note=f"the best -j 2 can do on this machine now (ideal 0.50); median of {rounds}",
    )


def check_section(work: Path, sizes: Sizes) -> list[Figure]:
    """``requete check`` of a case (cold and warm cache), and of the whole library (cache
    off), as the library grows."""
    figures: list[Figure] = []
    times: dict[str, dict[int, float]] = {"cold": {}, "warm": {}, "library": {}}
    for blocks in sizes.check_blocks:
        in_set = min(blocks, 300)
        say(f"[check] generating {blocks} blocks, {5 * blocks} precedents")
        library = generate_library(work / f"check-{blocks}", blocks, 5 * blocks, in_set)
        size = f"{blocks:,} blocks, {5 * blocks:,} precedents"
        check: Command = [REQUETE, "check", library.case]
        cache = work / "caches" / f"check-{blocks}"
        try:
            say("[check] CASE, cold and warm cache")
            commands = {
                "cold": Timed(check, fresh_cache(cache / "cold")),
                "warm": warmed(check, cache / "warm", work),
            }
            medians, rounds = interleaved(commands, sizes.repeats, work, budget=60)
            say("[check] --library (cache off)")
            every: dict[str, Command] = {"library": [REQUETE, "check", "--library", library.root]}
            whole, whole_rounds = interleaved(every, sizes.library_repeats, work, budget=60)
        except CommandFailed as err:
            figures.append(failure(f"check: {size}", str(err)))
            continue
        medians.update(whole)
        for kind, seconds in medians.items():
            times[kind][blocks] = seconds
        for cache_state, limit in (("cold", 1.0), ("warm", 0.3)):
            seconds = medians[cache_state]
            target, met = (f"≤ {limit:g} s", seconds <= limit) if blocks == 1000 else ("—", None)
            warm = cache_state == "warm"
            figures.append(
                Figure(
                    f"check CASE: {size} ({in_set}-block case), {cache_state} cache",
                    seconds,
                    seconds / medians["cold"] if warm else None,
                    "cold" if warm else "",
                    target,
                    met,
                    f"{CACHE_NOTES[cache_state]}; median of {rounds}",
                )
            )
        figures.append(
            Figure(
                f"check --library: {size} (every file)",
                medians["library"],
                note=f"cache off; median of {whole_rounds}",
            )
        )
    return (
        figures
        + _growth("check CASE (cold cache)", times["cold"])
        + _growth("check CASE (warm cache)", times["warm"])
        + _growth("check --library", times["library"])
    )


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
    help_run = subprocess.run([REQUETE, "diff", "--help"], capture_output=True, env=clean_env())
    if help_run.returncode != 0:
        return [failure("diff --redline", "`requete diff --help` failed")]
    found, module = _engines(venv)
    figures = []
    if len(found) == 1:
        figures.append(unavailable("diff: alternative engines", f"none installed in {venv}"))
    peers = [k for k in found if k.startswith("docx-trackdiff")]
    skipped = [k for k in found if k != "requete" and k not in peers]
    if not sizes.diff_all_engines and peers and skipped:
        found = {k: v for k, v in found.items() if k == "requete" or k in peers}
        say(f"  skipped in --quick: {', '.join(skipped)}")
        note = f"skipped in --quick (slow, not a target's peer): {', '.join(skipped)}"
        figures.append(Figure("diff: other alternative engines", None, note=note))
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


def _reference(alternatives: dict[str, float]) -> str | None:
    """The engine of the issue's target, docx-trackdiff, else the fastest alternative."""
    named = [k for k in alternatives if k.startswith("docx-trackdiff")]
    if named:
        return named[0]
    return min(alternatives, key=lambda k: alternatives[k]) if alternatives else None


def _diff_figures(paragraphs: int, results: dict[str, tuple[str, list[float]]]) -> list[Figure]:
    medians = {k: statistics.median(v[1]) for k, v in results.items()}
    alternatives = {k: t for k, t in medians.items() if k != "requete" and results[k][0] == "pass"}
    reference = _reference(alternatives)
    verdict = results["requete"][0]
    ok = verdict.startswith("pass")
    figures = []
    seconds = medians["requete"]
    ratio = seconds / alternatives[reference] if reference else None
    runs = len(results["requete"][1])
    note = f"accept/reject: {verdict}; {runs} runs"
    met: bool | None
    if paragraphs <= 1000:
        target = "≤ 1.0× docx-trackdiff, exact"
        if ratio is not None:
            met = ok and ratio <= 1.0
        else:  # only exactness can be judged
            met = None if ok else False
            note += "; no alternative engine to compare"
    else:
        target = "≤ 2 s, exact"
        met = ok and seconds <= 2.0
    crashed = verdict.startswith(("error", "unreadable"))
    figures.append(
        Figure(
            f"diff --redline: {paragraphs:,} ¶ (requete)",
            seconds,
            ratio,
            reference or "",
            target,
            met,
            note,
            failed=crashed,
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
                [PYTHON, str(SCALE), kind, str(words)],
                capture_output=True,
                text=True,
                cwd=work,
                env=clean_env(),
            )
            if proc.returncode != 0:
                figures.append(failure(f"{label}: {words:,} words", proc.stderr[-200:]))
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
    try:
        medians, rounds = interleaved(commands, sizes.startup_repeats, work)
    except CommandFailed as err:
        return [failure("start-up", str(err))]
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
    # What this process runs without run_once (bench/redline_engines.py) gets it too.
    environment = clean_env()
    os.environ.clear()
    os.environ.update(environment)
    figures: list[Figure] = []
    work = Path(tempfile.mkdtemp(prefix="requete-bench-"))
    say(f"machine: {machine()}; work dir {work}")
    say("[setup] byte-compiling requete")
    compile_requete()
    try:
        for section in SECTIONS:
            if section not in args.only:
                continue
            section_started = time.perf_counter()
            if section == "diff":
                figures += diff_section(work, sizes, args.venv)
            else:
                figures += globals()[f"{section}_section"](work, sizes)
            say(f"[{section}] took {time.perf_counter() - section_started:.0f} s")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    if set(args.only) == set(SECTIONS):
        limit = sizes.suite_target
        figures.append(
            Figure("whole suite", elapsed, target=f"< {limit:.0f} s", met=elapsed < limit)
        )
    print(f"machine: {machine()}; {'quick' if args.quick else 'full'} suite")
    print(table(figures))
    print(f"\nsuite took {elapsed:.0f} s")
    failed = [f.name for f in figures if f.failed]
    if failed:
        say(f"not measured, a command under test failed: {'; '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
