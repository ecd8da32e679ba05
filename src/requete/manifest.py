"""The build manifest carried inside a .docx as a Custom XML Data part.

Layout (as Word writes custom XML, so Word and LibreOffice keep the file valid):
``customXml/itemN.xml`` holds ``<rq:manifest xmlns:rq="urn:requete:manifest">JSON</rq:manifest>``,
``customXml/itemPropsN.xml`` gives it a fixed datastore ItemID, ``customXml/_rels/itemN.xml.rels``
links the two, ``word/_rels/document.xml.rels`` points at the item, and ``[Content_Types].xml``
declares the properties part. Paragraph indices in the manifest count the paragraphs that are
direct children of ``w:body`` (python-docx's ``Document.paragraphs``), from 0.
"""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any, Final

from lxml import etree

from requete.errors import DocxError
from requete.i18n import _
from requete.review.ooxml import CT_NS, PKG_REL_NS
from requete.review.package import Package, Source, open_package, parse_xml, write_package

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


def embed_manifest(docx_bytes: bytes, manifest: dict[str, Any]) -> bytes:
    """The same .docx carrying manifest (replacing any earlier one); deterministic bytes."""
    package = open_package(docx_bytes, "<generated document>")
    entries = [
        (i.filename, package.read(i.filename) or b"", i.compress_type) for i in package.infos
    ]
    return write_package(_with_manifest(entries, manifest))


def embed_manifest_parts(parts: dict[str, bytes], manifest: dict[str, Any]) -> bytes:
    """The .docx of the package entries ``parts`` with ``manifest``, zipped once."""
    entries = [(name, data, zipfile.ZIP_DEFLATED) for name, data in parts.items()]
    return write_package(_with_manifest(entries, manifest))


def _with_manifest(
    entries: list[tuple[str, bytes, int]], manifest: dict[str, Any]
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


def read_manifest(source: Source | Package) -> dict[str, Any] | None:
    """The manifest a .docx carries, or None if it carries none (Word-made documents)."""
    package = source if isinstance(source, Package) else open_package(source)
    number = _manifest_item(package)
    if number is None:
        return None
    root = package.xml(f"customXml/item{number}.xml")
    try:
        data = json.loads(root.text or "") if root is not None else None
    except json.JSONDecodeError as err:
        raise DocxError(
            _("the requete manifest is not valid JSON ({error})").format(error=err), package.label
        ) from err
    if not isinstance(data, dict):
        raise DocxError(_("the requete manifest is not a JSON object"), path=package.label)
    return data


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


def _item_xml(manifest: dict[str, Any]) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}manifest", nsmap={"rq": NAMESPACE})
    root.set("format", "1")
    root.text = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))
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
