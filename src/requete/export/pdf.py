"""PDF through LibreOffice headless: one process for many files, PDF/A-2b, atomic writes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from requete.errors import ExportError
from requete.i18n import N_, _
from requete.output import WRITE_FILE, Outputs, io_error, refuse_existing

INSTALL_HINT = N_(
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
    raise ExportError(_("LibreOffice (soffice) not found: {hint}").format(hint=_(INSTALL_HINT)))


def convert_to_pdf(
    inputs: list[Path],
    outdir: Path | None = None,
    pdfa: bool = True,
    force: bool = False,
    timeout: float | None = None,
) -> list[Path]:
    """Convert documents to PDF with one LibreOffice run per kind; return the PDFs written.

    ``outdir`` None writes each PDF beside its input. Nothing is written unless every file
    converts and every PDF can be written (all or nothing); an existing PDF is an error
    unless ``force``.
    """
    if not inputs:
        return []
    targets = _plan(inputs, outdir, force)
    made = _make_folder(outdir)
    try:
        with converted(inputs, pdfa, timeout) as produced, Outputs(force) as outputs:
            for source, target in zip(inputs, targets, strict=True):
                outputs.add_copy(target, produced[source])
            return outputs.commit()
    except BaseException:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        raise


def write_with_pdf(
    target: Path, data: bytes, force: bool = False, protected: Iterable[Path] = ()
) -> list[Path]:
    """Write the Word file ``target`` and its PDF beside it, both or neither (`build --pdf`)."""
    pdf_target = target.with_suffix(".pdf")
    for path in (target, pdf_target):
        refuse_existing(path, force, protected)
    with _scratch("requete-build-") as scratch:
        source = Path(scratch) / target.name
        try:
            source.write_bytes(data)
        except OSError as err:
            raise io_error(N_("write a temporary file"), source, err) from err
        with converted([source]) as produced, Outputs(force) as outputs:
            outputs.add_bytes(target, data)
            outputs.add_copy(pdf_target, produced[source])
            return outputs.commit()


@contextmanager
def converted(
    inputs: list[Path], pdfa: bool = True, timeout: float | None = None
) -> Iterator[dict[Path, Path]]:
    """Convert ``inputs`` into a temporary folder; yield input -> PDF made; the folder (and
    LibreOffice's own temporary files) is removed at the end, whatever happens."""
    soffice = find_soffice()
    limit = timeout or SECONDS_TO_START + SECONDS_PER_FILE * len(inputs)
    with _scratch("requete-pdf-") as scratch:
        profile = Path(scratch) / "profile"
        produced: dict[Path, Path] = {}
        for index, batch in enumerate(_batches(inputs)):
            staging = Path(scratch) / f"out{index}"
            for filter_name, members in _group_by_filter(batch).items():
                _run(soffice, profile, _convert_to(filter_name, pdfa), staging, members, limit)
            produced.update({source: staging / f"{source.stem}.pdf" for source in batch})
        _check_produced(inputs, produced)
        yield produced


@contextmanager
def _scratch(prefix: str) -> Iterator[str]:
    """A private temporary folder, removed at the end (an error making it is one message)."""
    try:
        folder = tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)
    except OSError as err:
        raise io_error(N_("create a temporary folder"), tempfile.gettempdir(), err) from err
    with folder as name:
        yield name


def _make_folder(outdir: Path | None) -> Path | None:
    """Create ``outdir`` if needed; return the topmost folder created (removed on failure)."""
    if outdir is None or outdir.is_dir():
        return None
    if outdir.exists() or outdir.is_symlink():
        raise ExportError(_("exists and is not a folder: give -o a folder"), outdir)
    top = outdir
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    try:
        outdir.mkdir(parents=True)
    except OSError as err:
        raise io_error(N_("create the folder"), outdir, err) from err
    return top


def _plan(inputs: list[Path], outdir: Path | None, force: bool) -> list[Path]:
    """Check the inputs and choose each PDF's path, before anything is written."""
    targets: list[Path] = []
    for source in inputs:
        if not source.is_file():
            raise ExportError(_("file not found: check the path"), source)
        _filter_for(source)
        target = (outdir or source.parent) / f"{source.stem}.pdf"
        if target in targets:
            raise ExportError(
                _("two inputs would both write {path}: rename one of them").format(path=target),
                source,
            )
        try:
            exists = target.exists()
        except OSError as err:
            raise io_error(WRITE_FILE, target, err) from err
        if target.is_dir():
            raise ExportError(
                _("{path} is a folder: rename it or choose another -o").format(path=target), source
            )
        if exists and not force:
            raise ExportError(
                _("{path} exists: use --force to overwrite it").format(path=target), source
            )
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
        raise ExportError(_("is already a PDF: nothing to convert"), source)
    for name, (known, _package) in _FILTERS.items():
        if suffix in known:
            return name
    accepted = ", ".join(sorted(s for kinds, _package in _FILTERS.values() for s in kinds))
    raise ExportError(
        _("cannot convert '{suffix}' files to PDF; accepted: {accepted}").format(
            suffix=suffix, accepted=accepted
        ),
        source,
    )


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
    temp = profile.parent / "tmp"  # LibreOffice's own temporary files, removed with the folder
    temp.mkdir(exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(temp), "TMP": str(temp), "TEMP": str(temp)}
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,  # its own process group: stopping it ends soffice.bin too
        )
    except OSError as err:
        raise ExportError(
            _("cannot run LibreOffice ({error}): {hint}").format(error=err, hint=_(INSTALL_HINT))
        ) from err
    try:
        process.communicate(timeout=limit)
    except subprocess.TimeoutExpired as err:
        _stop(process)
        raise ExportError(
            _(
                "LibreOffice did not finish converting {count} file(s) within {limit:.0f} s: "
                "close any dialog, check the files open in LibreOffice, then retry"
            ).format(count=len(files), limit=limit)
        ) from err
    except BaseException:  # Ctrl-C, SIGTERM (see output.signals_as_interrupts), an error
        _stop(process)
        raise


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice's whole process group (oosplash and soffice.bin) and reap it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)


def _check_produced(inputs: list[Path], produced: dict[Path, Path]) -> None:
    """Raise one ExportError naming every input LibreOffice could not convert."""
    failed = [source for source in inputs if not _nonempty(produced[source])]
    if not failed:
        return
    names = ", ".join(str(source) for source in failed)
    packages = ", ".join(sorted({_FILTERS[_filter_for(source)][1] for source in failed}))
    raise ExportError(
        _(
            "LibreOffice could not convert {names}: check that each opens in LibreOffice "
            "(a damaged or password-protected file cannot be converted) and that "
            "{packages} is installed; nothing was written"
        ).format(names=names, packages=packages)
    )


def _nonempty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0
