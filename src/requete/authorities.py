"""Pure: authorities the prose names without a citation key (« l'arrêt du 16 juillet 2020 »,
« l'article 8 de la Charte »). They are missing from the table of authorities, which indexes
keys only; `check` warns at the line so that the author writes the key instead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from requete.errors import Problem
from requete.french import MONTH_PATTERN, date_fr
from requete.i18n import _
from requete.leaks import prose_of
from requete.markup import cites
from requete.model import Block

if TYPE_CHECKING:
    from requete.library import Library

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# « l'arrêt du 16 juillet 2020 », « les décisions du 13 novembre 2024 »
_DECISION = re.compile(
    rf"(?<!\w)(?:arrêt|ordonnance|décision)s? du ((?:1er|\d{{1,2}}) (?:{MONTH_PATTERN}) \d{{4}})"
)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).lower()


@dataclass
class AuthorityIndex:
    """The precedents to look for: texts by their short form, decisions by their date."""

    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (normalised, key, short)
    dates: dict[str, list[str]] = field(default_factory=dict)  # normalised date -> keys

    def __bool__(self) -> bool:
        return bool(self.texts or self.dates)


def authority_index(library: Library, keys: Iterable[str] | None = None) -> AuthorityIndex:
    """The index of the precedents ``keys`` (every precedent of the library when None)."""
    if keys is None:
        precedents = list(library.precedents.values())
    else:
        precedents = [p for k in sorted(set(keys)) if (p := library.precedents.get(k))]
    index = AuthorityIndex()
    for precedent in precedents:
        if precedent.type == "text":
            if precedent.short:
                index.texts.append((_norm(precedent.short), precedent.id, precedent.short))
        elif precedent.date and "date" not in precedent.unverified:
            index.dates.setdefault(_norm(date_fr(precedent.date)), []).append(precedent.id)
    return index


def cited_keys(sources: Iterable[str]) -> set[str]:
    """The citation keys the texts use."""
    keys: set[str] = set()
    for source in sources:
        keys.update(c.key for c in cites(source) if "{" not in c.key)
    return keys


def _named(line: str, index: AuthorityIndex) -> dict[str, list[str]]:
    """The authorities a line names in words: the words -> the keys they may refer to."""
    flat = _norm(line)
    named: dict[str, list[str]] = {}
    for short, key, shown in index.texts:
        at = flat.find(short)
        while at >= 0:  # a whole-word match: « article 4 » is not « article 44 »
            end = at + len(short)
            before = flat[at - 1] if at else " "
            after = flat[end] if end < len(flat) else " "
            if not (before.isalnum() or after.isalnum()):
                named.setdefault(shown, []).append(key)
                break
            at = flat.find(short, at + 1)
    for match in _DECISION.finditer(flat):
        for key in index.dates.get(match.group(1), []):
            named.setdefault(match.group(0), []).append(key)
    return named


def unkeyed_authorities(
    block: Block, source: str, path: Path, line: int, index: AuthorityIndex
) -> list[Problem]:
    """A warning for each authority the text names in words without its key nearby."""
    if not index:
        return []
    out = []
    quoted = False
    raw = source.splitlines()
    for offset, text in enumerate(prose_of(source).splitlines(), start=1):
        near = " ".join(raw[max(0, offset - 3) : offset + 2])  # the sentence around it
        stripped = text.lstrip()
        if stripped.startswith(("- ", "> ")) or (quoted and stripped):
            quoted = True  # a list item (the questions put to the Court) or a quotation:
            continue  # they name the provisions in words, as they must
        quoted = False
        for words, keys in _named(text, index).items():
            if any(f"@{key}" in near for key in keys):
                continue  # « l'arrêt du 16 juillet 2020 ([@…]) »: named, and keyed nearby
            out.append(
                Problem(
                    "warning",
                    _(
                        "block '{id}' names « {words} » in words: write the citation key "
                        "[@{key}] so that the table of authorities lists this paragraph"
                    ).format(id=block.id, words=words, key=keys[0]),
                    path,
                    line + offset,
                )
            )
    return out
