"""Compare two drafts: paragraph alignment, moves, word-level changes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any, Final, Literal

from requete.ooxml.package import Package, Source
from requete.ooxml.text import Draft, Item, Story, read_draft
from requete.review.align import match_pairs
from requete.review.tables import TableMap, cell_of, map_tables
from requete.review.words import Segment, bag_of_words, bounded_word_diff, similarity

if TYPE_CHECKING:
    from requete.manifest import Manifest

Status = Literal["unchanged", "changed", "inserted", "deleted"]

CHANGED_AT: Final = 0.5  # word similarity from which a replaced paragraph is "changed"
MOVED_AT: Final = 0.8  # word similarity from which a removed+added pair is a move
PAIRING_BUDGET: Final = 10_000  # comparisons allowed for pairing or move detection
# Parts that hold layout, metadata or what the stories already compare (pictures through
# their bytes, comment extensions through the comments): never reported as not compared.
_NOT_CONTENT: Final = re.compile(
    r"^(\[Content_Types\]\.xml|(.*/)?_rels/.*|docProps/.*|customXml/.*|word/theme/.*"
    r"|word/media/.*|word/(styles|stylesWithEffects|numbering|settings|webSettings|fontTable"
    r"|people|commentsExtended|commentsIds|commentsExtensible)\.xml)$"
)


@dataclass(frozen=True)
class Change:
    """One step of the comparison, in reading order; a move is a deletion plus an insertion."""

    status: Status
    old: Item | None = None
    new: Item | None = None
    segments: tuple[Segment, ...] = ()
    move: int | None = None
    coarse: bool = False  # too long to compare word by word everywhere: part shown replaced


@dataclass
class StoryDiff:
    """The comparison of one story other than the body (a note, a header, a text box):
    paired through its anchor, or present in one draft only (then all inserted or deleted)."""

    label: str
    kind: str
    old: Story | None
    new: Story | None
    changes: list[Change]
    tables: TableMap = field(default_factory=TableMap)


@dataclass
class DraftDiff:
    """The comparison of two drafts, used by the summary, the report and the redline."""

    old: Draft
    new: Draft
    changes: list[Change]
    old_manifest: Manifest | None = None
    new_manifest: Manifest | None = None
    counts: Counter[str] = field(default_factory=Counter)
    stories: list[StoryDiff] = field(default_factory=list)
    tables: TableMap = field(default_factory=TableMap)
    uncompared: list[str] = field(default_factory=list)  # parts that differ, not read

    @property
    def identical(self) -> bool:
        """True when no paragraph of any story differs."""
        return all(c.status == "unchanged" for c in self.every_change())

    def every_change(self) -> list[Change]:
        """The changes of the body, then of each other story, in reading order."""
        out = list(self.changes)
        for story in self.stories:
            out.extend(story.changes)
        return out


def diff_drafts(
    old: Source | Draft,
    new: Source | Draft,
    old_label: str | None = None,
    new_label: str | None = None,
) -> DraftDiff:
    """Compare two .docx (paths, bytes or drafts already read); raise DocxError if unreadable."""
    from requete.manifest import load_manifest

    old_draft = old if isinstance(old, Draft) else read_draft(old, old_label)
    new_draft = new if isinstance(new, Draft) else read_draft(new, new_label)
    changes, tables = compare_structure(old_draft.visible(), new_draft.visible())
    result = DraftDiff(
        old_draft,
        new_draft,
        changes,
        load_manifest(old_draft.package),
        load_manifest(new_draft.package),
        tables=tables,
    )
    result.stories = compare_stories(old_draft, new_draft, changes)
    result.counts = count_changes(result.every_change())
    result.uncompared = uncompared_parts(old_draft, new_draft)
    return result


def uncompared_parts(old: Draft, new: Draft) -> list[str]:
    """Parts no story reads (charts, embedded objects, a glossary…) that differ between the
    drafts or exist in one only: the redline carries the new ones over unchanged."""
    read = set(old.parts) | set(new.parts)
    names = [*new.package.names(), *(n for n in old.package.names() if not new.package.has(n))]
    out = []
    for name in names:
        if name in read or name.endswith("/") or _NOT_CONTENT.match(name):
            continue
        if _differs(old.package, new.package, name):
            out.append(name)
    return out


def _differs(old: Package, new: Package, name: str) -> bool:
    if not old.has(name) or not new.has(name):
        return True
    same_crc = old.infos_by(name).CRC == new.infos_by(name).CRC
    return not same_crc or old.read(name) != new.read(name)


def compare_stories(old: Draft, new: Draft, changes: list[Change]) -> list[StoryDiff]:
    """Every story other than the body, compared: notes, comments and text boxes paired
    through their anchors in the compared text, headers and footers by section and type."""
    out: list[StoryDiff] = []
    _follow(changes, old.children, new.children, out)
    seen: set[tuple[int, int]] = set()
    for number in range(max(len(old.sections), len(new.sections))):
        before = old.sections[number] if number < len(old.sections) else {}
        after = new.sections[number] if number < len(new.sections) else {}
        for name in [*after, *(n for n in before if n not in after)]:
            pair = before.get(name), after.get(name)
            ids = (id(pair[0].container) if pair[0] else 0, id(pair[1].container) if pair[1] else 0)
            if ids not in seen:
                seen.add(ids)
                _story(pair[0], pair[1], out)
    return out


Children = dict[Any, list[Story]]


def _follow(changes: list[Change], old: Children, new: Children, out: list[StoryDiff]) -> None:
    """Pair the stories anchored in two compared story texts, and compare each pair."""
    for old_anchor, new_anchor in anchor_pairs(changes):
        before = old.get(old_anchor, []) if old_anchor is not None else []
        after = new.get(new_anchor, []) if new_anchor is not None else []
        for index in range(max(len(before), len(after))):
            _story(
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                out,
            )


def _story(old: Story | None, new: Story | None, out: list[StoryDiff]) -> None:
    if old is None and new is None:
        return
    changes, tables = compare_structure(old.visible() if old else [], new.visible() if new else [])
    shown = new or old
    assert shown is not None
    out.append(StoryDiff(shown.label, shown.kind, old, new, changes, tables))
    _follow(changes, old.children if old else {}, new.children if new else {}, out)


def anchor_pairs(changes: list[Change]) -> list[tuple[Any, Any]]:
    """The objects of two compared texts paired: (old, new) for an object kept, (old, None)
    for one deleted, (None, new) for one inserted (moves count as deleted and inserted)."""
    pairs: list[tuple[Any, Any]] = []
    for change in changes:
        old = list(change.old.anchors) if change.old else []
        new = list(change.new.anchors) if change.new else []
        if change.status == "unchanged":
            pairs.extend(zip((a for _, a in old), (a for _, a in new), strict=False))
        elif change.status == "changed":
            pairs.extend(_segment_pairs(change, old, new))
        elif change.status == "deleted" or (change.status == "inserted" and change.move is None):
            pairs.extend((a, None) for _, a in old)
            pairs.extend((None, a) for _, a in new)
        else:  # the insertion of a move: its old side is the deletion's
            pairs.extend((None, a) for _, a in new)
    return pairs


def _segment_pairs(change: Change, old: list[Any], new: list[Any]) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    at_old = at_new = 0
    for segment in change.segments:
        size = len(segment.text)
        took_old = [a for offset, a in old if at_old <= offset < at_old + size]
        took_new = [a for offset, a in new if at_new <= offset < at_new + size]
        if segment.op == "equal":
            pairs.extend(zip(took_old, took_new, strict=False))
            at_old, at_new = at_old + size, at_new + size
        elif segment.op == "delete":
            pairs.extend((a, None) for a in took_old)
            at_old += size
        else:
            pairs.extend((None, a) for a in took_new)
            at_new += size
    return pairs


def count_changes(changes: list[Change]) -> Counter[str]:
    """How many paragraphs were added, removed, changed, moved, left alone."""
    counts: Counter[str] = Counter()
    for change in changes:
        if change.move is None:
            counts[
                {"inserted": "added", "deleted": "removed"}.get(change.status, change.status)
            ] += 1
        elif change.status == "inserted":
            counts["moved"] += 1
    return counts


def compare_items(old: list[Item], new: list[Item]) -> list[Change]:
    """Align two paragraph lists and describe every difference in reading order."""
    return compare_structure(old, new)[0]


def compare_structure(old: list[Item], new: list[Item]) -> tuple[list[Change], TableMap]:
    """:func:`compare_items`, and how the tables of the two lists correspond; a paragraph
    paired across that structure (into another cell, into or out of a table) is a deletion
    and an insertion."""
    aligned = match_pairs([i.key for i in old], [i.key for i in new])
    free_old = set(range(len(old))) - {i for i, _ in aligned}
    free_new = set(range(len(new))) - {j for _, j in aligned}
    moves = _exact_moves(old, new, free_old, free_new)
    changed = _pair_gaps(old, new, aligned, free_old, free_new)
    moves.update(_near_moves(old, new, free_old, free_new, len(moves) // 2))
    pairs = sorted(aligned + changed)
    tables = map_tables(
        [(old[i].element, new[j].element) for i, j in pairs if old[i].cell and new[j].cell]
    )
    kept = [(i, j) for i, j in pairs if _same_place(old[i], new[j], tables)]
    return _script(old, new, kept, set(changed), moves), tables


def _same_place(old: Item, new: Item, tables: TableMap) -> bool:
    """True when a paired paragraph stays where its pair was: out of any table, or in the
    cell that continues its old cell."""
    if old.cell is None or new.cell is None:
        return old.cell is None and new.cell is None
    return tables.cells.get(cell_of(old.element)) is cell_of(new.element)


def _exact_moves(
    old: list[Item], new: list[Item], free_old: set[int], free_new: set[int]
) -> dict[tuple[str, int], int]:
    by_text: dict[str, list[int]] = {}
    for j in sorted(free_new):
        by_text.setdefault(new[j].key, []).append(j)
    moves: dict[tuple[str, int], int] = {}
    for i in sorted(free_old):
        targets = by_text.get(old[i].key)
        if targets:
            j = targets.pop(0)
            moves[("old", i)] = moves[("new", j)] = len(moves) // 2
            free_old.discard(i)
            free_new.discard(j)
    return moves


def _pair_gaps(
    old: list[Item],
    new: list[Item],
    aligned: list[tuple[int, int]],
    free_old: set[int],
    free_new: set[int],
) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    bounds = [(-1, -1), *aligned, (len(old), len(new))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        gap_old = [i for i in range(i0 + 1, i1) if i in free_old]
        gap_new = [j for j in range(j0 + 1, j1) if j in free_new]
        if gap_old and gap_new:
            pairs.extend(_pair(old, new, gap_old, gap_new))
    for i, j in pairs:
        free_old.discard(i)
        free_new.discard(j)
    return pairs


def _pair(
    old: list[Item], new: list[Item], gap_old: list[int], gap_new: list[int]
) -> list[tuple[int, int]]:
    """Monotone pairing of a replaced block maximising word similarity (bounded DP)."""
    bags_old = [bag_of_words(old[i].key) for i in gap_old]
    bags_new = [bag_of_words(new[j].key) for j in gap_new]
    if len(gap_old) * len(gap_new) > PAIRING_BUDGET:
        return [
            (i, j)
            for (i, bo), (j, bn) in zip(
                zip(gap_old, bags_old, strict=True),
                zip(gap_new, bags_new, strict=True),
                strict=False,
            )
            if similarity(bo, bn) >= CHANGED_AT
        ]
    n, m = len(gap_old), len(gap_new)
    sims = [
        [_similar(old[i].key, new[j].key, bo, bn) for j, bn in zip(gap_new, bags_new, strict=True)]
        for i, bo in zip(gap_old, bags_old, strict=True)
    ]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            sim = sims[x][y]
            take = score[x + 1][y + 1] + sim if sim >= CHANGED_AT else -1.0
            score[x][y] = max(take, score[x + 1][y], score[x][y + 1])
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < n and y < m:
        sim = sims[x][y]
        if sim >= CHANGED_AT and score[x][y] == score[x + 1][y + 1] + sim:
            pairs.append((gap_old[x], gap_new[y]))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


SHORT: Final = 100  # characters: up to this, paragraphs are also compared letter by letter
LETTERS_AT: Final = 0.8  # letter similarity from which two short paragraphs are one changed


def _similar(a: str, b: str, bag_a: Counter[str], bag_b: Counter[str]) -> float:
    """Word similarity, or for two short paragraphs ("Title" → "Title1") letter similarity
    when it is high."""
    words = similarity(bag_a, bag_b)
    if words >= CHANGED_AT or len(a) > SHORT or len(b) > SHORT:
        return words
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < LETTERS_AT or matcher.quick_ratio() < LETTERS_AT:
        return words
    letters = matcher.ratio()
    return max(words, CHANGED_AT) if letters >= LETTERS_AT else words


def _near_moves(
    old: list[Item], new: list[Item], free_old: set[int], free_new: set[int], taken: int
) -> dict[tuple[str, int], int]:
    moves: dict[tuple[str, int], int] = {}
    if len(free_old) * len(free_new) > PAIRING_BUDGET:
        return moves
    sets_new = {j: set(bag_of_words(new[j].key)) for j in free_new}
    for i in sorted(free_old):
        words = set(bag_of_words(old[i].key))
        if len(words) < 4:
            continue
        best = max(((_dice(words, sets_new[j]), j) for j in sorted(free_new)), default=(0.0, -1))
        if best[0] >= MOVED_AT:
            number = taken + len(moves) // 2
            moves[("old", i)] = moves[("new", best[1])] = number
            free_new.discard(best[1])
    return moves


def _dice(a: set[str], b: set[str]) -> float:
    """Dice coefficient of two word sets, skipping the intersection when sizes rule it out."""
    small, large = sorted((len(a), len(b)))
    if not large or 2 * small < MOVED_AT * (small + large):
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _script(
    old: list[Item],
    new: list[Item],
    aligned: list[tuple[int, int]],
    changed: set[tuple[int, int]],
    moves: dict[tuple[str, int], int],
) -> list[Change]:
    """Merge into reading order: in each gap deletions first, then insertions."""
    out: list[Change] = []
    moved_from = {number: i for (side, i), number in moves.items() if side == "old"}
    i = j = 0
    for ai, aj in [*aligned, (len(old), len(new))]:
        out.extend(Change("deleted", old=old[k], move=moves.get(("old", k))) for k in range(i, ai))
        for k in range(j, aj):
            move = moves.get(("new", k))
            source = old[moved_from[move]] if move is not None else None
            segments, complete = (
                bounded_word_diff(source.key, new[k].key)
                if source and source.key != new[k].key
                else ((), True)
            )
            out.append(Change("inserted", source, new[k], segments, move=move, coarse=not complete))
        if ai < len(old) and aj < len(new):
            if (ai, aj) in changed:
                segments, complete = bounded_word_diff(old[ai].key, new[aj].key)
                out.append(Change("changed", old[ai], new[aj], segments, coarse=not complete))
            else:
                out.append(Change("unchanged", old[ai], new[aj]))
        i, j = ai + 1, aj + 1
    return out
