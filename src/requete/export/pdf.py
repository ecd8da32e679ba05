"""PDF through LibreOffice headless: one process for many files, PDF/A-2b, atomic writes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from requete.errors import ExportError
from requete.output import current_umask

INSTALL_HINT = (
    "install it with `apt-get install libreoffice-writer-nogui` (Debian, Ubuntu) or from "
    "https://www.libreoffice.org/download/, then retry"
)

# LibreOffice exports each kind of document through its own filter; the Debian package that
# provides it is named in the error when a file cannot be loaded.
_FILTERS = {
    "writer_pdf_Export": (
        {".docx", ".doc", ".odt", ".rtf", ".txt", ".html", ".htm", ".fodt", ".wpd"},
        "libreoffice-writer-nogui",
    ),
    "calc_pdf_Export": ({".xlsx", ".xls", ".ods", ".csv", ".fods"}, "libreoffice-calc-nogui"),
    "impress_pdf_Export": ({".pptx", ".ppt", ".odp", ".fodp"}, "libreoffice-impress-nogui"),
    "draw_pdf_Export": (
        {".odg", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".svg"},
        "libreoffice-draw-nogui",
    ),
}
# PDF/A-2b. The JSON form of filter options needs LibreOffice 7.4 or later (checked with 7.4.7).
_PDFA_OPTIONS = '{"SelectPdfVersion":{"type":"long","value":"2"}}'
SECONDS_PER_FILE = 30.0
SECONDS_TO_START = 60.0


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise an ExportError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError(f"LibreOffice (soffice) not found: {INSTALL_HINT}")


def convert_to_pdf(
    inputs: list[Path],
    outdir: Path | None = None,
    pdfa: bool = True,
    force: bool = False,
    timeout: float | None = None,
) -> list[Path]:
    """Convert documents to PDF with one LibreOffice run per kind; return the PDFs written.

    ``outdir`` None writes each PDF beside its input. Nothing is written unless every file
    converts; an existing PDF is an error unless ``force``.
    """
    if not inputs:
        return []
    targets = _plan(inputs, outdir, force)
    soffice = find_soffice()
    limit = timeout or SECONDS_TO_START + SECONDS_PER_FILE * len(inputs)
    with tempfile.TemporaryDirectory(prefix="requete-pdf-") as scratch:
        profile = Path(scratch) / "profile"
        produced: dict[Path, Path] = {}
        for index, batch in enumerate(_batches(inputs)):
            staging = Path(scratch) / f"out{index}"
            for filter_name, members in _group_by_filter(batch).items():
                _run(soffice, profile, _convert_to(filter_name, pdfa), staging, members, limit)
            produced.update({source: staging / f"{source.stem}.pdf" for source in batch})
        _check_produced(inputs, produced)
        for source, target in zip(inputs, targets, strict=True):
            _install(produced[source], target, force)
    return targets


def _plan(inputs: list[Path], outdir: Path | None, force: bool) -> list[Path]:
    """Check the inputs and choose each PDF's path, before anything is written."""
    targets: list[Path] = []
    for source in inputs:
        if not source.is_file():
            raise ExportError("file not found: check the path", source)
        _filter_for(source)
        target = (outdir or source.parent) / f"{source.stem}.pdf"
        if target in targets:
            raise ExportError(f"two inputs would both write {target}: rename one of them", source)
        if target.exists() and not force:
            raise ExportError(f"{target} exists: use --force to overwrite it", source)
        targets.append(target)
    return targets


def _batches(inputs: list[Path]) -> list[list[Path]]:
    """Split the inputs so that no two in a batch share a stem (LibreOffice names by stem)."""
    batches: list[list[Path]] = []
    for source in inputs:
        batch = next((b for b in batches if all(o.stem != source.stem for o in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(source)
    return batches


def _filter_for(source: Path) -> str:
    """Name the LibreOffice export filter for this kind of document."""
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        raise ExportError("is already a PDF: nothing to convert", source)
    for name, (known, _package) in _FILTERS.items():
        if suffix in known:
            return name
    accepted = ", ".join(sorted(s for kinds, _ in _FILTERS.values() for s in kinds))
    raise ExportError(f"cannot convert '{suffix}' files to PDF; accepted: {accepted}", source)


def _group_by_filter(inputs: list[Path]) -> dict[str, list[Path]]:
    """Sort the inputs by the export filter their kind needs (usually all Writer: one run)."""
    groups: dict[str, list[Path]] = {}
    for source in inputs:
        groups.setdefault(_filter_for(source), []).append(source)
    return groups


def _convert_to(filter_name: str, pdfa: bool) -> str:
    return f"pdf:{filter_name}:{_PDFA_OPTIONS}" if pdfa else f"pdf:{filter_name}"


def _run(
    soffice: str, profile: Path, convert_to: str, outdir: Path, files: list[Path], limit: float
) -> None:
    """Run one headless LibreOffice on ``files``, with a private profile and a time limit."""
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",  # private: concurrent runs don't clash
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        convert_to,
        "--outdir",
        str(outdir),
        *(str(f.resolve()) for f in files),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a timeout ends soffice.bin too
    )
    try:
        process.communicate(timeout=limit)
    except subprocess.TimeoutExpired as err:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ExportError(
            f"LibreOffice did not finish converting {len(files)} file(s) within {limit:.0f} s: "
            "close any dialog, check the files open in LibreOffice, then retry"
        ) from err
    except OSError as err:
        raise ExportError(f"cannot run LibreOffice ({err}): {INSTALL_HINT}") from err


def _check_produced(inputs: list[Path], produced: dict[Path, Path]) -> None:
    """Raise one ExportError naming every input LibreOffice could not convert."""
    failed = [source for source in inputs if not _nonempty(produced[source])]
    if not failed:
        return
    names = ", ".join(str(source) for source in failed)
    packages = ", ".join(sorted({_FILTERS[_filter_for(source)][1] for source in failed}))
    raise ExportError(
        f"LibreOffice could not convert {names}: check that each opens in LibreOffice "
        "(a damaged or password-protected file cannot be converted) and that "
        f"{packages} is installed; nothing was written"
    )


def _nonempty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _install(source: Path, target: Path, force: bool) -> None:
    """Copy ``source`` beside ``target`` then rename it into place (atomic on one filesystem)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not force:
        raise ExportError(f"{target} appeared during the conversion: use --force to overwrite it")
    handle, partial = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, partial)
        os.chmod(partial, 0o666 & ~current_umask())  # mkstemp made it private
        os.replace(partial, target)
    except OSError as err:
        Path(partial).unlink(missing_ok=True)
        raise ExportError(f"cannot write {target} ({err}): check the folder's permissions") from err
