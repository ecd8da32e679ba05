"""Review verbs: read a .docx as text, compare two drafts, redline, report.

Names are imported lazily (PEP 562) so that importing one review module — the manifest
reader, say — does not import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from requete.ooxml.package import Source
    from requete.ooxml.text import Draft, Item, document_text, format_text, read_draft
    from requete.output import refuse_existing as check_writable
    from requete.output import write_atomic as write_atomically
    from requete.review.arguments import ArgumentSummary, summarise_arguments
    from requete.review.diff import Change, DraftDiff, diff_drafts
    from requete.review.redline import build_redline
    from requete.review.report import render_html
    from requete.review.summary import render_summary
    from requete.review.verify import Verification, check_redline, verify_redline

_LAZY: dict[str, tuple[str, str]] = {
    "ArgumentSummary": ("requete.review.arguments", "ArgumentSummary"),
    "Change": ("requete.review.diff", "Change"),
    "Draft": ("requete.ooxml.text", "Draft"),
    "DraftDiff": ("requete.review.diff", "DraftDiff"),
    "Item": ("requete.ooxml.text", "Item"),
    "Source": ("requete.ooxml.package", "Source"),
    "Verification": ("requete.review.verify", "Verification"),
    "build_redline": ("requete.review.redline", "build_redline"),
    "check_redline": ("requete.review.verify", "check_redline"),
    "check_writable": ("requete.output", "refuse_existing"),
    "diff_drafts": ("requete.review.diff", "diff_drafts"),
    "document_text": ("requete.ooxml.text", "document_text"),
    "format_text": ("requete.ooxml.text", "format_text"),
    "read_draft": ("requete.ooxml.text", "read_draft"),
    "render_html": ("requete.review.report", "render_html"),
    "render_summary": ("requete.review.summary", "render_summary"),
    "summarise_arguments": ("requete.review.arguments", "summarise_arguments"),
    "verify_redline": ("requete.review.verify", "verify_redline"),
    "write_atomically": ("requete.output", "write_atomic"),
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'requete.review' has no attribute {name!r}")


def make_redline(
    diff: DraftDiff, author: str = "requete", date: str | None = None, label: str = "redline"
) -> bytes:
    """Build the redline and verify it on every story (accept-all = new, reject-all = old)
    or raise."""
    from requete.review.redline import build_redline
    from requete.review.verify import verify_redline

    data = build_redline(diff, author=author, date=date)
    verify_redline(data, diff.old, diff.new, label)
    return data
