"""A .docx package read safely in memory: size-capped zip, hardened XML parser."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from lxml import etree

from requete.errors import DocxError, RequeteError
from requete.i18n import N_, _

Source = str | Path | bytes
"""A .docx given as a path or as its bytes."""

# Limits, all checked on the zip directory before anything is inflated. They are set so that
# whatever requete writes can be read back: a redline holds at most the new package plus the
# old text with its markup, so inputs within MAX_FILE give a redline within MAX_TOTAL; the
# ratio limit sits just under what deflate can physically reach (1,032:1), which honest XML,
# ours included, never comes near, and a declared size is enforced while inflating.
MAX_FILE: Final = 256 * 1024 * 1024  # bytes of the .docx itself
MAX_ENTRY: Final = 512 * 1024 * 1024  # declared uncompressed size of one entry
MAX_TOTAL: Final = 1024 * 1024 * 1024  # declared uncompressed size of all entries
MAX_RATIO: Final = 1000  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR: Final = 1024 * 1024
MAX_ENTRIES: Final = 10_000
CHUNK: Final = 1024 * 1024
METHODS: Final = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
DOCUMENT: Final = "word/document.xml"
OFFICE_DOCUMENT: Final = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_PKG_RELS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
FIXED_DATE: Final = (1980, 1, 1, 0, 0, 0)
NOT_DOCX: Final = N_("not a Word document (.docx)")
CORRUPT: Final = N_(
    "the file is damaged (corrupt zip data); re-save it from Word or fetch it again"
)
AN_XML_PART: Final = N_("an XML part")
# What a damaged archive raises while being read, beyond DocxError.
ZIP_ERRORS: Final = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError)
_DRIVE = re.compile(r"^[A-Za-z]:")


def xml_parser() -> etree.XMLParser:
    """A parser that resolves no entity, loads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )


def parse_xml(data: bytes, label: str, part: str = AN_XML_PART) -> etree._Element:
    """Parse one XML part; refuse DTDs (Word never writes one) and malformed XML."""
    shown = _(part) if part == AN_XML_PART else part
    try:
        tree = etree.fromstring(data, xml_parser()).getroottree()
    except etree.XMLSyntaxError as err:
        raise DocxError(
            _("not a Word document (.docx): {part} is malformed XML ({error})").format(
                part=shown, error=err
            ),
            path=label,
        ) from err
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise DocxError(
            _(
                "not a Word document (.docx): {part} declares a DTD, which Word never writes; "
                "refusing a possibly hostile file (re-save it from Word)"
            ).format(part=shown),
            path=label,
        )
    return tree.getroot()


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type (last segment), target part name or URL."""

    id: str
    type: str
    target: str
    external: bool
    uri: str = ""  # the full relationship type


@dataclass
class Package:
    """The entries of a .docx zip, checked against zip bombs, read on demand."""

    label: str
    infos: list[zipfile.ZipInfo]
    archive: zipfile.ZipFile = field(repr=False)
    dropped: list[str] = field(default_factory=list)  # unsafe entry names, never read
    main: str = DOCUMENT  # the main document part, found through _rels/.rels

    def __post_init__(self) -> None:
        self._by_name = {i.filename: i for i in self.infos}
        self._rels: dict[str, dict[str, Relationship]] = {}

    def infos_by(self, name: str) -> zipfile.ZipInfo:
        """The zip directory entry of a name (KeyError if absent)."""
        return self._by_name[name]

    def has(self, name: str) -> bool:
        """True if the package has an entry of that name."""
        return name in self._by_name

    def rels(self, part: str) -> dict[str, Relationship]:
        """The relationships of a part by id, targets resolved to part names (external
        targets kept as given); a part without a .rels file has none."""
        found = self._rels.get(part)
        if found is None:
            found = {}
            root = self.xml(rels_name(part))
            for rel in root.iter(_PKG_RELS) if root is not None else ():
                rid, target = rel.get("Id", ""), rel.get("Target", "")
                external = rel.get("TargetMode") == "External"
                name = target if external else resolve_target(part, target)
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                found[rid] = Relationship(rid, kind, name, external, rel.get("Type", ""))
            self._rels[part] = found
        return found

    def related(self, part: str, kind: str) -> list[str]:
        """Names of the parts of one relationship type (``footnotes``, ``header``…) of a
        part, present in the package."""
        return [
            rel.target
            for rel in self.rels(part).values()
            if rel.type == kind and not rel.external and rel.target in self._by_name
        ]

    def names(self) -> list[str]:
        """Entry names in archive order."""
        return [i.filename for i in self.infos]

    def read(self, name: str) -> bytes | None:
        """The bytes of one entry, or None if absent; inflated by chunks, never more than it
        declares (which the directory checks already bounded)."""
        info = self._by_name.get(name)
        if info is None:
            return None
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise DocxError(
                            _(
                                "not a Word document (.docx): entry {name} is larger than declared"
                            ).format(name=name),
                            self.label,
                        )
                    chunks.append(chunk)
        except DocxError:
            raise
        except ZIP_ERRORS as err:
            raise DocxError(
                _(
                    "the file is damaged (corrupt zip data); re-save it from Word or fetch it "
                    "again (entry {name}: {error})"
                ).format(name=name, error=err),
                path=self.label,
            ) from err
        if size != info.file_size:
            raise DocxError(
                _(
                    "the file is damaged (corrupt zip data); re-save it from Word or fetch it "
                    "again (entry {name} is shorter than declared)"
                ).format(name=name),
                self.label,
            )
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element | None:
        """One XML part parsed with the hardened parser, or None if absent."""
        data = self.read(name)
        return None if data is None else parse_xml(data, self.label, name)


def open_package(source: Source, label: str | None = None) -> Package:
    """Open a .docx from a path or bytes; raise DocxError if it is not one or looks hostile.
    Entries with unsafe names (``..``, absolute, drive letters) are dropped: never read,
    never copied into a redline, listed in ``Package.dropped``."""
    name = label or (str(source) if not isinstance(source, bytes) else "<bytes>")
    data = source if isinstance(source, bytes) else _read_file(Path(source), name)
    if len(data) > MAX_FILE:
        raise DocxError(
            _("not a Word document (.docx): file larger than {size} MB").format(
                size=MAX_FILE >> 20
            ),
            path=name,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as err:
        raise DocxError(
            _(
                "not a Word document (.docx): not a zip archive (a .doc, PDF or RTF?); "
                "save it as .docx in Word"
            ),
            path=name,
        ) from err
    everything = archive.infolist()
    check_directory(everything, name)
    infos = [i for i in everything if safe_name(i.filename)]
    dropped = [i.filename for i in everything if not safe_name(i.filename)]
    package = Package(name, infos, archive, dropped)
    main = [rel.target for rel in package.rels("").values() if rel.type == "officeDocument"]
    if main and package.has(main[0]):
        package.main = main[0]
    elif not package.has(DOCUMENT):
        raise DocxError(
            _("not a Word document (.docx): the archive has no {part}").format(part=DOCUMENT),
            path=name,
        )
    return package


def rels_name(part: str) -> str:
    """The relationships part of a part ("" is the package itself: _rels/.rels)."""
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def resolve_target(part: str, target: str) -> str:
    """A relationship target as a part name: relative to the part's folder, or absolute
    from the package root when it starts with /."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
    return "" if joined.startswith("..") else joined


