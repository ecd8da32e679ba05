"""The manifest part: round trip, Word-compatible layout, deterministic bytes."""

from __future__ import annotations

import io
import zipfile

from drafts import BASE, build_docx, patch_part

from requete.manifest import ITEM_ID, Manifest, embed_manifest, load_manifest

RECORDED = {
    "requete_version": "0.1.0",
    "case_file": "cases/emc2/annulation.yaml",
    "procedure": "annulation",
    "filing_date": "2024-03-29",
    "blocks": [{"id": "moyen-test", "version": 2, "layer": ".", "file": "a.yaml", "line": 1}],
    "paragraphs": [{"number": 1, "block": "moyen-test", "kind": "para", "text_sha1": "ab"}],
    "precedents": ["cjue-test"],
    "pieces": [{"number": 1, "key": "acte", "label": "Délibération « test »"}],
}
MANIFEST = Manifest.from_dict(RECORDED)


def _item_number(data: bytes) -> int:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return next(
        int(n.removeprefix("customXml/item").removesuffix(".xml"))
        for n in archive.namelist()
        if n.startswith("customXml/item")
        and "Props" not in n
        and b"urn:requete:manifest" in archive.read(n)
    )


def test_round_trip_and_word_layout() -> None:
    data = embed_manifest(build_docx(BASE), MANIFEST)
    assert load_manifest(data) == MANIFEST
    archive = zipfile.ZipFile(io.BytesIO(data))
    n = _item_number(data)
    assert n == 2  # python-docx's template already holds a bibliography item1, kept as is
    assert b"bibliography" in archive.read("customXml/item1.xml")
    assert {f"customXml/itemProps{n}.xml", f"customXml/_rels/item{n}.xml.rels"} <= set(
        archive.namelist()
    )
    assert ITEM_ID in archive.read(f"customXml/itemProps{n}.xml").decode()
    assert f"../customXml/item{n}.xml" in archive.read("word/_rels/document.xml.rels").decode()
    types = archive.read("[Content_Types].xml").decode()
    assert f'PartName="/customXml/itemProps{n}.xml"' in types
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())


def test_embedding_is_deterministic_and_replaces_an_earlier_manifest() -> None:
    docx = build_docx(BASE)
    once = embed_manifest(docx, MANIFEST)
    assert once == embed_manifest(docx, MANIFEST)
    again = embed_manifest(once, Manifest.from_dict({**RECORDED, "procedure": "refere"}))
    reread = load_manifest(again)
    assert reread is not None and reread.procedure == "refere"
    assert len(zipfile.ZipFile(io.BytesIO(again)).namelist()) == len(
        zipfile.ZipFile(io.BytesIO(once)).namelist()
    )


def test_word_documents_have_no_manifest() -> None:
    assert load_manifest(build_docx(BASE)) is None


def test_a_malformed_manifest_is_a_clear_error() -> None:
    import pytest

    from requete.errors import DocxError

    data = embed_manifest(build_docx(BASE), MANIFEST)
    n = _item_number(data)
    broken = patch_part(data, f"customXml/item{n}.xml", lambda xml: xml.replace("{", "[", 1))
    with pytest.raises(DocxError, match="not valid JSON"):
        load_manifest(broken)
