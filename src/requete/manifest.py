"""The build manifest carried inside a .docx as a Custom XML Data part.

The manifest itself is typed (:class:`Manifest`, frozen dataclasses): the build writes it with
:meth:`Manifest.to_json` and every reader (``requete manifest``, the diff's argument summary)
reads it back with :meth:`Manifest.from_json`; ``docs/schema/manifest.schema.json`` describes
its JSON and ``docs/manifest.md`` its fields. Paths are never absolute nor relative to the
working directory: the case file is named relative to its own directory, a block by its layer
(``built-in``, or the layer root relative to the case file's directory) and its path inside
that layer, so the same case builds to the same bytes from any working directory.

Layout (as Word writes custom XML, so Word and LibreOffice keep the file valid):
``customXml/itemN.xml`` holds ``<rq:manifest xmlns:rq="urn:requete:manifest">JSON</rq:manifest>``,
``customXml/itemPropsN.xml`` gives it a fixed datastore ItemID, ``customXml/_rels/itemN.xml.rels``
links the two, ``word/_rels/document.xml.rels`` points at the item, and ``[Content_Types].xml``
declares the properties part.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, NoReturn, TypeVar

from lxml import etree

from requete.errors import DocxError
from requete.i18n import _
from requete.ooxml.names import CT_NS, PKG_REL_NS
from requete.ooxml.package import Package, Source, open_package, parse_xml, write_package

VERSION: Final = 1
"""The manifest format this requete writes and the newest it reads (absent: 1)."""

BUILTIN_LAYER: Final = "built-in"
CASE_LAYER: Final = "case"
_T = TypeVar("_T")


class ManifestError(DocxError):
    """The manifest a .docx carries is malformed or newer than this requete reads."""


@dataclass(frozen=True)
class BlockRecord:
    """A block of the filing: where it came from (``file`` inside ``layer``) and digests."""

    id: str
    title: str = ""
    section: str = ""
    version: int = 1
    layer: str = ""
    file: str = ""
    line: int = 0
    operations: tuple[str, ...] = ()
    text_sha1: str = ""
    comment_sha1: str | None = None


@dataclass(frozen=True)
class ParagraphRecord:
    """A paragraph of the body or the conclusions, in reading order, with its block."""

    text_sha1: str
    kind: str = "para"
    number: int | None = None
    block: str | None = None


@dataclass(frozen=True)
class PieceRecord:
    """A pièce of the inventaire."""

    number: int
    key: str
    label: str = ""


@dataclass(frozen=True)
class Manifest:
    """Provenance of a filing: case, procedure, layers, blocks, paragraphs, precedents, pièces.

    ``case_file`` is relative to the case file's directory; ``layers`` (lowest priority
    first) are ``built-in`` or a layer root relative to that directory; a block's ``file`` is
    relative to the root of its ``layer`` (to the case file's directory when ``layer`` is
    ``case``)."""

    version: int = VERSION
    requete_version: str = ""
    case_file: str = ""
    procedure: str = ""
    filing_date: str = ""
    set_chain: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    blocks: tuple[BlockRecord, ...] = ()
    paragraphs: tuple[ParagraphRecord, ...] = ()
    precedents: tuple[str, ...] = ()
    pieces: tuple[PieceRecord, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The manifest as JSON-ready values (fields in declaration order)."""
        return {
            "version": self.version,
            "requete_version": self.requete_version,
            "case_file": self.case_file,
            "procedure": self.procedure,
            "filing_date": self.filing_date,
            "set_chain": list(self.set_chain),
            "layers": list(self.layers),
            "blocks": [
                {
                    "id": b.id,
                    "title": b.title,
                    "section": b.section,
                    "version": b.version,
                    "layer": b.layer,
                    "file": b.file,
                    "line": b.line,
                    "operations": list(b.operations),
                    "text_sha1": b.text_sha1,
                    "comment_sha1": b.comment_sha1,
                }
                for b in self.blocks
            ],
            "paragraphs": [
                {"number": p.number, "block": p.block, "kind": p.kind, "text_sha1": p.text_sha1}
                for p in self.paragraphs
            ],
            "precedents": list(self.precedents),
            "pieces": [{"number": p.number, "key": p.key, "label": p.label} for p in self.pieces],
        }

    def to_json(self, indent: int | None = None) -> str:
        """Deterministic JSON: sorted keys, fixed separators, UTF-8 text kept as is."""
        return _dumps(self.to_dict(), indent)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """The manifest of ``text``; raise ManifestError if malformed or too new."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ManifestError(
                _("the requete manifest is not valid JSON ({error})").format(error=err)
            ) from err
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> Manifest:
        """The manifest of JSON values; a manifest without ``version`` (written before the
        field existed) is read as version 1; fields a reader does not know are ignored."""
        if not isinstance(data, Mapping):
            raise ManifestError(_("the requete manifest is not a JSON object"))
        version = data.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ManifestError(
                _("the requete manifest has an invalid version ({version!r})").format(
                    version=version
                )
            )
        if version > VERSION:
            raise ManifestError(
                _(
                    "the requete manifest is version {version}, newer than this requete reads "
                    "(up to {supported}): upgrade requete"
                ).format(version=version, supported=VERSION)
            )
        return cls(
            version=version,
            requete_version=_get(data, "requete_version", str, ""),
            case_file=_get(data, "case_file", str, ""),
            procedure=_get(data, "procedure", str, ""),
            filing_date=_get(data, "filing_date", str, ""),
            set_chain=_strings(data, "set_chain"),
            layers=tuple(
                _layer_name(item, f"layers[{i}]") for i, item in enumerate(_list(data, "layers"))
            ),
            blocks=tuple(
                _block(_object(item, f"blocks[{i}]"), f"blocks[{i}]")
                for i, item in enumerate(_list(data, "blocks"))
            ),
            paragraphs=tuple(
                _paragraph(_object(item, f"paragraphs[{i}]"), f"paragraphs[{i}]")
                for i, item in enumerate(_list(data, "paragraphs"))
            ),
            precedents=_strings(data, "precedents"),
            pieces=tuple(
                _piece(_object(item, f"pieces[{i}]"), f"pieces[{i}]")
                for i, item in enumerate(_list(data, "pieces"))
            ),
        )

    def block(self, block_id: str) -> BlockRecord | None:
        """The record of block ``block_id``, or None."""
        return next((b for b in self.blocks if b.id == block_id), None)


def _dumps(data: object, indent: int | None = None) -> str:
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=separators, indent=indent
    )


def _bad(where: str, expected: str) -> ManifestError:
    return ManifestError(
        _("the requete manifest is malformed: {field} should be {expected}").format(
            field=where, expected=expected
        )
    )


def _get(data: Mapping[str, Any], key: str, kind: type[_T], default: _T, where: str = "") -> _T:
    value = data.get(key, default)
    if kind is int and isinstance(value, bool):
        raise _bad(where + key, kind.__name__)
    if not isinstance(value, kind):
        raise _bad(where + key, kind.__name__)
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type[_T], where: str) -> _T | None:
    if data.get(key) is None:
        return None
    value: _T = _get(data, key, kind, kind(), where)
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    return _get(data, key, list, [])


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = _list(data, key)
    if not all(isinstance(v, str) for v in values):
        raise _bad(key, "list")
    return tuple(values)


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _bad(where, "object")
    return value


def _layer_name(value: object, where: str) -> str:
    if isinstance(value, Mapping):  # written before version 1 was typed: {"name", "root"}
        value = value.get("name")
    if not isinstance(value, str):
        raise _bad(where, "str")
    return value


def _block(data: Mapping[str, Any], where: str) -> BlockRecord:
    at = where + "."
    operations = data.get("operations", [])
    if not isinstance(operations, list) or not all(isinstance(o, str) for o in operations):
        raise _bad(at + "operations", "list")
    return BlockRecord(
        id=_get(data, "id", str, "", at) if "id" in data else _missing(at + "id"),
        title=_get(data, "title", str, "", at),
        section=_get(data, "section", str, "", at),
        version=_get(data, "version", int, 1, at),
        layer=_get(data, "layer", str, "", at),
        file=_get(data, "file", str, "", at),
        line=_get(data, "line", int, 0, at),
        operations=tuple(operations),
        text_sha1=_get(data, "text_sha1", str, "", at),
        comment_sha1=_optional(data, "comment_sha1", str, at),
    )


def _paragraph(data: Mapping[str, Any], where: str) -> ParagraphRecord:
    at = where + "."
    return ParagraphRecord(
        text_sha1=_get(data, "text_sha1", str, "", at),
        kind=_get(data, "kind", str, "para", at),
        number=_optional(data, "number", int, at),
        block=_optional(data, "block", str, at),
    )


def _piece(data: Mapping[str, Any], where: str) -> PieceRecord:
    at = where + "."
    if "key" not in data:
        _missing(at + "key")
    return PieceRecord(
        number=_get(data, "number", int, 0, at),
        key=_get(data, "key", str, "", at),
        label=_get(data, "label", str, "", at),
    )


def _missing(where: str) -> NoReturn:
    raise ManifestError(
        _("the requete manifest is malformed: {field} is missing").format(field=where)
    )


NAMESPACE: Final = "urn:requete:manifest"
ITEM_ID: Final = "{5E0C7A1D-2B4F-4C8E-9A3D-6F1B0E2C4D7A}"
REL_ID: Final = "rIdRequeteManifest"
REL_CUSTOM_XML: Final = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
)
REL_CUSTOM_PROPS: Final = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
DS_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
PROPS_TYPE: Final = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DOC_RELS: Final = "word/_rels/document.xml.rels"
TYPES: Final = "[Content_Types].xml"
_ITEM = re.compile(r"^customXml/item(\d+)\.xml$")


def embed_manifest(docx_bytes: bytes, manifest: Manifest) -> bytes:
    """The same .docx carrying manifest (replacing any earlier one); deterministic bytes."""
    package = open_package(docx_bytes, "<generated document>")
    entries = [
        (i.filename, package.read(i.filename) or b"", i.compress_type) for i in package.infos
    ]
    return write_package(_with_manifest(entries, manifest))


def embed_manifest_parts(parts: dict[str, bytes], manifest: Manifest) -> bytes:
    """The .docx of the package entries ``parts`` with ``manifest``, zipped once."""
    entries = [(name, data, zipfile.ZIP_DEFLATED) for name, data in parts.items()]
    return write_package(_with_manifest(entries, manifest))


def _with_manifest(
    entries: list[tuple[str, bytes, int]], manifest: Manifest
) -> list[tuple[str, bytes, int]]:
    package = _Entries({name: data for name, data, _ in entries})
    number = _manifest_item(package) or _free_item(package)
    item, props, rels = (
        f"customXml/item{number}.xml",
        f"customXml/itemProps{number}.xml",
        f"customXml/_rels/item{number}.xml.rels",
    )
    parts = {
        item: _item_xml(manifest),
        props: _props_xml(),
        rels: _item_rels(number),
        DOC_RELS: _document_rels(package, number),
        TYPES: _content_types(package, item, props),
    }
    out = [(name, parts.pop(name, data), compression) for name, data, compression in entries]
    out.extend((name, data, zipfile.ZIP_DEFLATED) for name, data in parts.items())
    return out


class _Entries:
    """Package entries in memory, read as a Package is (names, bytes, parsed XML)."""

    label = "<generated document>"

    def __init__(self, entries: dict[str, bytes]):
        self._entries = entries

    def names(self) -> list[str]:
        return list(self._entries)

    def read(self, name: str) -> bytes | None:
        return self._entries.get(name)

    def xml(self, name: str) -> etree._Element | None:
        data = self._entries.get(name)
        return parse_xml(data, self.label, name) if data is not None else None


def load_manifest(source: Source | Package) -> Manifest | None:
    """The manifest a .docx carries, or None if it carries none (Word-made documents);
    raise ManifestError (a DocxError) when it is malformed or newer than this requete."""
    package = source if isinstance(source, Package) else open_package(source)
    text = _manifest_text(package)
    if text is None:
        return None
    try:
        return Manifest.from_json(text)
    except ManifestError as err:
        raise ManifestError(err.message, package.label) from err


def _manifest_text(package: Package) -> str | None:
    number = _manifest_item(package)
    if number is None:
        return None
    root = package.xml(f"customXml/item{number}.xml")
    return (root.text or "") if root is not None else ""


def _manifest_item(package: Package | _Entries) -> int | None:
    for name in package.names():
        match = _ITEM.match(name)
        if match is None:
            continue
        root = package.xml(name)
        if root is not None and root.tag == f"{{{NAMESPACE}}}manifest":
            return int(match.group(1))
    return None


def _free_item(package: Package | _Entries) -> int:
    used = {int(m.group(1)) for n in package.names() if (m := _ITEM.match(n))}
    return next(n for n in range(1, len(used) + 2) if n not in used)


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _item_xml(manifest: Manifest) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}manifest", nsmap={"rq": NAMESPACE})
    root.set("format", "1")
    root.text = manifest.to_json()
    return _xml(root)


def _props_xml() -> bytes:
    ds = f"{{{DS_NS}}}"
    root = etree.Element(f"{ds}datastoreItem", nsmap={"ds": DS_NS})
    root.set(f"{ds}itemID", ITEM_ID)
    refs = etree.SubElement(root, f"{ds}schemaRefs")
    etree.SubElement(refs, f"{ds}schemaRef").set(f"{ds}uri", NAMESPACE)
    return _xml(root)


def _item_rels(number: int) -> bytes:
    root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", "rId1")
    rel.set("Type", REL_CUSTOM_PROPS)
    rel.set("Target", f"itemProps{number}.xml")
    return _xml(root)


def _document_rels(package: Package | _Entries, number: int) -> bytes:
    data = package.read(DOC_RELS)
    root = (
        parse_xml(data, package.label, DOC_RELS)
        if data
        else etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    )
    for rel in root.findall(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == REL_ID:
            root.remove(rel)
    rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
    rel.set("Id", REL_ID)
    rel.set("Type", REL_CUSTOM_XML)
    rel.set("Target", f"../customXml/item{number}.xml")
    return _xml(root)


def _content_types(package: Package | _Entries, item: str, props: str) -> bytes:
    data = package.read(TYPES)
    if data is None:
        raise DocxError(
            _("not a Word document (.docx): no {part}").format(part=TYPES), path=package.label
        )
    root = parse_xml(data, package.label, TYPES)
    overrides = {o.get("PartName"): o for o in root.findall(f"{{{CT_NS}}}Override")}
    defaults = {
        d.get("Extension"): d.get("ContentType") for d in root.findall(f"{{{CT_NS}}}Default")
    }
    wanted = {f"/{props}": PROPS_TYPE}
    if defaults.get("xml") != "application/xml":
        wanted[f"/{item}"] = "application/xml"
    for part, content_type in wanted.items():
        override = overrides.get(part)
        if override is None:
            override = etree.SubElement(root, f"{{{CT_NS}}}Override")
            override.set("PartName", part)
        override.set("ContentType", content_type)
    return _xml(root)
