"""Pure: the bracket markup of a text read the way its author meant it.

A text is read in Unicode NFC, so a ``pièce`` typed with a decomposed accent (``e`` and a
combining grave, as some editors and macOS file names produce) is the same word. Every
bracket that *looks like* a reference — a pièce (``[piece:k]``, ``[Pièce:k]``,
``[ pièce : k ]``, a Cyrillic ``р``…) or a citation (``[ @id]``, a fullwidth ``＠``) — but is
not written exactly is a *near miss*: an error with the spelling meant, never raw text in the
filing and a pièce missing from the inventaire.

Looking alike is decided on a *skeleton*: compatibility decomposition (fullwidth and
mathematical letters become ASCII), case folded, accents and invisible format characters
dropped, and the Cyrillic and Greek letters that look like Latin ones mapped onto them
(a short table after Unicode's confusables, UTS #39, for the letters that matter here).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from requete.citations import CITATION, PIECE
from requete.i18n import _, ngettext

# Look-alikes of Latin letters and of ``:`` that compatibility decomposition
# leaves alone (fullwidth ``ｐ``, ``＠``, ``：`` and mathematical ``𝐩`` are already mapped by
# NFKD). Read before decomposition and case folding (both turn ``ϲ`` into ``σ``) and after.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "ԁ": "d",
        "е": "e",
        "є": "e",
        "ҽ": "e",
        "һ": "h",
        "н": "h",
        "і": "i",
        "ӏ": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "г": "r",
        "ѕ": "s",
        "с": "c",
        "т": "t",
        "у": "y",
        "ԝ": "w",
        "х": "x",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "ϱ": "p",
        "ϲ": "c",
        "Ϲ": "c",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        # Latin look-alikes
        "ı": "i",
        "ɩ": "i",
        "ȷ": "j",
        "ɑ": "a",
        "ꮯ": "c",
        # ``:``
        "∶": ":",
        "꞉": ":",
        "˸": ":",
        "ː": ":",
        "׃": ":",
        "։": ":",
    }
)
BRACKET = re.compile(r"[\[［]([^\[\]［］]*)[\]］]")
_HEAD = re.compile(r"\s*(?:(?P<piece>pieces?)\s*:|(?P<cite>@))")
_LOOK = 64  # characters of a bracket read for its head: the head is the first few


def nfc(text: str) -> str:
    """The text in Unicode NFC (cheap when it already is, as nearly every text is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _skeleton_char(char: str) -> str:
    out = []
    folded = unicodedata.normalize("NFKD", char.translate(CONFUSABLES)).casefold()
    for c in folded:
        if unicodedata.combining(c) or unicodedata.category(c) == "Cf":
            continue
        out.append(c)
    return "".join(out).translate(CONFUSABLES)


def skeleton(text: str) -> str:
    """What ``text`` looks like: ``[Рièce：k]`` and ``[piece:k]`` have one skeleton."""
    return "".join(_skeleton_char(c) for c in text)


def _skeleton_with_offsets(text: str) -> tuple[str, list[int]]:
    """The skeleton and, for each of its characters, the offset in ``text`` it comes from."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        mapped = c if c.isascii() and not c.isupper() else _skeleton_char(c)
        chars.append(mapped)
        offsets.extend([i] * len(mapped))
    offsets.append(len(text))
    return "".join(chars), offsets


def closest(key: str, candidates: Collection[str]) -> str | None:
    """The candidate ``key`` is a look-alike of (``Acte``, ``асtе`` -> ``acte``), if one."""
    wanted = skeleton(key)
    for candidate in candidates:
        if skeleton(candidate) == wanted:
            return candidate
    return None


@dataclass(frozen=True)
class NearMiss:
    """A bracket that looks like a reference and is not one; ``start`` is its offset."""

    start: int
    token: str
    suggestion: str
    why: str

    def message(self) -> str:
        """What is wrong, in the current language (``why`` was translated when found)."""
        if self.suggestion.startswith("[pièce"):
            message = _(
                "{token} is not read as a pièce ({why}): it would be printed as written and "
                "the pièce left out of the inventaire; did you mean {suggestion}?"
            )
        else:
            message = _(
                "{token} is not read as a citation ({why}): it would be printed as written; "
                "did you mean {suggestion}?"
            )
        return message.format(token=self.token, why=self.why, suggestion=self.suggestion)


def near_misses(text: str, pieces: Collection[str] | None = None) -> Iterator[NearMiss]:
    """Each near miss in ``text`` (already NFC), in order; ``pieces`` (the case's keys), when
    known, lets a look-alike key be corrected too. Linear: brackets do not overlap."""
    if "[" not in text and "［" not in text:
        return
    for match in BRACKET.finditer(text):
        token = match.group(0)
        if PIECE.fullmatch(token) or CITATION.fullmatch(token):
            continue  # exact markup: read by the scanner (a bad key is its own error)
        inner = match.group(1)
        skel, offsets = _skeleton_with_offsets(inner[:_LOOK])
        head = _HEAD.match(skel)
        if head is None:
            continue
        rest = inner[offsets[head.end()] :]
        if head.group("piece"):
            suggestion = _piece_suggestion(rest, head.group("piece").endswith("s"), pieces)
        else:
            suggestion = "[@" + " ".join(rest.split()) + "]"
        why = _why(token, inner[: offsets[head.end()]], bool(head.group("piece")))
        yield NearMiss(match.start(), token, suggestion, why)


def _piece_suggestion(rest: str, plural: bool, pieces: Collection[str] | None) -> str:
    keys = [k.strip() for k in re.split(r"[,;]", rest) if k.strip()]
    if pieces is not None:
        keys = [k if k in pieces else (closest(k, pieces) or k) for k in keys]
    word = "pièces" if plural or len(keys) > 1 else "pièce"
    return f"[{word}:{','.join(keys) or '…'}]"


def _why(token: str, head: str, piece: bool) -> str:
    """What differs from the exact spelling, in a few words."""
    reasons = []
    odd = sorted({c for c in token if not c.isascii() and not _accented_latin(c)})
    if odd:
        names = ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in odd[:3])
        reasons.append(
            ngettext(
                "look-alike character {names}", "look-alike characters {names}", len(odd)
            ).format(names=names)
        )
    if piece and any(c.isupper() for c in head):
        reasons.append(_("capital letter"))
    if piece and not odd and "pièce" not in head.casefold():
        reasons.append(_("« pièce » takes a grave accent"))
    if any(c.isspace() for c in head):
        reasons.append(_("spaces"))
    return ", ".join(reasons) or _("not written exactly")


def _accented_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN") and bool(unicodedata.decomposition(char))
