"""Pure: an argument set, its ``extends`` chain and the case's own operations -> ordered blocks.

A chain runs from the root set (which lists ``blocks``) through each overlay that
``extends`` it, down to the case file. Each overlay applies, in order: ``remove``,
``replace``, ``override``, ``add``, ``move``. Then the matter's ``applications`` (and the
case's, which win by block) replace the application part of their block, without touching
its law. Every resulting block keeps its layer, file, line, library version and the
operations that touched it (its provenance).

A block added or moved next to a block of another section (or ``at_end_of`` a section)
takes that section: the filing shows it where the operation put it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from requete.errors import Problem
from requete.library import Library, did_you_mean
from requete.model import (
    ApplicationPart,
    ArgumentSet,
    Block,
    Case,
    Origin,
    OverrideOp,
    Pinpoints,
    Placement,
    SetOps,
)
from requete.paths import display_path


@dataclass(frozen=True)
class ResolvedBlock:
    """A block as it enters the filing, with where it came from and what changed it."""

    block: Block
    layer: str
    path: Path
    line: int
    library_version: int
    operations: tuple[str, ...] = ()
    body_path: Path | None = None
    body_line: int | None = None
    application_path: Path | None = None
    application_line: int | None = None

    @property
    def id(self) -> str:
        """The block id."""
        return self.block.id


def merge_pinpoints(base: Pinpoints, more: Pinpoints) -> Pinpoints:
    """What a block uses each pinpoint for, with an override's or application part's own
    declarations winning point by point."""
    merged = {key: dict(points) for key, points in base.items()}
    for key, points in more.items():
        merged.setdefault(key, {}).update(points)
    return merged


@dataclass
class _Entry:
    id: str
    block: Block
    operations: list[str] = field(default_factory=list)
    body_origin: tuple[Path, int] | None = None
    application_origin: tuple[Path, int] | None = None


@dataclass
class Resolution:
    """Resolved blocks plus every problem met, and the chain of sets used."""

    blocks: list[ResolvedBlock]
    problems: list[Problem]
    chain: list[str]
    removed: dict[str, str]


def resolve_blocks(library: Library, case: Case) -> Resolution:
    """Resolve the case's set (or block list) and overlays into ordered blocks."""
    problems: list[Problem] = []
    chain = _chain(library, case, problems)
    procedure = library.procedures.get(case.procedure)
    state = _State(library, problems, procedure.sections if procedure else [])
    if case.blocks is not None:
        state.start(case.blocks, case.origin, ("blocks",))
    elif chain:
        root = chain[0]
        state.start(root.blocks or [], root.origin, ("blocks",))
        for overlay in chain[1:]:
            state.apply(overlay, overlay.origin, f"set {overlay.id}")
    state.apply(case, case.origin, "case")
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, part in enumerate(case.applications):
        key = (part.block, tuple(sorted(part.procedures or ())))
        if key in seen:
            state.duplicate_part(part, case, i, seen[key])
            continue
        seen[key] = i
        state.apply_part(part, case, i)
    return Resolution(state.resolved(), problems, [s.id for s in chain], state.removed)


def _chain(library: Library, case: Case, problems: list[Problem]) -> list[ArgumentSet]:
    origin = case.origin
    if case.set is None:
        if case.blocks is None:
            problems.append(
                Problem(
                    "error",
                    "the case names no argument set; add `set: <id>` or `blocks: [...]`",
                    origin.path,
                    origin.line,
                )
            )
        return []
    if case.blocks is not None:
        problems.append(
            Problem(
                "error",
                "give either `set` or `blocks`, not both",
                origin.path_of("blocks"),
                origin.line_of("blocks"),
            )
        )
        return []
    chain: list[ArgumentSet] = []
    ident: str | None = case.set
    where = (origin.path_of("set"), origin.line_of("set"))
    while ident is not None:
        current = library.sets.get(ident)
        if current is None:
            hint = did_you_mean(ident, library.sets)
            problems.append(Problem("error", f"unknown argument set '{ident}'{hint}", *where))
            return []
        if any(s.id == ident for s in chain):
            cycle = " -> ".join([s.id for s in reversed(chain)] + [ident])
            problems.append(
                Problem("error", f"cycle in `extends`: {cycle}; break the loop", *where)
            )
            return []
        chain.append(current)
        if current.extends is None and current.blocks is None:
            problems.append(
                Problem(
                    "error",
                    f"set '{ident}' has neither `blocks` nor `extends`",
                    current.origin.path,
                    current.origin.line,
                )
            )
            return []
        if current.extends is not None and current.blocks is not None:
            problems.append(
                Problem(
                    "error",
                    f"set '{ident}' has both `blocks` and `extends`; "
                    "an overlay lists operations, not blocks",
                    current.origin.path,
                    current.origin.line_of("blocks"),
                )
            )
            return []
        where = (current.origin.path, current.origin.line_of("extends"))
        ident = current.extends
    return list(reversed(chain))


