"""Word-level comparison of two paragraph texts, and a cheap similarity score."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final, Literal

from requete.review.align import bounded_pairs

Op = Literal["equal", "insert", "delete"]

# Middles (what is left between the common prefix and suffix) up to this many unit pairs are
# diffed exhaustively by SequenceMatcher, as always; larger ones by the anchored alignment.
EXHAUSTIVE: Final = 250_000
# Beyond this many units in the middle, a paragraph is not compared word by word at all.
MAX_UNITS: Final = 4_000_000

# Words, runs of ordinary whitespace, single punctuation marks; NBSP and narrow NBSP alone,
# so that French typography (« texte », 3 000 €) shows as its own change.
_TOKEN = re.compile(r"[\u00a0\u202f]|[^\S\u00a0\u202f]+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
# The same tokens, a word or punctuation mark taking the ordinary whitespace after it.
_UNIT = re.compile(r"(?:\w+|[^\w\s])[^\S\u00a0\u202f]*|[\u00a0\u202f]|[^\S\u00a0\u202f]+")


@dataclass(frozen=True)
class Segment:
    """A stretch of text kept, inserted or deleted."""

    op: Op
    text: str


def tokenise(text: str) -> list[str]:
    """Split text into words, whitespace runs, NBSPs and punctuation (joins back to text)."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Segments turning old into new; deletions come before insertions at each change."""
    return bounded_word_diff(old, new)[0]


def bounded_word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], bool]:
    """The segments of :func:`word_diff`, and False when the paragraph was too long to be
    compared word by word everywhere (some stretch is shown as deleted then inserted)."""
    a, b = _units(old), _units(new)
    codes, complete = _opcodes(a, b)
    segments: list[Segment] = []
    pending_del: list[str] = []
    pending_ins: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal" and not _absorbed(codes, index, a[i1:i2]):
            _flush(segments, pending_del, pending_ins)
            segments.append(Segment("equal", "".join(a[i1:i2])))
        else:
            pending_del.extend(a[i1:i2])
            pending_ins.extend(b[j1:j2])
    _flush(segments, pending_del, pending_ins)
    return _joined(segments), complete


def _joined(segments: list[Segment]) -> tuple[Segment, ...]:
    """Neighbouring segments of the same kind as one."""
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].op == segment.op:
            out[-1] = Segment(segment.op, out[-1].text + segment.text)
        else:
            out.append(segment)
    return tuple(out)


def _units(text: str) -> list[str]:
    """Tokens with ordinary trailing whitespace attached: half as many to align."""
    return _UNIT.findall(text)


def _opcodes(a: list[str], b: list[str]) -> tuple[list[tuple[str, int, int, int, int]], bool]:
    """Opcodes between the common prefix and suffix: SequenceMatcher on a small middle, the
    anchored bounded alignment of align.py on a large one (near-linear), and nothing at all
    beyond MAX_UNITS (the middle is one replacement). Also whether the comparison was
    complete."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    complete = True
    if len(mid_a) * len(mid_b) <= EXHAUSTIVE:
        matcher = SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        blocks = [(i, j, n) for i, j, n in matcher.get_matching_blocks() if n]
    elif len(mid_a) + len(mid_b) > MAX_UNITS:
        blocks, complete = [], False
    else:
        pairs, complete = bounded_pairs(mid_a, mid_b)
        blocks = _blocks(pairs)
    codes: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    i = j = 0
    for bi, bj, size in [*blocks, (len(mid_a), len(mid_b), 0)]:
        if bi > i or bj > j:
            tag = "replace" if bi > i and bj > j else "delete" if bi > i else "insert"
            codes.append((tag, i + start, bi + start, j + start, bj + start))
        if size:
            codes.append(("equal", bi + start, bi + size + start, bj + start, bj + size + start))
        i, j = bi + size, bj + size
    if end:
        codes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return codes, complete


def _blocks(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Sorted monotone pairs as (i, j, size) runs of consecutive matches."""
    blocks: list[tuple[int, int, int]] = []
    for i, j in pairs:
        if blocks:
            bi, bj, size = blocks[-1]
            if bi + size == i and bj + size == j:
                blocks[-1] = (bi, bj, size + 1)
                continue
        blocks.append((i, j, 1))
    return blocks


def _absorbed(
    codes: Sequence[tuple[str, int, int, int, int]], index: int, tokens: list[str]
) -> bool:
    """A lone space between two changes reads better as part of one change."""
    inside = 0 < index < len(codes) - 1
    return inside and len(tokens) == 1 and tokens[0].isspace() and len(tokens[0]) == 1


def _flush(segments: list[Segment], deleted: list[str], inserted: list[str]) -> None:
    old, new = "".join(deleted), "".join(inserted)
    deleted.clear()
    inserted.clear()
    if old and new:  # a word extended or cut ("2020" → "2020 (C-311/18)"): one change
        short, long = sorted((old, new), key=len)
        grown = new is long
        if long.startswith(short):
            segments.append(Segment("equal", short))
            segments.append(Segment("insert" if grown else "delete", long[len(short) :]))
            return
        if long.endswith(short):
            segments.append(Segment("insert" if grown else "delete", long[: -len(short)]))
            segments.append(Segment("equal", short))
            return
    if old:
        segments.append(Segment("delete", old))
    if new:
        segments.append(Segment("insert", new))


def bag_of_words(text: str) -> Counter[str]:
    """Lower-cased word counts of a text."""
    return Counter(_WORD.findall(text.lower()))


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """Dice coefficient of two bags of words (1.0 same words, 0.0 none shared), raised for a
    short text wholly kept inside a text at most four times longer ("Discussion" → "Discussion
    et procédure")."""
    size_a, size_b = sum(a.values()), sum(b.values())
    if size_a + size_b == 0:
        return 1.0
    shared = sum((a & b).values())
    dice = 2 * shared / (size_a + size_b)
    small, large = min(size_a, size_b), max(size_a, size_b)
    if small and large <= 4 * small:
        return max(dice, 0.8 * shared / small)
    return dice
