"""Scale and packages (issue 15, item 10): linear typography and word diff, zip limits that
never refuse requete's own output, unsafe entry names dropped, damaged zips as one message.

Every time bound here is a generous hang guard, not a measurement: speed is measured in
``bench/scale.py``.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
import zipfile
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from requete.commands import review
from requete.errors import DocxError, RenderError
from requete.ooxml.package import MAX_RATIO, open_package
from requete.review import diff_drafts, make_redline, read_draft
from requete.review.summary import COARSE, describe, warning_lines
from requete.review.words import bounded_word_diff, word_diff
from requete.typography import fix_typography, typography_problems

sys.path.insert(0, str(Path(__file__).parent / "review"))
from drafts import BASE, build_docx, patch_part  # noqa: E402

from . import test_properties  # noqa: F401, E402  (registers the ci / thorough profiles)

app = typer.Typer()
review.register(app)
runner = CliRunner()


@app.callback()
def _root() -> None:
    """Test app holding only the review commands."""


def _timed(guard: float, call, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < guard, f"took {elapsed:.1f} s (hang guard {guard} s)"
    return result


# --- typography ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    ["a", "1", " ", "\u00a0", "a.", "L.", "a'", "mot ", '"', "« ", "a@", "http://", ":"],
)
def test_typography_of_a_200k_character_text_is_linear(unit: str) -> None:
    # Was 94 s for a 200,000-character title in `check` (e-mail and file-name patterns and
    # the guillemet rule rescanned a run from each of its characters).
    text = unit * (200_000 // len(unit))
    fixed = _timed(10, fix_typography, text)
    _timed(10, typography_problems, text)
    assert fix_typography(fixed) == fixed  # still idempotent


def test_typography_keeps_protected_spans_after_the_linear_rewrite() -> None:
    text = "Voir l'arrêté.pdf, contact@exemple.fr : « texte » ; a' b'c.docx"
    fixed = fix_typography(text)
    assert "l'arrêté.pdf" in fixed and "contact@exemple.fr" in fixed and "b'c.docx" in fixed
    assert "\u00a0: «\u00a0texte\u00a0»\u202f;" in fixed


# --- word diff ----------------------------------------------------------------------------


def _paragraphs(words: int, seed: int = 1) -> tuple[str, str]:
    rng = random.Random(seed)
    vocab = ["le", "la", "de", "requérante", "décision", "Conseil", "d'État", "moyen"]
    vocab += [f"mot{i}" for i in range(400)]
    old = [rng.choice(vocab) for _ in range(words)]
    new = list(old)
    for _ in range(words // 100):
        k = rng.randrange(len(new))
        choice = rng.random()
        if choice < 0.4:
            new[k] = rng.choice(vocab)
        elif choice < 0.7:
            new.insert(k, rng.choice(vocab))
        else:
            del new[k]
    return " ".join(old) + ".", " ".join(new) + "."


def _apply(segments: tuple, side: str) -> str:  # type: ignore[type-arg]
    skip = "insert" if side == "old" else "delete"
    return "".join(s.text for s in segments if s.op != skip)


def test_word_diff_of_a_300k_word_paragraph_takes_seconds() -> None:
    # Was past 300 s (SequenceMatcher on the whole middle); 40,000 words took 19.5 s.
    old, new = _paragraphs(300_000)
    segments, complete = _timed(20, bounded_word_diff, old, new)
    assert complete
    assert _apply(segments, "old") == old and _apply(segments, "new") == new
    changed = sum(len(s.text) for s in segments if s.op != "equal")
    assert changed < len(old) // 20  # word-level, not "paragraph replaced"


def test_small_paragraphs_diff_exactly_as_before() -> None:
    assert word_diff("Le moyen est fondé.", "Le moyen n'est pas fondé.") == word_diff(
        "Le moyen est fondé.", "Le moyen n'est pas fondé."
    )
    segments = word_diff("annuler la décision ;", "annuler la délibération ;")
    assert [s.op for s in segments] == ["equal", "delete", "insert", "equal"]


def test_a_paragraph_too_repetitive_to_anchor_is_replaced_and_the_summary_says_so() -> None:
    old, new = "a b " * 60_000, "b a " * 60_000
    segments, complete = _timed(20, bounded_word_diff, old, new)
    assert not complete
    assert _apply(segments, "old") == old and _apply(segments, "new") == new
    diff = diff_drafts(
        build_docx([("p", "Début."), ("p", old)]), build_docx([("p", "Début."), ("p", new)])
    )
    [change] = [c for c in diff.changes if c.status == "changed"]
    assert change.coarse and COARSE in (describe(change) or "")


def test_redline_of_a_40k_word_paragraph_is_verified_both_ways() -> None:
    old, new = _paragraphs(40_000, seed=2)
    diff = _timed(20, diff_drafts, build_docx([("p", old)]), build_docx([("p", new)]))
    data = _timed(20, make_redline, diff)  # make_redline checks accept-all and reject-all
    assert not diff.changes[0].coarse
    assert read_draft(data).items[0].text == new


# --- zip limits ---------------------------------------------------------------------------


def _rezip(docx: bytes, extra: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method, compresslevel=1) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        for name, data in extra.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def test_bomb_template_is_refused_from_its_directory_before_inflating() -> None:
    # Was 4.2 GB and 27 s before docxtpl failed; now the zip directory alone refuses it.
    from requete.render import _check_template

    bomb = _rezip(build_docx(BASE), {"word/media/zero.bin": b"\0" * (256 << 20)})
    assert len(bomb) < 20_000_000
    with pytest.raises(RenderError, match="zip bomb"):
        _timed(5, _check_template, bomb)


def test_bomb_styles_file_is_refused() -> None:
    from requete.templates import restyle

    base = build_docx(BASE)
    bomb = _rezip(base, {"word/media/zero.bin": b"\0" * (256 << 20)})
    with pytest.raises(RenderError, match="zip bomb"):
        restyle(base, bomb, Path("cabinet.docx"))


def test_bzip2_entries_are_refused() -> None:
    data = _rezip(build_docx(BASE), {"word/media/x.bin": b"x" * 100}, zipfile.ZIP_BZIP2)
    with pytest.raises(DocxError, match="compression method"):
        read_draft(data)


def _large_docx(paragraphs: int, edit: bool) -> bytes:
    """A valid, highly compressible document (the markup of a redline compresses even
    better): what the ratio limit must never refuse. Built by repeating one numbered
    paragraph's XML (python-docx is slow at this size)."""
    one = build_docx([("num", "MODELE")])

    def repeat(xml: str) -> str:
        start = xml.index("<w:p>") if "<w:p>" in xml else xml.index("<w:p ")
        end = xml.index("</w:p>", xml.index("MODELE")) + len("</w:p>")
        model = xml[start:end]
        body = "".join(
            model.replace(
                "MODELE",
                f"Le moyen {i % 97} est fondé{' et modifié' if edit and i % 7 == 0 else ''}.",
            )
            for i in range(paragraphs)
        )
        return xml[:start] + body + xml[end:]

    return patch_part(one, "word/document.xml", repeat)


