"""What still makes a filing a draft: its « [à compléter] » and its comments for counsel,
each pointed at the YAML line to complete (`requete bundle` refuses them without --draft)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from requete.document import Comment, Document, Placeholder, count_by_kind, placeholders
from requete.errors import Problem, Severity
from requete.i18n import _
from requete.model import Case
from requete.overlay import ResolvedBlock
from requete.paths import display_path

SHOWN = 100  # characters of a comment quoted in its message
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_TODO = "[à compléter"


@dataclass
class Unfinished:
    """The placeholders and comments left in a filing, each with the file and line to edit."""

    placeholders: list[tuple[Placeholder, Path, int]] = field(default_factory=list)
    comments: list[tuple[Comment, Path, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.placeholders or self.comments)

    def summary(self) -> str:
        """« 36 placeholder(s): siège 8, texte 17…; 19 comment(s) for counsel »."""
        parts = []
        if self.placeholders:
            counts = count_by_kind([p for p, _path, _line in self.placeholders])
            parts.append(
                _("{count} placeholder(s): {kinds}").format(
                    count=len(self.placeholders), kinds=counts
                )
            )
        if self.comments:
            parts.append(_("{count} comment(s) for counsel").format(count=len(self.comments)))
        return "; ".join(parts)

    def problems(self) -> list[Problem]:
        """One error per placeholder and per comment."""
        out = [
            Problem(
                "error",
                _("« [à compléter] » left in the filing: {placeholder}").format(placeholder=p),
                path,
                line,
            )
            for p, path, line in self.placeholders
        ]
        out += [
            Problem(
                "error",
                _("comment for counsel on block '{block}' still open: {text}").format(
                    block=c.block, text=comment_text(c)
                ),
                path,
                line,
            )
            for c, path, line in self.comments
        ]
        return out

    def advice(self, case: Case) -> Problem:
        """The last line: how many of each, and what to do."""
        return Problem(
            "error",
            _(
                "the filing is still a draft ({summary}): complete each placeholder at the "
                "YAML line given, settle each comment (the block's `notes:`, the authority's "
                "confidence) and clear it; or pass --draft for a bundle stamped « PROJET »"
            ).format(summary=self.summary()),
            case.origin.path,
            1,
        )

    def draft_warning(self, case: Case) -> Problem:
        """With --draft: one warning saying what the « PROJET » still lacks."""
        severity: Severity = "warning"
        return Problem(
            severity,
            _(
                "draft bundle, « PROJET » on every page of the requête: {summary}; "
                "the comments are not in the bundle"
            ).format(summary=self.summary()),
            case.origin.path,
            1,
        )


def unfinished(case: Case, document: Document, blocks: list[ResolvedBlock]) -> Unfinished:
    """Find every placeholder and comment of ``document`` and the line that produces it."""
    by_id = {b.id: b for b in blocks}
    result = Unfinished()
    taken: Counter[str] = Counter()  # placeholders of each kind (or place) seen so far
    for found in placeholders(document):
        path, line = _locate(found, case, document, by_id, taken)
        result.placeholders.append((found, Path(display_path(path)), line))
    for comment in document.comments:
        resolved = by_id.get(comment.block)
        if resolved is None:
            where = (case.origin.path, 1)
        elif resolved.block.notes:
            origin = resolved.block.origin
            where = (origin.path_of("notes"), origin.line_of("notes"))
        else:
            where = (resolved.path, resolved.line)
        result.comments.append((comment, Path(display_path(where[0])), where[1]))
    return result


def comment_text(comment: Comment) -> str:
    """The comment's first paragraph (after its « Note du bloc … : » heading), cut short."""
    paragraphs = list(comment.paragraphs)
    if len(paragraphs) > 1 and paragraphs[0].startswith("Note du bloc"):
        paragraphs = paragraphs[1:]
    text = " ".join((paragraphs[0] if paragraphs else "").split())
    if len(text) <= SHOWN:
        return text
    cut = text[:SHOWN].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


def _locate(
    found: Placeholder,
    case: Case,
    document: Document,
    blocks: dict[str, ResolvedBlock],
    taken: Counter[str],
) -> tuple[Path, int]:
    """The file and line to edit for one placeholder (the case file's first line if unknown)."""
    origin = case.origin
    fallback = (origin.path, 1)
    unnamed = [i for i, party in enumerate(case.requerants) if _TODO in (party.nom or "")]
    if found.kind == "identité" and unnamed:  # a party's name, wherever it is printed
        nth = taken[f"identité {found.where}"]
        taken[f"identité {found.where}"] += 1
        index = unnamed[min(nth, len(unnamed) - 1)]
        at = ("requerants", index, "nom")
        return origin.path_of(*at), origin.line_of(*at)
    if found.where.part in ("paragraph", "conclusion", "conclusions"):
        number = found.where.number
        paragraphs = document.body if found.where.part == "paragraph" else document.conclusions
        block = next(
            (p.block for p in paragraphs if p.block and (number is None or p.number == number)),
            None,
        )
        resolved = blocks.get(block or "")
        return _in_block(resolved, found.text) if resolved else fallback
    if found.kind in ("avocat", "signature"):
        return (origin.path_of("avocat"), origin.line_of("avocat")) if case.avocat else fallback
    if found.kind == "lieu":
        return (origin.path_of("place"), origin.line_of("place")) if case.place else fallback
    missing = {
        "siège": lambda p: p.personne == "morale" and not p.siege,
        "domicile": lambda p: p.personne == "physique" and not p.domicile,
    }.get(found.kind)
    if found.where.part != "cover" or missing is None:
        return fallback
    indexes = [i for i, party in enumerate(case.requerants) if missing(party)]
    nth = taken[found.kind]
    taken[found.kind] += 1
    if nth >= len(indexes):
        return (origin.path_of("requerants"), origin.line_of("requerants"))
    return origin.path_of("requerants", indexes[nth]), origin.line_of("requerants", indexes[nth])


def _in_block(resolved: ResolvedBlock, text: str) -> tuple[Path, int]:
    """The line of ``text`` in the block's YAML (body, application, then the block itself)."""
    candidates = [
        (resolved.body_path, resolved.body_line),
        (resolved.application_path, resolved.application_line),
        (resolved.path, resolved.line),
    ]
    for length in (40, 20, 0):  # the text may come from a template: ever shorter prefixes
        wanted = _plain(text)[:length]
        for path, start in candidates:
            line = _line_of(path, start or 1, wanted) if path else None
            if path and line is not None:
                return path, line
    return resolved.path, resolved.line


def _line_of(path: Path, start: int, wanted: str) -> int | None:
    """The first line from ``start`` where the placeholder ``wanted`` begins."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for index in range(max(start - 1, 0), len(lines)):
        at = lines[index].find(_TODO)
        if at < 0:
            continue
        following = _plain(" ".join([lines[index][at:], *lines[index + 1 : index + 4]]))
        if following.startswith(wanted):
            return index + 1
    return None


def _plain(text: str) -> str:
    """Compare placeholders whatever the typography: one space, straight apostrophes."""
    return _SPACES.sub(" ", text.replace("’", "'")).replace(" :", ":").strip()