class _State:
    """The ordered entries while operations are applied."""

    def __init__(self, library: Library, problems: list[Problem], order: list[str]):
        self.library = library
        self.problems = problems
        self.order = order  # the sections in the order of the case's procedure
        self.entries: list[_Entry] = []
        self.removed: dict[str, str] = {}

    def start(self, ids: list[str], origin: Origin, key: tuple[str]) -> None:
        listed = {entry.id for entry in self.entries}  # a set: linear in the set's size
        for i, ident in enumerate(ids):
            block = self._lookup(ident, origin, (*key, i))
            if block is None:
                continue
            if ident in listed:
                self._error(f"block '{ident}' listed twice", origin, (*key, i))
                continue
            listed.add(ident)
            self.entries.append(_Entry(ident, block))

    def apply(self, ops: SetOps, origin: Origin, who: str) -> None:
        for i, ident in enumerate(ops.remove):
            self._remove(ident, origin, ("remove", i), who)
        for i, rep in enumerate(ops.replace):
            self._replace(rep.block, rep.with_, rep.base_version, origin, ("replace", i), who)
        for i, over in enumerate(ops.override):
            self._override(over, origin, ("override", i), who)
        for i, add in enumerate(ops.add):
            self._add(add.block, add, origin, ("add", i), who)
        for i, move in enumerate(ops.move):
            self._move(move.block, move, origin, ("move", i), who)

    def resolved(self) -> list[ResolvedBlock]:
        out = []
        for entry in self.entries:
            base = self.library.blocks[entry.block.id]
            origin = entry.block.origin
            body_path, body_line = entry.body_origin or (origin.path, origin.line_of("body"))
            app_path, app_line = entry.application_origin or (
                origin.path,
                origin.line_of("application"),
            )
            out.append(
                ResolvedBlock(
                    block=entry.block,
                    layer=origin.layer,
                    path=origin.path,
                    line=origin.line,
                    library_version=base.version,
                    operations=tuple(entry.operations),
                    body_path=body_path,
                    body_line=body_line,
                    application_path=app_path,
                    application_line=app_line,
                )
            )
        return out

    def _where(self, origin: Origin, loc: tuple[str | int, ...]) -> str:
        return f"{display_path(origin.path_of(*loc))}:{origin.line_of(*loc)}"

    def _remove(self, ident: str, origin: Origin, loc: tuple[str | int, ...], who: str) -> None:
        entry = self._existing(ident, origin, loc, "remove")
        if entry is not None:
            self.entries.remove(entry)
            self.removed[ident] = f"{who} ({self._where(origin, loc)})"

    def _replace(
        self,
        ident: str,
        other: str,
        base_version: int | None,
        origin: Origin,
        loc: tuple[str | int, ...],
        who: str,
    ) -> None:
        entry = self._existing(ident, origin, loc, "replace")
        block = self._lookup(other, origin, (*loc, "with"))
        if entry is None or block is None:
            return
        if other != ident and self._find(other) is not None:
            self._error(
                f"cannot replace '{ident}' by '{other}': '{other}' is already in the set",
                origin,
                (*loc, "with"),
            )
            return
        self._check_version(ident, base_version, origin, loc, "replaced")
        entry.id, entry.block, entry.body_origin = other, block, None
        entry.operations.append(f"replaces {ident} ({who}, {self._where(origin, loc)})")

    def _override(
        self, over: OverrideOp, origin: Origin, loc: tuple[str | int, ...], who: str
    ) -> None:
        entry = self._existing(over.block, origin, loc, "override")
        if entry is None:
            return
        self._check_version(over.block, over.base_version, origin, loc, "overrode")
        changes = {
            k: v
            for k, v in over.model_dump(exclude={"block", "base_version"}).items()
            if v is not None
        }
        if not changes:
            self._warn(f"override of '{over.block}' changes no field", origin, loc)
            return
        if "pinpoints" in changes:
            changes["pinpoints"] = merge_pinpoints(entry.block.pinpoints, over.pinpoints or {})
        entry.block = entry.block.model_copy(update=changes).located(entry.block.origin)
        if "body" in changes:
            entry.body_origin = (origin.path_of(*loc, "body"), origin.line_of(*loc, "body"))
        if "application" in changes:
            entry.application_origin = (
                origin.path_of(*loc, "application"),
                origin.line_of(*loc, "application"),
            )
        fields = ", ".join(sorted(changes))
        entry.operations.append(f"override {fields} ({who}, {self._where(origin, loc)})")

    def _add(
        self, ident: str, place: Placement, origin: Origin, loc: tuple[str | int, ...], who: str
    ) -> None:
        block = self._lookup(ident, origin, (*loc, "block"))
        if block is None:
            return
        if self._find(ident) is not None:
            self._error(f"cannot add '{ident}': it is already in the set", origin, loc)
            return
        index = self._position(place, block, origin, loc)
        if index is None:
            return
        entry = _Entry(ident, block, [f"added ({who}, {self._where(origin, loc)})"])
        self.entries.insert(index, entry)
        self._take_section(entry, place, index)

    def _move(
        self, ident: str, place: Placement, origin: Origin, loc: tuple[str | int, ...], who: str
    ) -> None:
        entry = self._existing(ident, origin, loc, "move")
        if entry is None:
            return
        self.entries.remove(entry)
        index = self._position(place, entry.block, origin, loc)
        if index is None:
            self.entries.append(entry)
            return
        self.entries.insert(index, entry)
        entry.operations.append(f"moved ({who}, {self._where(origin, loc)})")
        self._take_section(entry, place, index)

    def _take_section(self, entry: _Entry, place: Placement, index: int) -> None:
        """The block belongs to the section where it was placed."""
        if place.at_end_of:
            section = place.at_end_of
        elif place.after or place.before:
            neighbour = self.entries[index - 1 if place.after else index + 1]
            section = neighbour.block.section
        else:
            return
        if section != entry.block.section:
            old = entry.block.section
            entry.block = entry.block.model_copy(update={"section": section}).located(
                entry.block.origin
            )
            entry.operations.append(f"section {old} -> {section}")

    def duplicate_part(self, part: ApplicationPart, case: Case, i: int, first: int) -> None:
        """Two parts for one block and the same procedures: which one is meant?"""
        origin = case.origin
        where = self._where(origin, ("applications", first))
        self._error(
            f"a second application part for '{part.block}' (the first is at {where}); "
            "keep one, or give each its `procedures:`",
            origin,
            ("applications", i),
        )

    def apply_part(self, part: ApplicationPart, case: Case, i: int) -> None:
        """Put a matter's (or case's) application part in place of its block's own
        (priority, lowest first: the block, the matter's parts, overrides, the case's parts)."""
        origin, loc = case.origin, ("applications", i)
        entry = self._find(part.block)
        block = entry.block if entry else self.library.blocks.get(part.block)
        if block is None:
            hint = did_you_mean(part.block, self.library.blocks)
            self._error(f"application part for unknown block '{part.block}'{hint}", origin, loc)
            return
        allowed = set(block.procedures or self.library.procedures.names())
        if part.procedures is not None and not allowed & set(part.procedures):
            self._error(
                f"application part for '{part.block}' is for {', '.join(part.procedures)}, "
                f"but the block is written for {', '.join(sorted(allowed))}; fix `procedures`",
                origin,
                (*loc, "procedures"),
            )
            return
        procedure = self.library.procedures.get(case.procedure)
        covered = part.procedures or sorted(allowed)
        if not (procedure.takes(covered) if procedure else case.procedure in covered):
            return  # a part of the matter for its other filings
        in_matter = origin.path_of(*loc) != origin.path  # else written in the case file
        if entry is not None and entry.application_origin and in_matter:
            entry.operations.append(
                f"application of the matter ({self._where(origin, loc)}) not used: "
                "an override gives its own"
            )
            return
        if entry is None:
            if in_matter:  # the shared matter's part, for its filings that have the block
                self.problems.append(
                    Problem(
                        "note",
                        f"application part for '{part.block}' is not used: this filing does "
                        "not contain the block",
                        origin.path_of(*loc),
                        origin.line_of(*loc),
                    )
                )
                return
            ids = [e.id for e in self.entries]
            self._error(
                f"application part for '{part.block}', which this filing does not contain"
                f"{did_you_mean(part.block, ids)}; add the block or give the part "
                "`procedures:` that exclude this filing",
                origin,
                (*loc, "block"),
            )
            return
        update = {
            "application": part.text,
            "pinpoints": merge_pinpoints(entry.block.pinpoints, part.pinpoints),
        }
        entry.block = entry.block.model_copy(update=update).located(entry.block.origin)
        entry.application_origin = (origin.path_of(*loc, "text"), origin.line_of(*loc, "text"))
        entry.operations.append(f"application ({self._where(origin, loc)})")

    def _position(
        self, place: Placement, block: Block, origin: Origin, loc: tuple[str | int, ...]
    ) -> int | None:
        given = [k for k in ("after", "before", "at_end_of") if getattr(place, k) is not None]
        if len(given) > 1:
            self._error("give only one of after, before, at_end_of", origin, loc)
            return None
        if place.after or place.before:
            anchor = place.after or place.before or ""
            key = "after" if place.after else "before"
            entry = self._existing(anchor, origin, (*loc, key), f"place '{block.id}' {key}")
            if entry is None:
                return None
            return self.entries.index(entry) + (1 if place.after else 0)
        return self._section_end(place.at_end_of or block.section)

    def _section_end(self, section: str) -> int:
        """After the last block of ``section`` or of a section the procedure puts before it."""
        order = {name: rank for rank, name in enumerate(self.order)}
        rank = order.get(section, len(order))
        index = 0
        for i, entry in enumerate(self.entries):
            if order.get(entry.block.section, len(order)) <= rank:
                index = i + 1
        return index

    def _check_version(
        self,
        ident: str,
        base_version: int | None,
        origin: Origin,
        loc: tuple[str | int, ...],
        verb: str,
    ) -> None:
        current = self.library.blocks[ident].version if ident in self.library.blocks else None
        if current is None:
            return
        if base_version is None:
            self._warn(
                f"'{ident}' is v{current}; record `base_version: {current}` so you are "
                "told when the base block changes",
                origin,
                loc,
            )
        elif base_version != current:
            self._warn(
                f"{ident} was v{base_version} when you {verb} it, now v{current} — "
                "review your change, then set base_version to "
                f"{current}",
                origin,
                (*loc, "base_version"),
            )

    def _lookup(self, ident: str, origin: Origin, loc: tuple[str | int, ...]) -> Block | None:
        block = self.library.blocks.get(ident)
        if block is None:
            hint = did_you_mean(ident, self.library.blocks)
            self._error(f"unknown argument block '{ident}'{hint}", origin, loc)
        return block

    def _existing(
        self, ident: str, origin: Origin, loc: tuple[str | int, ...], verb: str
    ) -> _Entry | None:
        entry = self._find(ident)
        if entry is None:
            ids = [e.id for e in self.entries]
            hint = did_you_mean(ident, ids)
            why = f" (already removed by {self.removed[ident]})" if ident in self.removed else ""
            self._error(f"cannot {verb} '{ident}': it is not in the set{why}{hint}", origin, loc)
        return entry

    def _find(self, ident: str) -> _Entry | None:
        return next((e for e in self.entries if e.id == ident), None)

    def _error(self, message: str, origin: Origin, loc: tuple[str | int, ...]) -> None:
        self.problems.append(Problem("error", message, origin.path_of(*loc), origin.line_of(*loc)))

    def _warn(self, message: str, origin: Origin, loc: tuple[str | int, ...]) -> None:
        self.problems.append(
            Problem("warning", message, origin.path_of(*loc), origin.line_of(*loc))
        )
