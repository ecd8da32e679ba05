"""Profile the slow figures: ``python bench/hotspots.py build|check [--blocks N] [--cache C]``.

``build`` profiles ``requete build`` of the synthetic ~150-page filing (300 blocks in the set,
400 in the library, 3,000 precedents); ``check`` profiles ``requete check`` of a 300-block
case on a library of N blocks (default 10,000) and 5 N precedents. The default profiler is
cProfile: it prints requete's own functions by cumulative time, with their share of the run,
then the heaviest functions by own time anywhere. ``--pyinstrument`` prints its call tree.
``--cache off|cold|warm`` (default off): the on-disk cache off, empty, or filled by one
unprofiled run first, as in the « cold » and « warm » figures of ``run.py``.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_library  # noqa: E402
from timing import PYTHON, Overlay, cache_in, clean_env, compile_requete  # noqa: E402


def command_for(what: str, work: Path, blocks: int) -> list[str]:
    """Generate the inputs and return the requete arguments to profile."""
    if what == "build":
        library = generate_library(work / "filing", 400, 3000, 300)
        return ["build", str(library.case), "-o", str(work / "out.docx"), "--force"]
    library = generate_library(work / f"check-{blocks}", blocks, 5 * blocks, min(blocks, 300))
    return ["check", str(library.case)]


def cache_overlay(state: str, work: Path, requete_args: list[str]) -> Overlay:
    """The environment overlay of ``--cache``: off, an empty cache, or one filled first."""
    if state == "off":
        return {}
    overlay = cache_in(work / f"cache-{state}")
    if state == "warm":
        command = [PYTHON, "-m", "requete", *requete_args]
        subprocess.run(command, env=clean_env(overlay), cwd=work, check=True, capture_output=True)
    return overlay


def report(stats_file: Path, top: int) -> None:
    """Print requete's functions by cumulative time, then everything by own time."""
    stats = pstats.Stats(str(stats_file))
    total = max(v[3] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = [
        (cum, own, calls, f"{Path(file).name}:{line}({name})")
        for (file, line, name), (_, calls, own, cum, _) in stats.stats.items()  # type: ignore[attr-defined]
        if "/requete/" in file and "commands" not in file and "cli.py" not in file
    ]
    print(f"total {total:.2f} s (under cProfile)\n\nrequete functions by cumulative time:")
    print(f"{'cum s':>7} {'share':>6} {'own s':>7} {'calls':>8}  function")
    for cum, own, calls, where in sorted(rows, reverse=True)[:top]:
        print(f"{cum:7.2f} {cum / total:6.1%} {own:7.2f} {calls:8d}  {where}")
    print("\nheaviest own time, any module:")
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    """Generate, profile in a subprocess, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("build", "check"))
    parser.add_argument("--blocks", type=int, default=10000, help="Library size for check.")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--cache", choices=("off", "cold", "warm"), default="off")
    args = parser.parse_args()
    compile_requete()
    with tempfile.TemporaryDirectory(prefix="requete-profile-") as tmp:
        work = Path(tmp)
        requete_args = command_for(args.what, work, args.blocks)
        env = clean_env(cache_overlay(args.cache, work, requete_args))
        if args.pyinstrument:
            profiler = [PYTHON, "-m", "pyinstrument", "-r", "text", "-m", "requete"]
            subprocess.run(profiler + requete_args, env=env, cwd=work, check=True)
            return
        stats_file = work / "profile.pstats"
        profiler = [PYTHON, "-m", "cProfile", "-o", str(stats_file), "-m", "requete"]
        subprocess.run(profiler + requete_args, env=env, cwd=work, check=True)
        report(stats_file, args.top)


if __name__ == "__main__":
    main()
