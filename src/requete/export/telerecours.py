"""Télérecours rules for a bundle: file names (R. 414-5 CJA) and pièce cross-checks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_NAME = 80  # characters, extension included (Télérecours guidance)
NUMBER_WIDTH = 2  # « 01_… » so that files sort in inventory order up to 99 pièces

_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9-]+")
_NAME_RULE = re.compile(r"^[A-Za-z0-9_-]+\.[a-z0-9]+$")
_LIGATURES = str.maketrans(  # letters that NFKD does not decompose
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)
_SPACE = r"[\s\u00a0\u202f]"
_REFERENCE = re.compile(
    rf"\b[Pp]i[èe]ces?{_SPACE}+n(?:[°º]s?|os){_SPACE}*"
    rf"(\d+(?:{_SPACE}*(?:,|et|à|-){_SPACE}*\d+)*)"
)


@dataclass(frozen=True)
class Listed:
    """One pièce of the inventory as the cross-checks see it."""

    number: int
    key: str
    is_act: bool = False


def ascii_words(text: str) -> str:
    """Strip accents and special characters: « Étude n° 3 » → « Etude_n_3 »."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALLOWED.sub("_", plain).strip("_-")


def telerecours_name(number: int, label: str, ext: str) -> str:
    """Name a pièce's file: its number first, then its label; ASCII, ≤ 80 characters."""
    suffix = "." + (ascii_words(ext.lstrip(".")).lower() or "pdf")
    prefix = f"{number:0{NUMBER_WIDTH}d}_"
    room = MAX_NAME - len(prefix) - len(suffix)
    words = _shorten(ascii_words(label) or "piece", room)
    return f"{prefix}{words}{suffix}"


def document_name(label: str, ext: str) -> str:
    """Name a file that is not a pièce (the requête, the inventory) by the same rules."""
    suffix = "." + (ascii_words(ext.lstrip(".")).lower() or "pdf")
    return _shorten(ascii_words(label) or "document", MAX_NAME - len(suffix)) + suffix


def name_problems(name: str) -> list[str]:
    """Say what is wrong with a file name under the Télérecours rules (empty: nothing)."""
    problems = []
    if len(name) > MAX_NAME:
        problems.append(f"'{name}' has {len(name)} characters; at most {MAX_NAME} are allowed")
    if not _NAME_RULE.match(name):
        problems.append(
            f"'{name}' may only use letters without accents, digits, '-' and '_', and one '.' "
            "before the extension"
        )
    return problems


def piece_references(text: str) -> list[tuple[int, int]]:
    """Find every « pièce(s) n° X » in ``text``: (offset, number), ranges « 2 à 4 » expanded."""
    found: list[tuple[int, int]] = []
    for match in _REFERENCE.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        joiners = re.findall(r"(?:,|et|à|-)", match.group(1))
        expanded = numbers[:1]
        for joiner, number in zip(joiners, numbers[1:], strict=False):
            if joiner in ("à", "-") and expanded and number > expanded[-1]:
                expanded.extend(range(expanded[-1] + 1, number + 1))
            else:
                expanded.append(number)
        found.extend((match.start(), n) for n in expanded)
    return found


def cross_check(listed: list[Listed], references: Iterable[int]) -> list[str]:
    """Check the inventory against the text's references; return every problem found."""
    problems = []
    numbers = [item.number for item in listed]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(
            f"the pièces are numbered {numbers}: number them 1, 2, 3… in a continuous, "
            "increasing order (R. 412-2 CJA)"
        )
    acts = [item for item in listed if item.is_act]
    if not acts or acts[0].number != 1:
        where = f"is n° {acts[0].number}" if acts else "is not in the inventory"
        problems.append(
            f"the contested act {where}: it must be pièce n° 1 (R. 412-1 CJA); "
            "put it first in the inventory"
        )
    cited = set(references)
    for number in sorted(cited - set(numbers)):
        problems.append(
            f"the text refers to pièce n° {number}, which is not in the inventory: "
            "add the pièce or correct the reference"
        )
    for item in listed:
        if item.number not in cited:
            problems.append(
                f"pièce n° {item.number} ({item.key}) is never referred to in the text: "
                "cite it where it proves a fact, or drop it from the inventory"
            )
    return problems


def _shorten(words: str, room: int) -> str:
    """Cut ``words`` to ``room`` characters, at an underscore when one is near the end."""
    if len(words) <= room:
        return words
    cut = words[:room]
    boundary = cut.rfind("_")
    if boundary >= room // 2:
        cut = cut[:boundary]
    return cut.rstrip("_-")
