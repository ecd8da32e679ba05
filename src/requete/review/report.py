"""The HTML report: one self-contained page, inline or side by side."""

from __future__ import annotations

from html import escape
from typing import Literal

from requete.i18n import _
from requete.ooxml.runs import shown
from requete.review.diff import Change, DraftDiff
from requete.review.summary import COUNT_LABELS, COUNTED, argument_lines, describe, segments_of
from requete.review.words import Segment

Layout = Literal["inline", "side"]

_CSS = """
body{font-family:Georgia,serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.3em}.meta{color:#555}.counts span{margin-right:1.5em}
.p{margin:.4em 0;padding:.3em .6em;border-left:4px solid transparent;white-space:pre-wrap}
.unchanged{color:#777}.changed{border-color:#d9a400}.inserted{border-color:#2a8a2a}
.deleted{border-color:#c0392b}.moved{border-color:#2f6fb5}
del{background:#fbe3e1;color:#a12a1d}ins{background:#e1f5e1;color:#1c6b1c;text-decoration:none}
.where{font:.8em sans-serif;color:#2f6fb5;display:block}
table{border-collapse:collapse;width:100%}td{vertical-align:top;width:50%;padding:.3em .6em;
border-top:1px solid #ddd;white-space:pre-wrap}.args{background:#f4f6fa;padding:.5em 1em}
"""


def render_html(diff: DraftDiff, layout: Layout = "inline") -> str:
    """A self-contained HTML page (inline CSS, escaped text) showing every change."""
    title = f"{diff.old.label} → {diff.new.label}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Comparaison</h1><p class='meta'>{escape(title)}</p>",
    ]
    labels = [_(COUNT_LABELS[n]).format(count=diff.counts.get(n, 0)) for n in COUNTED]
    counts = "".join(f"<span>{label}</span>" for label in labels)
    parts.append(f"<p class='counts'>{counts}</p>")
    arguments = argument_lines(diff)
    if arguments is not None:
        items = "".join(f"<li>{escape(line)}</li>" for line in arguments)
        items = items or "<li>" + escape(_("none")) + "</li>"
        heading = escape(_("Arguments"))
        parts.append(f"<div class='args'><h2>{heading}</h2><ul>{items}</ul></div>")
    for name in diff.uncompared:
        shown_name = _("not compared: {part} differs").format(part=name)
        parts.append(f"<p class='meta'>{escape(shown_name)}</p>")
    changes = diff.every_change()
    parts.extend(_inline(changes) if layout == "inline" else _side(changes))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _inline(changes: list[Change]) -> list[str]:
    out = []
    for change in changes:
        heading = describe(change)
        if change.status == "deleted" and change.move is not None:
            continue
        css = "moved" if change.move is not None else change.status
        where = f"<span class='where'>{escape(heading)}</span>" if heading else ""
        out.append(f"<div class='p {css}'>{where}{_segments(segments_of(change))}</div>")
    return out


def _side(changes: list[Change]) -> list[str]:
    rows = ["<table><tr><th>Ancienne version</th><th>Nouvelle version</th></tr>"]
    for change in changes:
        if change.status == "unchanged" or (change.move is not None and change.status == "deleted"):
            continue
        segments = segments_of(change)
        old = [s for s in segments if s.op != "insert"] if change.old else []
        new = [s for s in segments if s.op != "delete"] if change.new else []
        heading = escape(describe(change) or "")
        rows.append(
            f"<tr><td colspan='2' class='where'>{heading}</td></tr>"
            f"<tr><td>{_segments(old)}</td><td>{_segments(new)}</td></tr>"
        )
    rows.append("</table>")
    return rows


def _segments(segments: list[Segment] | tuple[Segment, ...]) -> str:
    tags = {"equal": ("", ""), "insert": ("<ins>", "</ins>"), "delete": ("<del>", "</del>")}
    return "".join(f"{tags[s.op][0]}{escape(shown(s.text))}{tags[s.op][1]}" for s in segments)
