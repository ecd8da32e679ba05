"""Pure: authorities the prose names without a citation key (« l'arrêt du 16 juillet 2020 »,
« l'article 8 de la Charte »). They are missing from the table of authorities, which indexes
keys only; `check` warns at the line so that the author writes the key instead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from requete.citations import CITATION, french_date, parse_group
from requete.errors import Problem
from requete.leaks import prose_of
from requete.model import Block, Precedent

if TYPE_CHECKING:
    from requete.library import Library

SPACE = r"[\s\u00a0\u202f]+"


def _pattern(text: str) -> str:
    words = re.split(r"[\s\u00a0\u202f]+", text.strip().replace("’", "'"))
    return SPACE.join(re.escape(w).replace("'", "['’]") for w in words if w)


def authority_patterns(
    library: Library, keys: Iterable[str] | None = None
) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, key) for the precedents ``keys`` (every precedent of the library when None):
    a text by its short form, a decision by « arrêt / ordonnance / décision du <date> »."""
    out: list[tuple[re.Pattern[str], str]] = []
    if keys is None:
        precedents = list(library.precedents.values())
    else:
        precedents = [p for k in sorted(set(keys)) if (p := library.precedents.get(k))]
    for precedent in precedents:
        out += _patterns_of(precedent)
    return out


def cited_keys(sources: Iterable[str]) -> set[str]:
    """The citation keys the texts use."""
    keys: set[str] = set()
    for source in sources:
        for match in CITATION.finditer(source):
            keys.update(c.key for c in parse_group(match.group(1)) or [] if "{" not in c.key)
    return keys


def _patterns_of(precedent: Precedent) -> list[tuple[re.Pattern[str], str]]:
    if precedent.type == "text":
        if not precedent.short:
            return []
        return [(re.compile(rf"(?<!\w){_pattern(precedent.short)}(?!\w)", re.I), precedent.id)]
    if precedent.date is None or "date" in precedent.unverified:
        return []
    nouns = r"(?:arrêt|ordonnance|décision)s?"
    day = _pattern(french_date(precedent.date))
    return [(re.compile(rf"(?<!\w){nouns}{SPACE}du{SPACE}{day}(?!\w)", re.I), precedent.id)]


def unkeyed_authorities(
    block: Block,
    source: str,
    path: Path,
    line: int,
    patterns: list[tuple[re.Pattern[str], str]],
) -> list[Problem]:
    """A warning for each authority the text names in words, at its line."""
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
        named: dict[str, list[str]] = {}  # the words -> every key they may refer to
        for pattern, key in patterns:
            match = pattern.search(text)
            if match:
                named.setdefault(match.group(0), []).append(key)
        for words, keys in named.items():
            if any(f"@{key}" in near for key in keys):
                continue  # « l'arrêt du 16 juillet 2020 ([@…]) »: named, and keyed nearby
            out.append(
                Problem(
                    "warning",
                    f"block '{block.id}' names « {words} » in words: write the citation key "
                    f"[@{keys[0]}] so that the table of authorities lists this paragraph",
                    path,
                    line + offset,
                )
            )
    return out
