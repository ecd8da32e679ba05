"""Whole-process timing: interleaved subprocess runs, medians, figures and the results table."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
REQUETE = str(Path(sys.executable).parent / "requete")
Command = Sequence[str | Path]


class CommandFailed(RuntimeError):
    """A benchmarked command exited with an error."""


@dataclass
class Figure:
    """One line of the results table."""

    name: str
    seconds: float | None
    ratio: float | None = None
    ratio_of: str = ""
    target: str = "—"
    met: bool | None = None
    note: str = ""

    def row(self) -> list[str]:
        """The figure as Markdown table cells."""
        value = "n/a" if self.seconds is None else f"{self.seconds:.3f} s"
        ratio = f"{self.ratio:.2f}× {self.ratio_of}".strip() if self.ratio is not None else ""
        verdict = {True: "met", False: "NOT met", None: ""}[self.met]
        return [self.name, value, ratio, self.target, verdict, self.note]


def clean_env() -> dict[str, str]:
    """The environment for benchmarked commands: no extra library layers, no colours."""
    env = {k: v for k, v in os.environ.items() if k != "REQUETE_LIBRARY"}
    env.update({"NO_COLOR": "1", "TERM": "dumb"})
    return env


def run_once(command: Command, cwd: Path) -> float:
    """Wall time of one run of ``command``; raises CommandFailed when it fails."""
    args = [str(part) for part in command]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=clean_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines() or ["(no output)"]
        errors = [line for line in lines if "error" in line.lower()] or lines
        raise CommandFailed(f"{Path(args[0]).name} {args[1]}: exit {proc.returncode}: {errors[0]}")
    return elapsed


def interleaved(
    commands: dict[str, Command], repeats: int, cwd: Path, budget: float | None = None
) -> tuple[dict[str, float], int]:
    """Median wall time of each command, run in turn ``repeats`` times, and the rounds run.

    With ``budget`` (seconds), stop after the first round that ends past it (slow inputs).
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    started = time.perf_counter()
    rounds = 0
    for rounds in range(1, repeats + 1):
        for name, command in commands.items():
            times[name].append(run_once(command, cwd))
        done = ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items())
        say(f"  run {rounds}/{repeats}: {done}")
        if budget is not None and time.perf_counter() - started > budget:
            break
    return {name: statistics.median(values) for name, values in times.items()}, rounds


def say(text: str) -> None:
    """Progress on stderr, so stdout keeps only the results."""
    print(text, file=sys.stderr, flush=True)


def machine() -> str:
    """One line naming the machine: cores, CPU model, Python, OS."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table."""
    head = ["figure", "value", "ratio", "target", "met", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(f.row()) + " |" for f in figures]
    return "\n".join(lines)
