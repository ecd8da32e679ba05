"""Text extraction: order, headings, Word numbering, tracked changes in the input."""

from __future__ import annotations

from pathlib import Path

from drafts import BASE, build_docx, patch_part, with_tracked_changes

from requete.review import document_text, read_draft


def test_text_prints_headings_numbers_and_table_cells(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(build_docx(BASE))
    lines = document_text(path).split("\n\n")
    assert lines[0] == "# Discussion"
    assert lines[1] == "## Sur la légalité externe"
    assert lines[2].startswith("1. La délibération attaquée")
    assert lines[3].startswith("2. En effet")
    # runs with italics and bold join into one paragraph
    assert lines[4] == (
        "Comme le rappelle la doctrine, Le Conseil d'État l'a jugé à plusieurs reprises. Voir aussi"
    )
    assert lines[6].startswith("3. La décision")  # numbering continues across headings
    assert lines[7:9] == ["1. premier élément de la liste", "2. second élément de la liste"]
    assert "[T1R2C2] Délibération n° 2024-001 du 3 mars 2024" in lines
    assert "1°) annuler la délibération attaquée ;" in lines
    assert "2°) mettre à la charge de l'État la somme de 3 000 euros." in lines


def test_items_carry_style_level_cell_and_body_index() -> None:
    draft = read_draft(build_docx(BASE))
    heading, sub = draft.items[0], draft.items[1]
    assert (heading.kind, heading.level, heading.style) == (
        "heading",
        1,
        "heading 1",
    )  # Word stores built-in names lower-case
    assert sub.level == 2
    cell = next(i for i in draft.items if i.cell == (1, 2, 2))
    assert cell.kind == "cell" and cell.body_index is None
    assert draft.items[2].body_index == 2 and draft.items[2].number == "1."


def test_tracked_changes_in_input_are_read_as_accepted_and_comments_ignored() -> None:
    draft = read_draft(with_tracked_changes(build_docx(BASE)))
    assert draft.items[0].text == "Discussion et procédure [note]"


def test_fields_show_their_result_and_breaks_tabs_are_kept() -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:tab/><w:t>a</w:t><w:br/>'
        "<w:t>b</w:t></w:r>"
    )
    docx = patch_part(
        build_docx([("p", "Page ")]),
        "word/document.xml",
        lambda xml: xml.replace(
            '<w:t xml:space="preserve">Page </w:t></w:r>',
            '<w:t xml:space="preserve">Page </w:t></w:r>' + field,
        ),
    )
    assert read_draft(docx).items[0].text == "Page 7\ta\nb"
