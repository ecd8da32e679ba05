"""A .docx package read safely in memory: size-capped zip, hardened XML parser."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from lxml import etree

from requete.errors import DocxError

Source = str | Path | bytes
"""A .docx given as a path or as its bytes."""

MAX_FILE: Final = 200 * 1024 * 1024
MAX_TOTAL: Final = 200 * 1024 * 1024
MAX_RATIO: Final = 200
MAX_ENTRIES: Final = 10_000
DOCUMENT: Final = "word/document.xml"
FIXED_DATE: Final = (1980, 1, 1, 0, 0, 0)
NOT_DOCX: Final = "not a Word document (.docx)"


def xml_parser() -> etree.XMLParser:
    """A parser that resolves no entity, loads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )


def parse_xml(data: bytes, label: str, part: str = "an XML part") -> etree._Element:
    """Parse one XML part; refuse DTDs (Word never writes one) and malformed XML."""
    try:
        tree = etree.fromstring(data, xml_parser()).getroottree()
    except etree.XMLSyntaxError as err:
        raise DocxError(f"{NOT_DOCX}: {part} is malformed XML ({err})", path=label) from err
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise DocxError(
            f"{NOT_DOCX}: {part} declares a DTD, which Word never writes; refusing a possibly "
            "hostile file (re-save it from Word)",
            path=label,
        )
    return tree.getroot()


@dataclass
class Package:
    """The entries of a .docx zip, checked against zip bombs, read on demand."""

    label: str
    infos: list[zipfile.ZipInfo]
    archive: zipfile.ZipFile = field(repr=False)

    def __post_init__(self) -> None:
        self._by_name = {i.filename: i for i in self.infos}

    def names(self) -> list[str]:
        """Entry names in archive order."""
        return [i.filename for i in self.infos]

    def read(self, name: str) -> bytes | None:
        """The bytes of one entry, or None if absent; never more than it declares."""
        info = self._by_name.get(name)
        if info is None:
            return None
        try:
            with self.archive.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as err:
            raise DocxError(f"{NOT_DOCX}: corrupt entry {name} ({err})", path=self.label) from err
        if len(data) > info.file_size:
            raise DocxError(f"{NOT_DOCX}: entry {name} is larger than declared", self.label)
        return data

    def xml(self, name: str) -> etree._Element | None:
        """One XML part parsed with the hardened parser, or None if absent."""
        data = self.read(name)
        return None if data is None else parse_xml(data, self.label, name)


def open_package(source: Source, label: str | None = None) -> Package:
    """Open a .docx from a path or bytes; raise DocxError if it is not one or looks hostile."""
    name = label or (str(source) if not isinstance(source, bytes) else "<bytes>")
    data = source if isinstance(source, bytes) else _read_file(Path(source), name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DocxError(
            f"{NOT_DOCX}: not a zip archive (a .doc, PDF or RTF?); save it as .docx in Word",
            path=name,
        ) from err
    infos = archive.infolist()
    _check_sizes(infos, name)
    if not any(i.filename == DOCUMENT for i in infos):
        raise DocxError(f"{NOT_DOCX}: the archive has no {DOCUMENT}", path=name)
    return Package(name, infos, archive)


def _read_file(path: Path, label: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise DocxError(f"{NOT_DOCX}: file larger than {MAX_FILE >> 20} MB", path=label)
        return path.read_bytes()
    except FileNotFoundError as err:
        raise DocxError("no such file; check the path", path=label) from err
    except IsADirectoryError as err:
        raise DocxError(f"{NOT_DOCX}: this is a directory", path=label) from err
    except OSError as err:
        raise DocxError(f"cannot read the file ({err.strerror})", path=label) from err


def _check_sizes(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise DocxError(f"{NOT_DOCX}: more than {MAX_ENTRIES} zip entries", path=label)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise DocxError(
                f"{NOT_DOCX}: entry {info.filename} expands {ratio:.0f} times "
                "(zip bomb?); refusing to read it",
                path=label,
            )
    if total > MAX_TOTAL:
        raise DocxError(
            f"{NOT_DOCX}: uncompressed content exceeds {MAX_TOTAL >> 20} MB (zip bomb?); "
            "refusing to read it",
            path=label,
        )


def write_package(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, data, compress_type) entries with fixed dates: same input, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = compression
            info.external_attr = 0o600 << 16
            info.create_system = 0
            archive.writestr(info, data)
    return buffer.getvalue()


def serialise(root: etree._Element) -> bytes:
    """An XML part as Word writes it: UTF-8, declaration, standalone."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