def safe_name(name: str) -> bool:
    """An entry name that stays inside the package: relative, no ``..``, no drive, no NUL."""
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not (
        name.startswith(("/", "\\"))
        or _DRIVE.match(name)
        or "\0" in name
        or any(part == ".." for part in parts)
    )


def _read_file(path: Path, label: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise DocxError(
                _("not a Word document (.docx): file larger than {size} MB").format(
                    size=MAX_FILE >> 20
                ),
                path=label,
            )
        with path.open("rb") as handle:  # a file that grew since stat() is still bounded
            return handle.read(MAX_FILE + 1)
    except FileNotFoundError as err:
        raise DocxError(_("no such file; check the path"), path=label) from err
    except IsADirectoryError as err:
        raise DocxError(_("not a Word document (.docx): this is a directory"), path=label) from err
    except OSError as err:
        raise DocxError(
            _("cannot read the file ({reason})").format(reason=err.strerror), path=label
        ) from err


def check_zip(
    data: bytes,
    label: str | Path | None,
    error: type[RequeteError] = DocxError,
    max_total: int | None = None,
) -> list[zipfile.ZipInfo]:
    """The entries of a zip given as bytes, checked by :func:`check_directory` before
    anything is inflated (Word templates, styles files); ``error`` is raised otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except ZIP_ERRORS as err:
        raise error(
            _("not a Word document (.docx): not a zip archive ({error})").format(error=err), label
        ) from err
    check_directory(infos, label, error, max_total)
    return infos


def check_directory(
    infos: list[zipfile.ZipInfo],
    label: str | Path | None,
    error: type[RequeteError] = DocxError,
    max_total: int | None = None,
) -> None:
    """Refuse, from the zip directory alone (nothing inflated), an archive that declares too
    many entries, too much content, a ratio no honest deflate reaches, or a compression
    method Word never uses (bzip2, lzma: unbounded memory per chunk)."""
    if len(infos) > MAX_ENTRIES:
        raise error(
            _("not a Word document (.docx): more than {count} zip entries").format(
                count=MAX_ENTRIES
            ),
            path=label,
        )
    limit = MAX_TOTAL if max_total is None else max_total
    total = 0
    for info in infos:
        if info.compress_type not in METHODS:
            raise error(
                _(
                    "not a Word document (.docx): entry {name} uses compression method "
                    "{method}, which Word never writes; refusing to read it"
                ).format(name=info.filename, method=info.compress_type),
                path=label,
            )
        if info.flag_bits & 0x1:
            raise error(
                _("not a Word document (.docx): entry {name} is encrypted").format(
                    name=info.filename
                ),
                path=label,
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > min(MAX_ENTRY, limit)
        if too_big or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise error(
                _(
                    "not a Word document (.docx): entry {name} expands to {size} MB, "
                    "{ratio:.0f} times (zip bomb?); refusing to read it"
                ).format(name=info.filename, size=info.file_size >> 20, ratio=ratio),
                path=label,
            )
    if total > limit:
        raise error(
            _(
                "not a Word document (.docx): uncompressed content exceeds {size} MB "
                "(zip bomb?); refusing to read it"
            ).format(size=limit >> 20),
            path=label,
        )


def write_package(entries: Iterable[tuple[str, bytes, int]], level: int | None = None) -> bytes:
    """A zip of (name, data, compress_type) entries with fixed dates: same input, same bytes.
    Entries may come from a generator: each is compressed and dropped before the next.
    ``level`` is the deflate level (zlib's default when None)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = compression
            info.external_attr = 0o600 << 16
            info.create_system = 0
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def serialise(root: etree._Element) -> bytes:
    """An XML part as Word writes it: UTF-8, declaration, standalone."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
