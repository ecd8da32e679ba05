"""Pure: the inline markup of a text read the way its author meant it — the one scanner.

:func:`scan` reads a text (a block's source with its Jinja, or the text Jinja rendered) into
typed tokens: plain text, citations (``[@id, pt 3; @other]``), pièces (``[pièce:k]``,
``[pièces:a, b]``), counsel's placeholders (``[à compléter : …]``) and emphasis (``**…**``,
``*…*``, whose content is scanned again). Each token carries its offsets and its line, so
validation reports the line of the YAML, assembly turns tokens into runs and the leak check
blanks them out, all from the same grammar.

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
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from requete.citations import Cite, parse_group
from requete.i18n import _, ngettext

CITATION = re.compile(r"\[(@[^\[\]]+)\]")
PIECE = re.compile(r"\[(pièces?):([^\[\]]+)\]")
TODO = re.compile(r"\[à compléter[^\[\]]*\]")  # what counsel must complete, highlighted
Kind = Literal["text", "todo", "citation", "piece", "bold", "italic"]
REFERENCES: tuple[Kind, ...] = ("citation", "piece")
_ALTERNATIVES: dict[str, str] = {
    "todo": rf"(?P<todo>{TODO.pattern})",
    "citation": r"(?P<citation>\[@[^\[\]]+\])",
    "piece": r"(?P<piece>\[pièces?:[^\[\]]+\])",
    "bold": r"\*\*(?P<bold>[^*]+)\*\*",
    "italic": r"\*(?P<italic>[^*]+)\*",
}
_KEY_SEPARATORS = re.compile(r"[,;]")


@dataclass(frozen=True)
class Token:
    """One piece of a scanned text. ``start``/``end`` are offsets in the whole text scanned,
    ``line`` the number of line breaks before ``start`` (0 on the first line); ``source`` is
    the token as written; emphasis holds the tokens of its content in ``children``."""

    kind: Kind
    start: int
    end: int
    line: int
    source: str
    children: tuple[Token, ...] = ()

    @property
    def inner(self) -> str:
        """What the markup encloses: ``@a, pt 3``; the keys of a pièce; emphasised text."""
        if self.kind == "citation":
            return self.source[1:-1]
        if self.kind == "piece":
            return self.source[1:-1].partition(":")[2]
        if self.kind == "bold":
            return self.source[2:-2]
        if self.kind == "italic":
            return self.source[1:-1]
        return self.source

    @property
    def cites(self) -> list[Cite] | None:
        """The keys and pinpoints of a citation group; None when it is malformed."""
        return parse_group(self.inner) if self.kind == "citation" else None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of a pièce reference, in order (separated by ``,`` or ``;``)."""
        if self.kind != "piece":
            return ()
        return tuple(k.strip() for k in _KEY_SEPARATORS.split(self.inner) if k.strip())

    @property
    def templated(self) -> bool:
        """True when Jinja writes part of it (checked once rendered)."""
        return "{" in self.source


@cache
def _pattern(kinds: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(v for k, v in _ALTERNATIVES.items() if k in kinds))


_OPENING = re.compile(r"[\[*]")  # every piece of markup opens with one of these


def _matches(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying a match only where markup can open: the same
    matches, three times faster than letting the alternation try every character."""
    pos = 0
    while (opening := _OPENING.search(text, pos)) is not None:
        match = pattern.match(text, opening.start())
        if match is None:
            pos = opening.start() + 1
            continue
        yield match
        pos = match.end()


_ALL: frozenset[Kind] = frozenset(_ALTERNATIVES)  # type: ignore[arg-type]


_CACHED = 8_192  # characters: longer texts are scanned each time, not kept in memory
_BRACKETS: frozenset[Kind] = frozenset(("citation", "piece", "todo"))


def scan(
    text: str, kinds: Iterable[Kind] = _ALL, start: int = 0, line: int = 0
) -> tuple[Token, ...]:
    """The tokens of ``text`` in order, text tokens between the markup, covering it whole;
    only the markup of ``kinds`` is read (a party's name reads placeholders, not emphasis).
    ``start`` and ``line`` place a part of a larger text (the content of an emphasis)."""
    wanted = kinds if isinstance(kinds, frozenset) else frozenset(kinds)
    if "[" not in text and "*" not in text:  # most of a filing: plain text
        return (Token("text", start, start + len(text), line, text),) if text else ()
    if len(text) > _CACHED:
        return _tokens(text, wanted, start, line)
    return _cached(text, wanted, start, line)


@lru_cache(maxsize=1024)  # validation reads each source for several checks: scan it once
def _cached(text: str, kinds: frozenset[Kind], start: int, line: int) -> tuple[Token, ...]:
    return _tokens(text, kinds, start, line)


def _tokens(text: str, kinds: frozenset[Kind], start: int, line: int) -> tuple[Token, ...]:
    tokens: list[Token] = []
    pos, lines = 0, line

    def add(kind: Kind, begin: int, end: int, children: tuple[Token, ...] = ()) -> None:
        nonlocal lines
        tokens.append(Token(kind, start + begin, start + end, lines, text[begin:end], children))
        lines += text.count("\n", begin, end)

    for match in _matches(text, _pattern(kinds)):
        if match.start() > pos:
            add("text", pos, match.start())
        kind: Kind = match.lastgroup  # type: ignore[assignment]
        children: tuple[Token, ...] = ()
        if kind in ("bold", "italic"):
            offset = match.start(kind)
            children = _tokens(match.group(kind), kinds, start + offset, lines)
        add(kind, match.start(), match.end(), children)
        pos = match.end()
    if pos < len(text):
        add("text", pos, len(text))
    return tuple(tokens)


def walk(tokens: Iterable[Token]) -> Iterator[Token]:
    """Every token, the content of each emphasis after the emphasis itself."""
    for token in tokens:
        yield token
        yield from walk(token.children)


def references(text: str, kinds: Iterable[Kind] = REFERENCES) -> tuple[Token, ...]:
    """The citations and pièces of a text (or the markup of ``kinds``), in order. Brackets
    are read on their own, whatever emphasis is around them — an italic that would close on
    a ``*`` inside a bracket (``*a [pièce:x* b]``) does not hide the bracket from the checks."""
    wanted = kinds if isinstance(kinds, frozenset) else frozenset(kinds)
    if "[" not in text and wanted <= _BRACKETS:
        return ()
    read = wanted & _BRACKETS if wanted <= _BRACKETS else _ALL
    return tuple(t for t in walk(scan(text, read)) if t.kind in wanted)


def cites(text: str) -> Iterator[Cite]:
    """Every key of every well-formed citation group of a text, in order."""
    for token in references(text, ("citation",)):
        yield from token.cites or []


def blanked(text: str, kinds: Iterable[Kind]) -> str:
    """``text`` with the markup of ``kinds`` replaced by a space, one kind after the other in
    the order given (a citation inside a placeholder is blanked first, then the placeholder
    whole), its line breaks kept so that line numbers hold."""
    for kind in kinds:
        out, pos = [], 0
        for token in references(text, (kind,)):
            out += [text[pos : token.start], " " + "\n" * token.source.count("\n")]
            pos = token.end
        text = "".join(out) + text[pos:]
    return text


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
