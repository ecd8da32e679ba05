"""Argument-level summary: what the manifests say changed, block by block."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from requete.i18n import _
from requete.manifest import BlockRecord, Manifest
from requete.ooxml.runs import TOKENS
from requete.ooxml.text import Item
from requete.review.diff import Change, DraftDiff


@dataclass(frozen=True)
class ArgumentSummary:
    """Blocks, precedents and pièces that differ between two manifests."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    reversioned: list[tuple[str, Any, Any]] = field(default_factory=list)
    text_changed: list[tuple[str, int]] = field(default_factory=list)
    comments_changed: list[str] = field(default_factory=list)
    precedents_added: list[str] = field(default_factory=list)
    precedents_dropped: list[str] = field(default_factory=list)
    pieces_renumbered: list[tuple[str, Any, Any]] = field(default_factory=list)
    pieces_added: list[str] = field(default_factory=list)
    pieces_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when no argument-level difference was found."""
        return not any(getattr(self, name) for name in self.__dataclass_fields__)

    def lines(self) -> list[str]:
        """The summary as short sentences, most important first."""
        out = [_("block added: {block}").format(block=b) for b in self.added]
        out += [_("block removed: {block}").format(block=b) for b in self.removed]
        out += [_("block moved: {block}").format(block=b) for b in self.moved]
        out += [
            _("block re-versioned: {block} (v{old} → v{new})").format(block=b, old=o, new=n)
            for b, o, n in self.reversioned
        ]
        out += [
            _("text changed in block {block} ({count} paragraph(s))").format(block=b, count=n)
            for b, n in self.text_changed
        ]
        out += [
            _("comment for counsel changed on block {block}").format(block=b)
            for b in self.comments_changed
        ]
        out += [
            _("precedent added: {precedent}").format(precedent=p) for p in self.precedents_added
        ]
        out += [
            _("precedent dropped: {precedent}").format(precedent=p) for p in self.precedents_dropped
        ]
        out += [
            _("pièce renumbered: {key} (n° {old} → n° {new})").format(key=k, old=o, new=n)
            for k, o, n in self.pieces_renumbered
        ]
        out += [_("pièce added: {key}").format(key=k) for k in self.pieces_added]
        out += [_("pièce removed: {key}").format(key=k) for k in self.pieces_removed]
        return out


def summarise_arguments(diff: DraftDiff) -> ArgumentSummary | None:
    """Compare the manifests of both drafts (None unless both carry one) and name the blocks
    whose paragraphs the diff found changed."""
    old, new = diff.old_manifest, diff.new_manifest
    if old is None or new is None:
        return None
    old_blocks, new_blocks = _blocks(old), _blocks(new)
    common = [b for b in old_blocks if b in new_blocks]
    order_new = [b for b in new_blocks if b in old_blocks]
    matcher = SequenceMatcher(None, common, order_new, autojunk=False)
    kept = {common[m.a + k] for m in matcher.get_matching_blocks() for k in range(m.size)}
    touched = _touched_blocks(diff)
    for block in common:
        if old_blocks[block].text_sha1 != new_blocks[block].text_sha1:
            touched.setdefault(block, 0)
    old_pieces, new_pieces = _pieces(old), _pieces(new)
    old_prec, new_prec = old.precedents, new.precedents
    return ArgumentSummary(
        added=[b for b in new_blocks if b not in old_blocks],
        removed=[b for b in old_blocks if b not in new_blocks],
        moved=[b for b in common if b not in kept],
        reversioned=[
            (b, old_blocks[b].version, new_blocks[b].version)
            for b in common
            if old_blocks[b].version != new_blocks[b].version
        ],
        text_changed=[(b, n) for b, n in touched.items() if b in old_blocks and b in new_blocks],
        comments_changed=[
            b for b in common if old_blocks[b].comment_sha1 != new_blocks[b].comment_sha1
        ],
        precedents_added=[p for p in new_prec if p not in old_prec],
        precedents_dropped=[p for p in old_prec if p not in new_prec],
        pieces_renumbered=[
            (k, old_pieces[k], new_pieces[k])
            for k in old_pieces
            if k in new_pieces and old_pieces[k] != new_pieces[k]
        ],
        pieces_added=[k for k in new_pieces if k not in old_pieces],
        pieces_removed=[k for k in old_pieces if k not in new_pieces],
    )


def _only_comments(change: Change) -> bool:
    """True when two paragraphs differ only by comment anchors."""
    assert change.old is not None and change.new is not None
    return all(
        segment.op == "equal" or all(TOKENS.label(c) == "comment" for c in segment.text)
        for segment in change.segments
    )


def _touched_blocks(diff: DraftDiff) -> dict[str, int]:
    """Block id → number of its paragraphs the diff found added, removed or changed."""
    old_map = paragraph_blocks(diff.old_manifest, diff.old.items)
    new_map = paragraph_blocks(diff.new_manifest, diff.new.items)
    counts: Counter[str] = Counter()
    for change in diff.changes:
        if change.status == "unchanged" or (change.move is not None and change.status == "deleted"):
            continue
        if change.old is not None and change.new is not None and _only_comments(change):
            continue  # a comment anchor came or went: the comment line says so
        blocks = set()
        if change.old is not None:
            blocks.add(old_map.get(change.old.index))
        if change.new is not None:
            blocks.add(new_map.get(change.new.index))
        counts.update(b for b in blocks if b)
    return dict(counts)


def _blocks(manifest: Manifest) -> dict[str, BlockRecord]:
    return {b.id: b for b in manifest.blocks}


def paragraph_blocks(manifest: Manifest | None, items: list[Item]) -> dict[int, str]:
    """Item index → block id, by matching each manifest paragraph's text_sha1 with the
    draft's paragraphs in reading order."""
    if manifest is None:
        return {}
    out: dict[int, str] = {}
    cursor = 0
    digests = [hashlib.sha1(i.text.encode()).hexdigest() for i in items]
    for para in manifest.paragraphs:
        target = next((k for k in range(cursor, len(items)) if digests[k] == para.text_sha1), None)
        if target is not None:
            cursor = target + 1
            if para.block is not None:
                out[target] = para.block
    return out


def _pieces(manifest: Manifest) -> dict[str, int]:
    return {p.key: p.number for p in manifest.pieces}
