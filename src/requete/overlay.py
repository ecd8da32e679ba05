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

from requete.errors import Problem, did_you_mean
from requete.i18n import N_, _
from requete.library import Library
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
                    _("the case names no argument set; add `set: <id>` or `blocks: [...]`"),
                    origin.path,
                    origin.line,
                )
            )
        return []
    if case.blocks is not None:
        problems.append(
            Problem(
                "error",
                _("give either `set` or `blocks`, not both"),
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
            message = _("unknown argument set '{id}'{hint}").format(id=ident, hint=hint)
            problems.append(Problem("error", message, *where))
            return []
        if any(s.id == ident for s in chain):
            cycle = " -> ".join([s.id for s in reversed(chain)] + [ident])
            problems.append(
                Problem(
                    "error",
                    _("cycle in `extends`: {cycle}; break the loop").format(cycle=cycle),
                    *where,
                )
            )
            return []
        chain.append(current)
        if current.extends is None and current.blocks is None:
            problems.append(
                Problem(
                    "error",
                    _("set '{id}' has neither `blocks` nor `extends`").format(id=ident),
                    current.origin.path,
                    current.origin.line,
                )
            )
            return []
        if current.extends is not None and current.blocks is not None:
            problems.append(
                Problem(
                    "error",
                    _(
                        "set '{id}' has both `blocks` and `extends`; "
                        "an overlay lists operations, not blocks"
                    ).format(id=ident),
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
                self._error(_("block '{id}' listed twice").format(id=ident), origin, (*key, i))
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

    # The operations a block records (``set ngo``, ``added (case, …)``, ``replaces x (…)``)
    # stay in English: they are written into the manifest of the .docx, which must not depend
    # on the language of whoever builds it. Messages show ``who`` translated (_shown).

    def _remove(self, ident: str, origin: Origin, loc: tuple[str | int, ...], who: str) -> None:
        entry = self._existing(ident, origin, loc, _REMOVE)
        if entry is not None:
            self.entries.remove(entry)
            self.removed[ident] = f"{_shown(who)} ({self._where(origin, loc)})"

    def _replace(
        self,
        ident: str,
        other: str,
        base_version: int | None,
        origin: Origin,
        loc: tuple[str | int, ...],
        who: str,
    ) -> None:
        entry = self._existing(ident, origin, loc, _REPLACE)
        block = self._lookup(other, origin, (*loc, "with"))
        if entry is None or block is None:
            return
        if other != ident and self._find(other) is not None:
            self._error(
                _("cannot replace '{id}' by '{other}': '{other}' is already in the set").format(
                    id=ident, other=other
                ),
                origin,
                (*loc, "with"),
            )
            return
        self._check_version(ident, base_version, origin, loc, _REPLACED)
        entry.id, entry.block, entry.body_origin = other, block, None
        entry.operations.append(f"replaces {ident} ({who}, {self._where(origin, loc)})")

    def _override(
        self, over: OverrideOp, origin: Origin, loc: tuple[str | int, ...], who: str
    ) -> None:
        entry = self._existing(over.block, origin, loc, _OVERRIDE)
        if entry is None:
            return
        self._check_version(over.block, over.base_version, origin, loc, _OVERRODE)
        changes = {
            k: v
            for k, v in over.model_dump(exclude={"block", "base_version"}).items()
            if v is not None
        }
        if not changes:
            self._warn(_("override of '{id}' changes no field").format(id=over.block), origin, loc)
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
            self._error(
                _("cannot add '{id}': it is already in the set").format(id=ident), origin, loc
            )
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
        entry = self._existing(ident, origin, loc, _MOVE)
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
            _(
                "a second application part for '{id}' (the first is at {where}); "
                "keep one, or give each its `procedures:`"
            ).format(id=part.block, where=where),
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
            self._error(
                _("application part for unknown block '{id}'{hint}").format(
                    id=part.block, hint=hint
                ),
                origin,
                loc,
            )
            return
        allowed = set(block.procedures or self.library.procedures.names())
        if part.procedures is not None and not allowed & set(part.procedures):
            self._error(
                _(
                    "application part for '{id}' is for {procedures}, "
                    "but the block is written for {allowed}; fix `procedures`"
                ).format(
                    id=part.block,
                    procedures=", ".join(part.procedures),
                    allowed=", ".join(sorted(allowed)),
                ),
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
                        _(
                            "application part for '{id}' is not used: this filing does "
                            "not contain the block"
                        ).format(id=part.block),
                        origin.path_of(*loc),
                        origin.line_of(*loc),
                        kind="unused",
                    )
                )
                return
            ids = [e.id for e in self.entries]
            self._error(
                _(
                    "application part for '{id}', which this filing does not contain"
                    "{hint}; add the block or give the part "
                    "`procedures:` that exclude this filing"
                ).format(id=part.block, hint=did_you_mean(part.block, ids)),
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
            self._error(_("give only one of after, before, at_end_of"), origin, loc)
            return None
        if place.after or place.before:
            anchor = place.after or place.before or ""
            key = "after" if place.after else "before"
            action = _PLACE_AFTER if place.after else _PLACE_BEFORE
            entry = self._existing(anchor, origin, (*loc, key), action, block.id)
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
        changed: str,
    ) -> None:
        """``changed`` is one of the messages _REPLACED, _OVERRODE (marked with N_)."""
        current = self.library.blocks[ident].version if ident in self.library.blocks else None
        if current is None:
            return
        if base_version is None:
            self._warn(
                _(
                    "'{id}' is v{current}; record `base_version: {current}` so you are "
                    "told when the base block changes"
                ).format(id=ident, current=current),
                origin,
                loc,
            )
        elif base_version != current:
            self._warn(
                _(changed).format(id=ident, base=base_version, current=current),
                origin,
                (*loc, "base_version"),
            )

    def _lookup(self, ident: str, origin: Origin, loc: tuple[str | int, ...]) -> Block | None:
        block = self.library.blocks.get(ident)
        if block is None:
            hint = did_you_mean(ident, self.library.blocks)
            self._error(
                _("unknown argument block '{id}'{hint}").format(id=ident, hint=hint), origin, loc
            )
        return block

    def _existing(
        self,
        ident: str,
        origin: Origin,
        loc: tuple[str | int, ...],
        action: str,
        placed: str = "",
    ) -> _Entry | None:
        """``action`` is one of the messages _REMOVE… (marked with N_); ``placed`` is the
        block an ``after``/``before`` places."""
        entry = self._find(ident)
        if entry is None:
            ids = [e.id for e in self.entries]
            hint = did_you_mean(ident, ids)
            why = (
                " " + _("(already removed by {who})").format(who=self.removed[ident])
                if ident in self.removed
                else ""
            )
            message = _(action).format(id=ident, block=placed, why=why, hint=hint)
            self._error(message, origin, loc)
        return entry

    def _find(self, ident: str) -> _Entry | None:
        return next((e for e in self.entries if e.id == ident), None)

    def _error(self, message: str, origin: Origin, loc: tuple[str | int, ...]) -> None:
        self.problems.append(Problem("error", message, origin.path_of(*loc), origin.line_of(*loc)))

    def _warn(self, message: str, origin: Origin, loc: tuple[str | int, ...]) -> None:
        self.problems.append(
            Problem("warning", message, origin.path_of(*loc), origin.line_of(*loc))
        )


def _shown(who: str) -> str:
    """Who made an operation (``case``, ``set ngo``: English in the manifest), translated."""
    if who == "case":
        return _("case")
    return _("set {id}").format(id=who.removeprefix("set "))


# An operation on a block that is not in the set: {id} the block, {why} why it is not there
# (already removed), {hint} a did-you-mean, {block} the block placed after or before it.
_REMOVE = N_("cannot remove '{id}': it is not in the set{why}{hint}")
_REPLACE = N_("cannot replace '{id}': it is not in the set{why}{hint}")
_OVERRIDE = N_("cannot override '{id}': it is not in the set{why}{hint}")
_MOVE = N_("cannot move '{id}': it is not in the set{why}{hint}")
_PLACE_AFTER = N_("cannot place '{block}' after '{id}': it is not in the set{why}{hint}")
_PLACE_BEFORE = N_("cannot place '{block}' before '{id}': it is not in the set{why}{hint}")
# A block changed by an overlay has a new version in the library.
_REPLACED = N_(
    "{id} was v{base} when you replaced it, now v{current} — review your change, then set "
    "base_version to {current}"
)
_OVERRODE = N_(
    "{id} was v{base} when you overrode it, now v{current} — review your change, then set "
    "base_version to {current}"
)
