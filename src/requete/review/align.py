"""Paragraph alignment in near-linear time: patience anchors, then bounded diffs of the gaps."""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher
from typing import Final

# Above this many cell comparisons a gap is not diffed exhaustively: it is left as a
# replacement block, and pairing and move detection sort it out.
GAP_LIMIT: Final = 250_000
# Work allowed per item aligned (anchor scans, gap cells), beyond which gaps stay unmatched.
WORK_PER_ITEM: Final = 40
# Widths of the runs tried as anchors when no single item is unique in a large gap.
SHINGLES: Final = (4, 16)


def match_pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Monotone pairs (i, j) with a[i] == b[j], as many as the bounded strategy finds."""
    return bounded_pairs(a, b)[0]


def work_budget(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The default work allowed to align a and b: linear in their sizes."""
    return WORK_PER_ITEM * (len(a) + len(b)) + 4 * GAP_LIMIT


def bounded_pairs(
    a: Sequence[Hashable], b: Sequence[Hashable], budget: int | None = None
) -> tuple[list[tuple[int, int]], bool]:
    """Monotone matching pairs and whether all the work was done within ``budget``.

    Work counts items scanned for anchors and cells of every exhaustive gap diff; when the
    budget runs out the remaining gaps are left unmatched (a replacement), so time stays
    linear in the input whatever its shape."""
    left = work_budget(a, b) if budget is None else budget
    complete = True
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            pairs.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            pairs.append((ahi, bhi))
        if alo >= ahi or blo >= bhi:
            continue
        cost = (ahi - alo) + (bhi - blo)
        if cost > left:
            complete = False
            continue
        left -= cost
        cells = (ahi - alo) * (bhi - blo)
        anchors = _unique_anchors(a, alo, ahi, b, blo, bhi)
        for width in SHINGLES if not anchors and cells > GAP_LIMIT else ():
            # No item is unique (a small vocabulary, repeated paragraphs): runs of items are.
            if width * cost > left:
                break
            left -= width * cost
            anchors = _unique_anchors(a, alo, ahi, b, blo, bhi, width)
            if anchors:
                break
        if anchors:
            bounds = [(alo - 1, blo - 1), *anchors, (ahi, bhi)]
            pairs.extend(anchors)
            for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
                if i1 - i0 > 1 and j1 - j0 > 1:
                    stack.append((i0 + 1, i1, j0 + 1, j1))
            continue
        if cells > GAP_LIMIT or cells > left:
            complete = False
            continue
        left -= cells
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        for i, j, size in matcher.get_matching_blocks():
            pairs.extend((alo + i + k, blo + j + k) for k in range(size))
    pairs.sort()
    return pairs, complete


def _unique_anchors(
    a: Sequence[Hashable],
    alo: int,
    ahi: int,
    b: Sequence[Hashable],
    blo: int,
    bhi: int,
    width: int = 1,
) -> list[tuple[int, int]]:
    """Items (or runs of ``width`` items) unique in both ranges, kept along their longest
    increasing subsequence; a run anchors its first item, the gap diff matches the rest."""
    count_a: dict[Hashable, int] = {}
    for i in range(alo, ahi - width + 1):
        key = a[i] if width == 1 else tuple(a[i : i + width])
        count_a[key] = -1 if key in count_a else i
    count_b: dict[Hashable, int] = {}
    for j in range(blo, bhi - width + 1):
        key = b[j] if width == 1 else tuple(b[j : j + width])
        count_b[key] = -1 if key in count_b else j
    candidates = sorted(
        (i, count_b[key]) for key, i in count_a.items() if i >= 0 and count_b.get(key, -1) >= 0
    )
    return _longest_increasing(candidates)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of pairs (sorted by i) whose j also increases: O(n log n)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        previous.append(tail_index[k - 1] if k else -1)
    out: list[tuple[int, int]] = []
    cursor = tail_index[-1] if tail_index else -1
    while cursor >= 0:
        out.append(pairs[cursor])
        cursor = previous[cursor]
    return out[::-1]
