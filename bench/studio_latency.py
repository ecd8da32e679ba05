"""How long the studio makes a lawyer wait: ``python bench/studio_latency.py [--runs N]``.

The studio runs over a copy of the EMC2 matter (uvicorn on 127.0.0.1, as `requete studio`
runs it); each page is fetched over HTTP N times and the median printed, next to the same
work done by the command line as whole processes (`requete check`, `requete build`). A page
is served by a process that stays up, so after the first request its library and templates
are read; the ratios say how much of the command's time is start-up and reading. Printed,
never asserted (timing stays out of the tests)."""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import running_studio  # noqa: E402


def _get(url: str, data: dict[str, str] | None = None) -> str:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Origin": url.split("/dossier")[0].rstrip("/"), "HX-Request": "true"}
    request = urllib.request.Request(url, data=body, headers=headers if body else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read().decode("utf-8", "replace")


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "emc2"
        shutil.copytree(ROOT / "cases" / "emc2", work)
        case = work / "annulation.yaml"
        cli = [sys.executable, "-m", "requete"]
        env_off = {"REQUETE_CACHE": "off"}
        import os

        env = {**os.environ, **env_off}
        check = _median(
            lambda: subprocess.run([*cli, "check", str(case)], env=env, capture_output=True), runs
        )
        out = Path(scratch) / "out.docx"
        build = _median(
            lambda: subprocess.run(
                [*cli, "build", str(case), "-o", str(out), "--force"], env=env, capture_output=True
            ),
            runs,
        )
        with running_studio(work) as url:
            page = f"{url}/dossier/annulation.yaml"
            first = _median(lambda: _get(page), 1)
            filing = _median(lambda: _get(page), runs)
            preview = _median(lambda: _get(page + "/apercu"), runs)
            docx = _median(lambda: _get(page + "/docx"), runs)

            def move() -> None:
                version = re.search(r'name="version" value="([0-9a-f]+)"', _get(page))
                assert version
                a, b = (
                    "moyen-exposition-surveillance-americaine",
                    "moyen-transferts-mesures-supplementaires",
                )
                _get(
                    page + "/operation",
                    {"action": "up", "block": b, "target": a, "version": version.group(1)},
                )
                version = re.search(r'name="version" value="([0-9a-f]+)"', _get(page))
                assert version
                _get(
                    page + "/operation",
                    {"action": "up", "block": a, "target": b, "version": version.group(1)},
                )

            moves = _median(move, runs) / 2
    print("| what | median | ratio to `requete check` |")
    print("|---|---|---|")
    print(f"| `requete check` (whole process, cache off) | {check:.3f} s | 1.00× |")
    print(f"| `requete build` (whole process) | {build:.3f} s | {build / check:.2f}× |")
    print(
        f"| studio: first filing page (library read) | {first:.3f} s | {first / check:.2f}× check |"
    )
    print(f"| studio: filing page (arguments, check) | {filing:.3f} s | {filing / check:.2f}× |")
    print(f"| studio: live preview | {preview:.3f} s | {preview / check:.2f}× |")
    print(f"| studio: .docx download (ratio to build) | {docx:.3f} s | {docx / build:.2f}× |")
    print(f"| studio: one move (verified, written) | {moves:.3f} s | {moves / check:.2f}× |")


if __name__ == "__main__":
    main()
