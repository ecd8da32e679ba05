"""The terminal summary of a comparison, as rich renderables (the CLI prints them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from requete.i18n import N_, _, ngettext
from requete.ooxml.runs import shown
from requete.review.diff import Change, DraftDiff
from requete.review.words import Segment

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

COUNTED = ("added", "removed", "changed", "moved", "unchanged")
# Each count as the HTML report shows it: "3 added".
COUNT_LABELS = {
    "added": N_("{count} added"),
    "removed": N_("{count} removed"),
    "changed": N_("{count} changed"),
    "moved": N_("{count} moved"),
    "unchanged": N_("{count} unchanged"),
}
COARSE = N_("too long to compare word by word: part of it is shown as replaced")
# The heading of a change, by its status (a move has its own).
_HEADINGS = {
    "changed": N_("changed: {where} ({style})"),
    "inserted": N_("inserted: {where} ({style})"),
    "deleted": N_("deleted: {where} ({style})"),
}
STYLES = {"delete": "red strike", "insert": "green underline", "equal": ""}
# Without colour (output piped to a file or a pager without colour), deletions and insertions
# are bracketed as wdiff and git diff --word-diff=plain do.
MARKERS = {"delete": ("[-", "-]"), "insert": ("{+", "+}"), "equal": ("", "")}


def render_summary(
    diff: DraftDiff, limit: int | None = 300, markers: bool = False
) -> list[RenderableType]:
    """Argument summary (when both drafts carry manifests), counts, then each change of
    every story (at most limit of them: the HTML report has them all). With ``markers``,
    deletions read ``[-old-]`` and insertions ``{+new+}``, for output without colour."""
    from rich.panel import Panel
    from rich.text import Text

    out: list[RenderableType] = [Text(f"{diff.old.label} → {diff.new.label}", style="bold")]
    out.extend(Text(line, style="yellow") for line in warning_lines(diff))
    arguments = argument_lines(diff)
    if arguments is not None:
        body = "\n".join(arguments) or _("no argument-level change")
        out.append(Panel(body, title=_("Arguments"), title_align="left", expand=False))
    counts = {name: diff.counts.get(name, 0) for name in COUNTED}
    out.append(
        Text(
            _(
                "Paragraphs: {added} added, {removed} removed, {changed} changed, "
                "{moved} moved, {unchanged} unchanged"
            ).format(**counts)
        )
    )
    if diff.identical:
        out.append(Text(_("No difference in the text."), style="green"))
    for name in diff.uncompared:
        out.append(
            Text(
                _("not compared: {part} differs (carried over from the new draft)").format(
                    part=name
                )
            )
        )
    count = 0
    changes = diff.every_change()
    for change in changes:
        rendered = render_change(change, markers)
        if rendered is None:
            continue
        if limit is not None and count == limit:
            more = sum(describe(c) is not None for c in changes) - limit
            more_line = _("… and {count} more changes (see --html for all)").format(count=more)
            out.append(Text("\n" + more_line, style="bold"))
            break
        out.append(rendered)
        count += 1
    return out


def warning_lines(diff: DraftDiff) -> list[str]:
    """One warning per draft whose package had entries dropped as unsafe (``../x``)."""
    lines = []
    for draft in (diff.old, diff.new):
        dropped = draft.package.dropped
        if dropped:
            names = ", ".join(repr(name) for name in dropped[:10])
            if len(dropped) > 10:
                names = _("{names} and {count} more").format(names=names, count=len(dropped) - 10)
            lines.append(
                ngettext(
                    "{draft}: warning: dropped {count} zip entry with an unsafe name (outside "
                    "the package; never read nor copied into a redline): {names}",
                    "{draft}: warning: dropped {count} zip entries with an unsafe name (outside "
                    "the package; never read nor copied into a redline): {names}",
                    len(dropped),
                ).format(draft=draft.label, count=len(dropped), names=names)
            )
    return lines


def argument_lines(diff: DraftDiff) -> list[str] | None:
    """The argument-level summary as lines, or None unless both drafts carry manifests."""
    from requete.review.arguments import summarise_arguments

    summary = summarise_arguments(diff)
    return None if summary is None else summary.lines()


def describe(change: Change) -> str | None:
    """A heading for one change: what happened and where, or None if nothing did."""
    if change.status == "unchanged" or (change.move is not None and change.status == "deleted"):
        return None
    coarse = f" [{_(COARSE)}]" if change.coarse else ""
    if change.move is not None and change.old and change.new:
        moved = (
            _("moved and edited: {old} → {new}") if change.segments else _("moved: {old} → {new}")
        )
        return moved.format(old=change.old.where, new=change.new.where) + coarse
    item = change.new or change.old
    assert item is not None
    return _(_HEADINGS[change.status]).format(where=item.where, style=item.style) + coarse


def render_change(change: Change, markers: bool = False) -> Text | None:
    """One change with deletions struck through in red and insertions underlined in green
    (or bracketed, with ``markers``); objects as bracketed labels ([image], [note]…)."""
    from rich.text import Text

    heading = describe(change)
    if heading is None:
        return None
    text = Text()
    text.append(f"\n{heading}\n", style="bold cyan")
    for segment in segments_of(change):
        before, after = MARKERS[segment.op] if markers else ("", "")
        text.append(f"{before}{shown(segment.text)}{after}", style=STYLES[segment.op])
    return text


def segments_of(change: Change) -> tuple[Segment, ...]:
    """The word-level segments to show for a change (whole text for added or removed)."""
    if change.segments:
        return change.segments
    if change.status == "inserted" and change.new and change.move is None:
        return (Segment("insert", change.new.key),)
    if change.status == "deleted" and change.old:
        return (Segment("delete", change.old.key),)
    item = change.new or change.old
    return (Segment("equal", item.key),) if item else ()
