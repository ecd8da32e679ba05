"""French typography of §8.9: non-breaking spaces, guillemets, apostrophes; URLs left alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from requete.french import NBSP, NNBSP
from requete.i18n import N_, _

_SPACE = "[ \\t\u00a0\u202f]"  # horizontal spaces only: a line break is never touched
_MASK = "\U000f0000"  # stands for each character of a protected span while the rules run

# Spans no rule may touch: their colons, quotes and apostrophes are not French punctuation.
# Linear time: a pattern that scans a run of characters ([\w.+-]+, spaces…) may only start
# where that run starts (the lookbehinds), else a long run is rescanned from each of its
# characters and a 200,000-character title takes minutes.
_PROTECTED = re.compile(
    "|".join(
        [
            r"(?:https?://|ftp://|www\.)[^\s«»\"<>]*[^\s«»\"<>.,;:!?)’]",  # URL, not its full stop
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
            r"\b(?:ECLI:)?[A-Z]{2}:[A-Z0-9]+:\d{4}:[\w.]*\w",  # ECLI, EU:C:2020:559
            r"\b\d{1,2}:\d{2}\b",  # time, 10:30
            r"\b[A-Za-z]:\\\S*",  # Windows path
            r"(?<![\w'’./-])[\w'’./-]+\.(?i:pdf|docx?|odt|rtf|txt|csv|xlsx?|ods|ya?ml|json|xml"
            r"|html?|png|jpe?g|gif|zip)\b",  # file name
            _MASK,  # the mask character itself, should the text ever contain it
        ]
    )
)


@dataclass(frozen=True)
class _Rule:
    """One typographic rule: where it applies, what it writes, what to tell the drafter."""

    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]
    message: str  # marked with N_, translated where it is shown
    needs: tuple[str, ...]  # the rule can only match a text holding one of these

    def may_apply(self, text: str) -> bool:
        """False when the text holds none of ``needs`` (a scan in C, no regular expression)."""
        return any(part in text for part in self.needs)


def _const(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text


def _keep_then(suffix: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + suffix


def _quote(match: re.Match[str]) -> str:
    """Choose « or » for a straight double quote from what surrounds it."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = (before.isspace() or before in "([{«—–-/'’") and not after.isspace()
    return "«" if opens else "»"


def _guillemet(match: re.Match[str]) -> str:
    """Put exactly one non-breaking space inside « and », even in an empty pair."""
    text = match.group()
    if text.startswith("«"):
        return "«" + NBSP + "»" if text.endswith("»") else "«" + NBSP
    return NBSP + "»"


_RULES = (
    _Rule(
        re.compile('"'),
        _quote,
        N_("straight quote: write « … » (guillemets with non-breaking spaces inside)"),
        ('"',),
    ),
    _Rule(re.compile("'"), _const("’"), N_("straight apostrophe: write ’ (U+2019)"), ("'",)),
    _Rule(
        re.compile(f"«{_SPACE}*»|«{_SPACE}*|(?<!{_SPACE}){_SPACE}*»"),
        _guillemet,
        N_("guillemets take a non-breaking space (U+00A0) inside: « … »"),
        ("«", "»"),
    ),
    _Rule(
        re.compile(f"(?<![\\s!?;:«]){_SPACE}*:(?=\\s|$|[»)\\]])"),
        _const(NBSP + ":"),
        N_("« : » takes a non-breaking space (U+00A0) before it"),
        (":",),
    ),
    _Rule(
        re.compile(f"(?<![\\s!?;:«]){_SPACE}*([;!?])(?=\\s|$|[!?»)\\]’.,…])"),
        lambda m: NNBSP + m.group(1),
        N_("« ; », « ! » and « ? » take a narrow non-breaking space (U+202F) before them"),
        (";", "!", "?"),
    ),
    _Rule(
        re.compile(f"\\b([Nn](?:[°º]|ᵒ)(?:s|ˢ)?|[Nn]os){_SPACE}*(?=\\d)"),
        _keep_then(NBSP),
        N_("« n° » takes a non-breaking space (U+00A0) before the number"),
        ("°", "º", "ᵒ", "os"),
    ),
    _Rule(
        re.compile(f"\\b([LRDA]\\.){_SPACE}*(?=\\d)"),
        _keep_then(NBSP),
        N_("« L. 521-1 »: a non-breaking space (U+00A0) between « L. » and the number"),
        (".",),
    ),
    _Rule(
        re.compile(f"\\b([Aa]rticles?|art\\.){_SPACE}+(?=[LRDA]\\.|\\d|1er\\b|premier\\b)"),
        _keep_then(NBSP),
        N_("« article » takes a non-breaking space (U+00A0) before its reference"),
        ("rticle", "art."),
    ),
    _Rule(
        re.compile(f"(?<![\\w.])(pts?|points?|pp?\\.|al\\.|cons\\.){_SPACE}+(?=\\d)"),
        _keep_then(NBSP),
        N_("« pt 185 »: a non-breaking space (U+00A0) before the number"),
        ("pt", "oint", "p.", "al.", "cons."),
    ),
    _Rule(
        re.compile(f"(§){_SPACE}*(?=\\d)"),
        _keep_then(NBSP),
        N_("« § 2 »: a non-breaking space (U+00A0) before the number"),
        ("§",),
    ),
)


def fix_typography(text: str) -> str:
    """Apply the French typographic rules to plain text; idempotent; URLs, ECLI… untouched."""
    masked, kept = _mask(text)
    for rule in _RULES:
        if rule.may_apply(masked):
            masked = rule.pattern.sub(rule.replace, masked)
    return _unmask(masked, kept)


def typography_problems(text: str) -> list[tuple[int, str]]:
    """List (offset, message) for every place where fix_typography would change ``text``."""
    masked, _kept = _mask(text)
    found: list[tuple[int, str]] = []
    for rule in _RULES:
        if not rule.may_apply(masked):
            continue
        for match in rule.pattern.finditer(masked):
            if rule.replace(match) != match.group():
                found.append((match.start(), _(rule.message)))
    return sorted(found)


def _mask(text: str) -> tuple[str, list[str]]:
    """Hide each protected span behind as many mask characters; return the hidden text too."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group())
        return _MASK * len(match.group())

    return _PROTECTED.sub(hide, text), kept


def _unmask(text: str, kept: list[str]) -> str:
    """Put the protected characters back, in order (the rules never add or drop a mask)."""
    if not kept:
        return text
    hidden = iter("".join(kept))
    return "".join(next(hidden) if char == _MASK else char for char in text)
