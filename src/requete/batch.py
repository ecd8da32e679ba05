"""Build many filings, in parallel worker processes (one per core by default)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from requete.errors import RequeteError
from requete.i18n import N_, _


@dataclass(frozen=True)
class BatchResult:
    """Outcome of one case: the file written, or the error message."""

    case: Path
    output: Path
    error: str | None = None


def output_names(cases: list[Path], outdir: Path) -> list[Path]:
    """One .docx per case in ``outdir``; cases with the same name get their folder's name."""
    stems = [c.stem for c in cases]
    names = []
    for case, stem in zip(cases, stems, strict=True):
        unique = stems.count(stem) == 1
        names.append(outdir / (f"{stem}.docx" if unique else f"{case.parent.name}-{stem}.docx"))
    if len(set(names)) != len(names):
        raise RequeteError(_("two cases would write the same output file; rename one of them"))
    return names


def make_outdir(outdir: Path) -> None:
    """Create the output folder (and its parents) if needed; one message when it cannot be."""
    from requete.output import io_error

    try:
        if outdir.exists() and not outdir.is_dir():
            raise RequeteError(_("exists and is not a folder: give -o a folder"), outdir)
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise io_error(N_("create the output folder"), outdir, err) from err


def build_one(case: Path, output: Path, libraries: tuple[Path, ...], force: bool) -> BatchResult:
    """Build one case to ``output``; errors are returned, not raised (worker-safe). The
    output never replaces one of the case's inputs (case, matter, template, pièce)."""
    from requete import cache
    from requete.output import describe_os_error, protected_paths, write_atomic
    from requete.pipeline import build_docx, open_case

    try:
        session = open_case(case, libraries, notes=False)
        data, _ = build_docx(session)
        write_atomic(output, data, force, protected_paths(session))
    except RequeteError as err:
        return BatchResult(case, output, str(err))
    except OSError as err:
        return BatchResult(case, output, str(RequeteError(describe_os_error(err), output)))
    finally:
        cache.flush()  # a pool worker ends without running atexit
    return BatchResult(case, output)


def build_many(
    cases: list[Path],
    outdir: Path,
    libraries: tuple[Path, ...] = (),
    jobs: int | None = None,
    force: bool = False,
) -> Iterator[BatchResult]:
    """Yield each case's result as it completes; ``jobs=1`` builds in this process."""
    outputs = output_names(cases, outdir)
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(cases) == 1:
        for case, output in zip(cases, outputs, strict=True):
            yield build_one(case, output, libraries, force)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(build_one, c, o, libraries, force)
            for c, o in zip(cases, outputs, strict=True)
        ]
        for future in as_completed(futures):
            yield future.result()
