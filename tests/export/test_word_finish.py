"""What counsel must still do is visible in the Word file: comments, highlighted placeholders,
French proofing, properties from the case, typography and layout of the frame."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from requete.document import placeholders
from requete.pipeline import build_docx, open_case

REPO = Path(__file__).resolve().parents[2]
ANNULATION = REPO / "cases" / "emc2" / "annulation.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    data, document = build_docx(open_case(ANNULATION))
    path = tmp_path_factory.mktemp("finish") / "annulation.docx"
    path.write_bytes(data)
    return path, document


def _part(path: Path, name: str) -> str:
    return zipfile.ZipFile(path).read(name).decode()


def test_each_block_with_notes_is_a_comment_on_its_first_paragraph(built) -> None:
    path, document = built
    assert document.comments, "the EMC2 blocks carry notes for counsel"
    comments = docx.Document(str(path)).comments
    assert len(list(comments)) == len(document.comments)
    first = next(iter(comments))
    assert first.author == "requete"
    assert first.timestamp is not None and first.timestamp.date().isoformat() == "2024-03-05"
    texts = [c.text for c in comments]
    note = next(c for c in document.comments if c.paragraphs[0].startswith("Note du bloc"))
    assert any(t.startswith(note.paragraphs[0]) for t in texts)
    # anchored on the block's first paragraph: the range starts in the paragraph of its heading
    body = docx.Document(str(path))
    anchored = [
        p.text for p in body.paragraphs if p._p.find(f".//{W}commentRangeStart") is not None
    ]
    block = document.comments[0].block
    first_paragraph = next(p for p in document.body if p.block == block)
    assert first_paragraph.text.endswith(anchored[0])


def test_a_precedents_caveats_reach_the_comment_of_the_block_that_cites_it(built) -> None:
    _path, document = built
    caveats = [p for c in document.comments for p in c.paragraphs if "autorité" in p]
    assert any("source secondaire" in p or "seulement crue" in p for p in caveats)


def test_no_comments_leaves_the_comments_out(tmp_path: Path) -> None:
    data, document = build_docx(open_case(ANNULATION), comments=False)
    assert document.comments  # still known, for `check` and `bundle`
    names = zipfile.ZipFile(__import__("io").BytesIO(data)).namelist()
    assert "word/comments.xml" not in names


def test_placeholders_are_highlighted_and_counted(built) -> None:
    path, document = built
    xml = _part(path, "word/document.xml")
    highlighted = re.findall(
        r'<w:r><w:rPr><w:rStyle w:val="ACompleter"/>.*?<w:highlight w:val="yellow"/>', xml
    )
    found = placeholders(document)
    kinds = {p.kind for p in found}
    assert {"siège", "domicile", "avocat", "signature", "montant"} <= kinds
    assert len(highlighted) >= len(found)


def test_french_proofing_and_properties_from_the_case(built) -> None:
    path, _document = built
    styles = _part(path, "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert defaults is not None and 'w:lang w:val="fr-FR"' in defaults.group()
    for style in re.findall(r'<w:style w:type="(?:paragraph|character)".*?</w:style>', styles):
        assert 'w:val="fr-FR"' in style, style[:120]
    assert "en-US" not in styles
    settings = _part(path, "word/settings.xml")
    assert "proofState" not in settings
    core = _part(path, "docProps/core.xml")
    assert "<dc:language>fr-FR</dc:language>" in core
    assert "<dc:subject>Délibération n°" in core
    assert "2024-03-05T00:00:00Z" in core
    app = _part(path, "docProps/app.xml")
    assert "<Application>requete</Application>" in app and "Normal.dotm" not in app
    names = zipfile.ZipFile(path).namelist()
    assert "word/stylesWithEffects.xml" not in names
    custom = [_part(path, n) for n in names if n.startswith("customXml/item") and "Props" not in n]
    assert custom and all("urn:requete:manifest" in c for c in custom)  # no APA bibliography


def test_case_numbers_do_not_break_and_ordinals_are_superscript(built) -> None:
    path, _document = built
    xml = _part(path, "word/document.xml")
    assert re.search(r"C</w:t><w:noBreakHyphen/><w:t[^>]*>311/18", xml)
    assert re.search(r'<w:vertAlign w:val="superscript"/></w:rPr><w:t[^>]*>er</w:t>', xml)
    assert "D'ÉTAT" not in xml and "D’ÉTAT" in xml  # the template's own text is typeset


def test_the_signature_is_kept_with_the_last_conclusion(built) -> None:
    path, document = built
    paragraphs = docx.Document(str(path)).paragraphs
    place = next(i for i, p in enumerate(paragraphs) if p.text == document.place_date)
    assert paragraphs[place].paragraph_format.keep_with_next
    assert paragraphs[place - 1].paragraph_format.keep_with_next


def test_draft_stamps_every_page(tmp_path: Path) -> None:
    data, _document = build_docx(open_case(ANNULATION), comments=False, draft=True)
    path = tmp_path / "draft.docx"
    path.write_bytes(data)
    headers = [s.header.paragraphs[0].text for s in docx.Document(str(path)).sections]
    assert headers and all(h.startswith("PROJET") for h in headers)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_comments_highlights_and_french(built, tmp_path: Path) -> None:
    path, document = built
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    for target in ("odt", "pdf"):
        subprocess.run(
            ["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path)]
            + [str(path)],
            check=True,
            capture_output=True,
            timeout=240,
        )
    odt = zipfile.ZipFile(tmp_path / "annulation.odt")
    content = odt.read("content.xml").decode()
    styles = odt.read("styles.xml").decode()
    assert content.count("<office:annotation>") + content.count("<office:annotation ") == len(
        document.comments
    )
    assert 'fo:background-color="#ffff00"' in content  # the highlight LibreOffice imported
    assert 'fo:language="fr" fo:country="FR"' in styles
    assert 'fo:country="US"' not in styles
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "annulation.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Note du bloc" not in text  # comments never reach the PDF
    assert "[à compléter" in text


def test_a_comment_only_change_is_reported_as_such(write_tree) -> None:
    from requete.review import diff_drafts
    from requete.review.summary import argument_lines

    root = write_tree()
    moyen = (root / "arguments/moyen-test.yaml").read_text()
    before, _ = build_docx(open_case(root / "case.yaml"))
    noted = moyen + "notes: |\n  Collationner la citation avec le recueil.\n"
    root = write_tree({"arguments/moyen-test.yaml": noted})
    after, document = build_docx(open_case(root / "case.yaml"))
    assert document.comments[0].block == "moyen-test"
    diff = diff_drafts(before, after, "avant", "après")
    # Not a word of the filing changed: only the comment's anchor and the comment itself.
    changed = [c for c in diff.changes if c.status != "unchanged"]
    assert len(changed) == 1 and changed[0].old and changed[0].new
    assert changed[0].new.shown == changed[0].old.key + "[commentaire]"
    stories = [s for s in diff.stories if any(c.status != "unchanged" for c in s.changes)]
    assert [(s.label, s.old) for s in stories] == [("commentaire 1", None)]
    assert argument_lines(diff) == ["comment for counsel changed on block moyen-test"]


def test_the_table_groups_stay_out_of_the_navigator(built) -> None:
    path, document = built
    groups = {a.group.replace("'", "’") for a in document.authorities}  # typeset in Word
    styles = {p.text: p.style.name for p in docx.Document(str(path)).paragraphs if p.text in groups}
    assert set(styles) == groups
    assert set(styles.values()) == {"Groupe d'autorités"}  # not Heading 2: no bookmark, no outline
