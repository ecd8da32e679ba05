"""Review verbs: read a .docx as text, compare two drafts, redline, report."""

from __future__ import annotations

from requete.output import refuse_existing as check_writable
from requete.output import write_atomic as write_atomically
from requete.review.arguments import ArgumentSummary, summarise_arguments
from requete.review.diff import Change, DraftDiff, diff_drafts
from requete.review.package import Source
from requete.review.redline import build_redline
from requete.review.report import render_html
from requete.review.summary import render_summary
from requete.review.text import Draft, Item, document_text, format_text, read_draft
from requete.review.verify import Verification, check_redline, verify_redline

__all__ = [
    "ArgumentSummary",
    "Change",
    "Draft",
    "DraftDiff",
    "Item",
    "Source",
    "Verification",
    "build_redline",
    "check_redline",
    "check_writable",
    "diff_drafts",
    "document_text",
    "format_text",
    "make_redline",
    "read_draft",
    "render_html",
    "render_summary",
    "summarise_arguments",
    "verify_redline",
    "write_atomically",
]


def make_redline(
    diff: DraftDiff, author: str = "requete", date: str | None = None, label: str = "redline"
) -> bytes:
    """Build the redline and verify it (accept-all = new, reject-all = old) or raise."""
    data = build_redline(diff, author=author, date=date)
    old = [item.text for item in diff.old.visible()]
    new = [item.text for item in diff.new.visible()]
    verify_redline(data, old, new, label)
    return data
