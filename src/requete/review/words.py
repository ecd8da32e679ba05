"""Word-level comparison of two paragraph texts, and a cheap similarity score."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]

# Words, runs of ordinary whitespace, single punctuation marks; NBSP and narrow NBSP alone,
# so that French typography (« texte », 3 000 €) shows as its own change.
_TOKEN = re.compile(r"[\u00a0\u202f]|[^\S\u00a0\u202f]+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")


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
    a, b = _units(old), _units(new)
    codes = _opcodes(a, b)
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
    return tuple(segments)


def _units(text: str) -> list[str]:
    """Tokens with ordinary trailing whitespace attached: half as many to align."""
    units: list[str] = []
    for token in tokenise(text):
        if units and token.isspace() and token not in "\u00a0\u202f" and not units[-1].isspace():
            units[-1] += token
        else:
            units.append(token)
    return units


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher opcodes, computed only between the common prefix and suffix."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle = SequenceMatcher(None, a[start : len(a) - end], b[start : len(b) - end], autojunk=False)
    codes: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        codes.append((tag, i1 + start, i2 + start, j1 + start, j2 + start))
    if end:
        codes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return codes


def _absorbed(
    codes: Sequence[tuple[str, int, int, int, int]], index: int, tokens: list[str]
) -> bool:
    """A lone space between two changes reads better as part of one change."""
    inside = 0 < index < len(codes) - 1
    return inside and len(tokens) == 1 and tokens[0].isspace() and len(tokens[0]) == 1


def _flush(segments: list[Segment], deleted: list[str], inserted: list[str]) -> None:
    if deleted:
        segments.append(Segment("delete", "".join(deleted)))
    if inserted:
        segments.append(Segment("insert", "".join(inserted)))
    deleted.clear()
    inserted.clear()


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
