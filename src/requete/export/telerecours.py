"""Télérecours rules for a bundle: file names (R. 414-5 CJA) and pièce cross-checks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from requete.french import ASCII_MONTHS, date_ascii
from requete.i18n import _

MAX_NAME = 80  # characters, extension included (Télérecours guidance)
NUMBER_WIDTH = 2  # « 01_… » so that files sort in inventory order up to 99 pièces
# A date in a label once made ASCII: « du 21 décembre 2023 » → du_21_decembre_2023, or ISO
# 2024-03-05; the word before it (« du », « le ») goes with it.
_DATE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:du|le|au|en_date_du)_)?"
    rf"(?:(1er|\d{{1,2}})_({'|'.join(ASCII_MONTHS)})_(\d{{4}})|(\d{{4}})-(\d{{2}})-(\d{{2}}))"
    r"(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
# Words a cut name should not end on (« …_de_la », « …_n »).
_DANGLING = frozenset(
    ("a", "au", "aux", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les", "n",
     "par", "pour", "sous", "sur", "un", "une")
)  # fmt: skip
_FILLERS = _DANGLING - {"n"}  # « n » stays: « n_2023-146 »
_PARENTHESES = re.compile(r"\s*\([^()]*\)")

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


def telerecours_name(number: int, label: str, ext: str, when: date | None = None) -> str:
    """Name a pièce's file: its number first, then its label; ASCII, ≤ 80 characters.

    A long label is cut after a whole word; its date (« du 21 décembre 2023 », 2024-03-05,
    or the pièce's ``when`` when the label does not give it) is kept at the end."""
    suffix = "." + (ascii_words(ext.lstrip(".")).lower() or "pdf")
    prefix = f"{number:0{NUMBER_WIDTH}d}_"
    room = MAX_NAME - len(prefix) - len(suffix)
    words = ascii_words(label) or "piece"
    span = _date_span(words, when)
    if span is None and when is not None:
        dated = f"du_{date_ascii(when)}"
        span = (len(words) + 1, len(words) + 1 + len(dated))
        words = f"{words}_{dated}"
    return f"{prefix}{_fit(words, room, span)}{suffix}"


def document_name(label: str, ext: str) -> str:
    """Name a file that is not a pièce (the requête, the inventory) by the same rules."""
    suffix = "." + (ascii_words(ext.lstrip(".")).lower() or "pdf")
    return _shorten(ascii_words(label) or "document", MAX_NAME - len(suffix)) + suffix


def main_name(title: str, ext: str) -> str:
    """Name the filing's own file after its title, one rule for every procédure: sentence
    case, without the parenthesised article (« REQUÊTE EN RÉFÉRÉ-SUSPENSION (art. L. 521-1
    CJA) » → ``Requete_en_refere-suspension``)."""
    plain = " ".join(_PARENTHESES.sub("", title).split())
    if not any(c.islower() for c in plain):
        plain = plain.lower()
    return document_name(plain[:1].upper() + plain[1:], ext)


def name_problems(name: str) -> list[str]:
    """Say what is wrong with a file name under the Télérecours rules (empty: nothing)."""
    problems = []
    if len(name) > MAX_NAME:
        problems.append(
            _("'{name}' has {count} characters; at most {max} are allowed").format(
                name=name, count=len(name), max=MAX_NAME
            )
        )
    if not _NAME_RULE.match(name):
        problems.append(
            _(
                "'{name}' may only use letters without accents, digits, '-' and '_', and one "
                "'.' before the extension"
            ).format(name=name)
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
            _(
                "the pièces are numbered {numbers}: number them 1, 2, 3… in a continuous, "
                "increasing order (R. 412-2 CJA)"
            ).format(numbers=numbers)
        )
    acts = [item for item in listed if item.is_act]
    if acts and acts[0].number != 1:
        problems.append(
            _(
                "the contested act is n° {number}: it must be pièce n° 1 (R. 412-1 CJA); "
                "put it first in the inventory"
            ).format(number=acts[0].number)
        )
    elif not acts:
        problems.append(
            _(
                "the contested act is not in the inventory: it must be pièce n° 1 "
                "(R. 412-1 CJA); put it first in the inventory"
            )
        )
    cited = set(references)
    for number in sorted(cited - set(numbers)):
        problems.append(
            _(
                "the text refers to pièce n° {number}, which is not in the inventory: "
                "add the pièce or correct the reference"
            ).format(number=number)
        )
    for item in listed:
        if item.number not in cited:
            problems.append(
                _(
                    "pièce n° {number} ({key}) is never referred to in the text: "
                    "cite it where it proves a fact, or drop it from the inventory"
                ).format(number=item.number, key=item.key)
            )
    return problems


def _date_span(words: str, when: date | None) -> tuple[int, int] | None:
    """Where the label's date is in ``words``: ``when`` if given (None if the label does not
    give it), else the first date of the label."""
    first = None
    for match in _DATE.finditer(words):
        found = _parse_date(match)
        if found is None:
            continue
        if when is None or found == when:
            return match.span()
        first = first or match.span()
    return None if when is not None else first


def _parse_date(match: re.Match[str]) -> date | None:
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        number = 1 if day.lower() == "1er" else int(day)
        return date(int(year), ASCII_MONTHS.index(month.lower()) + 1, number)
    except ValueError:  # « 31 février »
        return None


def _fit(words: str, room: int, span: tuple[int, int] | None) -> str:
    """Fit ``words`` in ``room``: the first words that fit, then the date at ``span`` if the
    cut would lose it."""
    if len(words) <= room:
        return words
    head = _shorten(words, room)
    if span is None or span[1] <= len(head):
        return head
    tail = words[span[0] : span[1]]
    if len(tail) + 2 > room:  # no room for a word before the date
        return _shorten(tail, room)
    before, space = words[: span[0]].rstrip("_"), room - len(tail) - 1
    head = _shorten(before, space)
    compact = "_".join(w for w in before.split("_") if w.lower() not in _FILLERS)
    if _content(_shorten(compact, space)) > _content(head):  # small words dropped: more stays
        head = _shorten(compact, space)
    return f"{head}_{tail}" if head else tail


def _content(words: str) -> int:
    return sum(1 for w in words.split("_") if w and w.lower() not in _FILLERS)


def _shorten(words: str, room: int) -> str:
    """Cut ``words`` to ``room`` characters after a whole word, not on « de », « la », « n »…"""
    if len(words) <= room:
        return words
    cut = words[:room]
    if words[room] != "_":  # the cut is inside a word: go back to the last underscore
        boundary = cut.rfind("_")
        cut = cut[:boundary] if boundary > 0 else cut
    kept = cut.rstrip("_-").split("_")
    while len(kept) > 1 and kept[-1].lower() in _DANGLING:
        kept.pop()
    return "_".join(kept).rstrip("_-")
