"""The terminal summary of a comparison, as rich renderables (the CLI prints them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from requete.review.diff import Change, DraftDiff
from requete.review.runs import shown
from requete.review.words import Segment

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

COUNTED = ("added", "removed", "changed", "moved", "unchanged")
COARSE = "too long to compare word by word: part of it is shown as replaced"
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
        body = "\n".join(arguments) or "no argument-level change"
        out.append(Panel(body, title="Arguments", title_align="left", expand=False))
    counts = ", ".join(f"{diff.counts.get(name, 0)} {name}" for name in COUNTED)
    out.append(Text(f"Paragraphs: {counts}"))
    if diff.identical:
        out.append(Text("No difference in the text.", style="green"))
    for name in diff.uncompared:
        out.append(Text(f"not compared: {name} differs (carried over from the new draft)"))
    count = 0
    changes = diff.every_change()
    for change in changes:
        rendered = render_change(change, markers)
        if rendered is None:
            continue
        if limit is not None and count == limit:
            more = sum(describe(c) is not None for c in changes) - limit
            out.append(Text(f"\n… and {more} more changes (see --html for all)", style="bold"))
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
            more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
            lines.append(
                f"{draft.label}: warning: dropped {len(dropped)} zip entr"
                f"{'y' if len(dropped) == 1 else 'ies'} with an unsafe name (outside the "
                f"package; never read nor copied into a redline): {names}{more}"
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
    coarse = f" [{COARSE}]" if change.coarse else ""
    if change.move is not None and change.old and change.new:
        edited = " and edited" if change.segments else ""
        return f"moved{edited}: {change.old.where} → {change.new.where}{coarse}"
    item = change.new or change.old
    assert item is not None
    return f"{change.status}: {item.where} ({item.style}){coarse}"


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
