"""Whole-process timing: interleaved subprocess runs, medians, figures and the results table.

Every timed process gets ``clean_env()``: no extra library layers, no colours, bytecode
allowed, and the on-disk cache off (``REQUETE_CACHE=off``) unless the command says where its
cache is. A command says so by being a ``Timed``: its arguments and the variables it adds
to the clean environment, fixed (``cache_in(dir)``; ``warmed`` fills that directory with
one untimed run: a warm cache) or made afresh before each run, outside the timing
(``fresh_cache(parent)``: a new, empty cache directory per run, i.e. a cold cache).
"""

from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
REQUETE = str(Path(sys.executable).parent / "requete")
Command = Sequence[str | Path]
# Variables a command adds to clean_env(); None removes one.
Overlay = Mapping[str, str | None]
CACHE_OFF: Overlay = {"REQUETE_CACHE": "off", "REQUETE_CACHE_DIR": None}
# Inherited variables that would change what is measured.
DROPPED = ("REQUETE_LIBRARY", "REQUETE_CACHE", "REQUETE_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")


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
    failed: bool = False  # not measured because a command under test failed

    def row(self) -> list[str]:
        """The figure as Markdown table cells."""
        value = "n/a" if self.seconds is None else f"{self.seconds:.3f} s"
        ratio = f"{self.ratio:.2f}× {self.ratio_of}".strip() if self.ratio is not None else ""
        verdict = {True: "met", False: "NOT met", None: ""}[self.met]
        return [self.name, value, ratio, self.target, verdict, self.note]


@dataclass(frozen=True)
class Timed:
    """A command to time and the variables it adds to ``clean_env()``: a fixed overlay, or a
    function called before each run (outside the timing) that returns one."""

    args: Command
    env: Overlay | Callable[[], Overlay] = field(default_factory=dict)

    def overlay(self) -> Overlay:
        """The variables for the next run (a new one each time when ``env`` is a function)."""
        return self.env() if callable(self.env) else self.env


def clean_env(overlay: Overlay | None = None) -> dict[str, str]:
    """The environment for benchmarked commands: no extra library layers, no colours,
    bytecode written and read (PYTHONDONTWRITEBYTECODE dropped), the cache off unless
    ``overlay`` says where it is; then ``overlay`` (None values remove a variable)."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update({"NO_COLOR": "1", "TERM": "dumb"})
    for key, value in {**CACHE_OFF, **(overlay or {})}.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def cache_in(directory: Path) -> Overlay:
    """The overlay of a cache kept in ``directory`` (the cache on)."""
    return {"REQUETE_CACHE": None, "REQUETE_CACHE_DIR": str(directory)}


def fresh_cache(parent: Path) -> Callable[[], Overlay]:
    """A cold cache: each run gets a new, empty cache directory under ``parent``."""

    def overlay() -> Overlay:
        parent.mkdir(parents=True, exist_ok=True)
        return cache_in(Path(tempfile.mkdtemp(prefix="cold-", dir=parent)))

    return overlay


def warmed(args: Command, cache: Path, cwd: Path) -> Timed:
    """A warm cache: ``args`` with its cache in ``cache``, filled by one untimed run now."""
    command = Timed(args, cache_in(cache))
    run_once(command, cwd)
    if not cache.is_dir() or not any(cache.iterdir()):
        say(f"  note: the warm-up run left {cache} empty: this requete keeps no cache there")
    return command


def compile_requete() -> None:
    """Byte-compile the requete package, so that no timed process compiles it from source."""
    spec = importlib.util.find_spec("requete")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        proc = subprocess.run(
            [PYTHON, "-m", "compileall", "-q", location],
            env=clean_env(),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:  # a module that does not compile fails where it is timed
            say(f"compileall {location}: exit {proc.returncode}: {proc.stdout.strip()[:200]}")


def run_once(command: Command | Timed, cwd: Path) -> float:
    """Wall time of one run of ``command``; raises CommandFailed when it fails."""
    timed = command if isinstance(command, Timed) else Timed(command)
    args = [str(part) for part in timed.args]
    env = clean_env(timed.overlay())
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines() or ["(no output)"]
        errors = [line for line in lines if "error" in line.lower()] or lines
        raise CommandFailed(f"{Path(args[0]).name} {args[1]}: exit {proc.returncode}: {errors[0]}")
    return elapsed


def interleaved(
    commands: Mapping[str, Command | Timed], repeats: int, cwd: Path, budget: float | None = None
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