def test_the_redline_of_a_large_valid_document_can_be_read_back(tmp_path: Path) -> None:
    # Was: a 150 MB input took 3.6 GB, then its own redline was refused as a zip bomb.
    old, new = _large_docx(8_000, False), _large_docx(8_000, True)
    diff = _timed(20, diff_drafts, old, new)
    redline = _timed(20, make_redline, diff)
    for info in zipfile.ZipFile(io.BytesIO(redline)).infolist():
        assert info.file_size / max(info.compress_size, 1) < MAX_RATIO
    path = tmp_path / "redline.docx"
    path.write_bytes(redline)
    again = runner.invoke(app, ["diff", str(path), str(path)])
    assert again.exit_code == 0, again.output
    assert read_draft(redline).visible()[-1].text == diff.new.visible()[-1].text


def test_unsafe_entry_names_are_dropped_and_named(tmp_path: Path) -> None:
    names = ["../evil.txt", "/abs.txt", "C:\\evil.txt", "word/../../up.txt"]
    new = _rezip(build_docx(BASE), {name: b"x" for name in names})
    package = open_package(new)
    assert package.dropped == names and not set(names) & set(package.names())
    diff = diff_drafts(build_docx(BASE), new)
    [warning] = warning_lines(diff)
    assert all(repr(name) in warning for name in names)
    redline = make_redline(diff)
    assert not set(names) & set(zipfile.ZipFile(io.BytesIO(redline)).namelist())
    old_path, new_path, out = tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "r.docx"
    old_path.write_bytes(build_docx(BASE))
    new_path.write_bytes(new)
    result = runner.invoke(app, ["diff", str(old_path), str(new_path), "--redline", str(out)])
    assert result.exit_code == 0, result.output
    assert "unsafe name" in result.output and "../evil.txt" in result.output


def _flip_in_document(docx: bytes) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(docx)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(docx)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def test_one_flipped_byte_is_one_message_naming_the_file(tmp_path: Path) -> None:
    # Was a zlib.error traceback.
    bad = tmp_path / "abîmé.docx"
    bad.write_bytes(_flip_in_document(build_docx(BASE)))
    with pytest.raises(DocxError) as err:
        read_draft(bad)
    assert str(err.value).startswith(f"{bad}: error: ") and "damaged" in str(err.value)
    good = tmp_path / "good.docx"
    good.write_bytes(build_docx(BASE))
    result = runner.invoke(app, ["diff", str(good), str(bad)])
    assert (
        result.exit_code == 1
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.output
    assert "damaged" in result.output and "Traceback" not in result.output


# --- property: corrupted .docx bytes never give a traceback -------------------------------

_GOOD = build_docx(BASE)


@st.composite
def corrupted(draw: st.DrawFn) -> bytes:
    data = bytearray(_GOOD)
    kind = draw(st.sampled_from(["flip", "truncate", "slip", "flip-document", "garbage"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            where = draw(st.integers(0, len(data) - 1))
            data[where] ^= draw(st.integers(1, 255))
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif kind == "slip":
        name = draw(st.sampled_from(["../x", "/abs", "C:\\x", "a/../../b", "..\\x"]))
        return _rezip(bytes(data), {name: draw(st.binary(max_size=64))})
    elif kind == "flip-document":
        return _flip_in_document(bytes(data))
    else:
        where = draw(st.integers(0, len(data)))
        data[where:where] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=corrupted())
def test_corrupted_docx_given_to_diff_never_tracebacks(tmp_path: Path, data: bytes) -> None:
    good, bad = tmp_path / "good.docx", tmp_path / f"bad-{os.getpid()}.docx"
    good.write_bytes(_GOOD)
    bad.write_bytes(data)
    result = runner.invoke(app, ["diff", str(good), str(bad)])
    assert result.exit_code in (0, 1), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 1:
        assert "error:" in result.output and "Traceback" not in result.output
