"""Pure: Pandoc-style citation keys -> French citations; full on first mention, « préc. » after.

Forms follow the facts sheet §8.8: « CJUE, gr. ch., 16 juillet 2020, *Data Protection
Commissioner c/ Facebook Ireland Ltd et Maximillian Schrems*, aff. C-311/18,
EU:C:2020:559, pt 185 », later « arrêt *Schrems II*, préc., pt 197 »; « CE, ord. réf.,
22 mars 2024, *Société Clever Cloud et autres*, n° 492369 ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from requete.french import NBSP, date_fr, join_fr
from requete.model import Precedent

_KEY = re.compile(r"^\s*@([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:,\s*(.+?))?\s*$")
_CI_APRES = re.compile(r"\s*\((?:[^()]*,\s*)?ci-après[^()]*\)")
EU_COURTS = {"CJUE", "CJCE", "Trib. UE", "TPICE"}


@dataclass(frozen=True)
class Segment:
    """A piece of rendered text; ``italic`` for case names."""

    text: str
    italic: bool = False


@dataclass(frozen=True)
class Cite:
    """One key of a citation group with its pinpoint (locator)."""

    key: str
    locator: str | None


def parse_group(inner: str) -> list[Cite] | None:
    """``@a, pt 3; @b`` -> cites; None when the text is not a citation group. A group the
    YAML wraps over two lines reads as one."""
    cites = []
    for part in " ".join(inner.split()).split(";"):
        match = _KEY.match(part)
        if match is None:
            return None
        cites.append(Cite(match.group(1), match.group(2)))
    return cites


def normalise_locator(locator: str) -> str:
    """« pt 185 », « pts 133 à 135 » with non-breaking spaces."""
    text = locator.strip()
    text = re.sub(r"^(pts?|points?|§|al\.|art\.|cons\.)\s+", lambda m: m.group(1) + NBSP, text)
    return re.sub(r"(\d+)\s*(?:-|à)\s*(\d+)", _range, text)


def _range(match: re.Match[str]) -> str:
    """« 133 à 135 », but « 179 et 180 » for two consecutive points."""
    a, b = match.group(1), match.group(2)
    return f"{a} et {b}" if int(b) == int(a) + 1 else f"{a} à {b}"


def locator_points(locator: str) -> list[str]:
    """The paragraph numbers a locator names (``pts 133 à 135`` -> 133, 134, 135)."""
    text = locator.replace(NBSP, " ")
    if not re.match(r"^(pts?|points?)\s", text):
        return []
    numbers: list[str] = []
    for a, b in re.findall(r"(\d+)(?:\s*(?:-|à)\s*(\d+))?", text):
        if b and int(b) >= int(a) and int(b) - int(a) < 100:
            numbers.extend(str(n) for n in range(int(a), int(b) + 1))
        else:
            numbers.append(a)
    return numbers


def _printable(precedent: Precedent, name: str) -> str | None:
    if name in precedent.unverified:
        return None
    value = getattr(precedent, name)
    return str(value) if value is not None else None


def _number(precedent: Precedent) -> str | None:
    number = _printable(precedent, "number")
    if number is None:
        return None
    if precedent.court in {"CJUE", "CJCE"}:
        return f"aff.{NBSP}{number}"
    if precedent.court and precedent.court.startswith("CE"):
        return f"n°{NBSP}{number}"
    return number


def full_citation(precedent: Precedent, locator: str | None = None) -> list[Segment]:
    """The complete citation, as on first mention."""
    if precedent.type == "text":
        text = precedent.citation or precedent.short or precedent.id
        return [Segment(_with_locator(text, locator))]
    head: list[str] = [precedent.court or ""]
    formation = _printable(precedent, "formation")
    if precedent.status:
        number = _number(precedent)
        parts = [s for s in (precedent.court, number) if s]
        tail = [precedent.status]
    else:
        if formation:
            head.append(formation)
        if precedent.date and "date" not in precedent.unverified:
            head.append(date_fr(precedent.date))
        parts = [s for s in head if s]
        tail = [s for s in (_number(precedent), _printable(precedent, "ecli")) if s]
        if precedent.court and precedent.court.startswith("CE"):
            tail = [s for s in (_number(precedent), _printable(precedent, "recueil")) if s]
    segments = [Segment(", ".join(parts))]
    if precedent.name:
        segments += [Segment(", "), Segment(precedent.name, italic=True)]
    if tail:
        segments.append(Segment(", " + ", ".join(tail)))
    if locator:
        segments.append(Segment(", " + normalise_locator(locator)))
    return segments


def short_citation(precedent: Precedent, locator: str | None = None) -> list[Segment]:
    """The later-mention form with « préc. »."""
    if precedent.type == "text":
        return [Segment(_with_locator(precedent.short or precedent.citation or "", locator))]
    if precedent.short:
        segments = [
            Segment(_noun(precedent) + " "),
            Segment(precedent.short, italic=True),
            Segment(", préc."),
        ]
    else:
        head = [precedent.court or ""]
        if precedent.date:
            head.append(date_fr(precedent.date))
        number = _number(precedent)
        if number:
            head.append(number)
        segments = [Segment(", ".join(s for s in head if s) + ", préc.")]
    if locator:
        segments.append(Segment(", " + normalise_locator(locator)))
    return segments


def authority_citation(precedent: Precedent) -> list[Segment]:
    """The entry of the table of authorities: the full citation, with the ECLI for the CE;
    a text's « ci-après » definition belongs to the body, not to the table."""
    segments = full_citation(precedent)
    if precedent.type == "text":
        segments = [Segment(_CI_APRES.sub("", s.text), s.italic) for s in segments]
    ecli = _printable(precedent, "ecli")
    if (
        precedent.type == "decision"
        and precedent.court
        and precedent.court.startswith("CE")
        and ecli
    ):
        segments.append(Segment(f", {ecli}"))
    return segments


def _noun(precedent: Precedent) -> str:
    formation = (precedent.formation or "").lower()
    if "ord" in formation:
        return "ordonnance"
    if precedent.court in EU_COURTS or precedent.court == "CEDH":
        return "arrêt"
    return "décision"


def _with_locator(text: str, locator: str | None) -> str:
    return f"{text}, {normalise_locator(locator)}" if locator else text


def authority_group(precedent: Precedent) -> str:
    """Heading of the table of authorities under which an entry is listed."""
    if precedent.type == "text":
        return precedent.group or "Textes"
    if precedent.court in EU_COURTS:
        return "Jurisprudence de l'Union européenne"
    if precedent.court and precedent.court.startswith("CE"):
        return "Jurisprudence du Conseil d'État"
    return "Autres décisions"


_ARTICLE = re.compile(r"^articles? (?P<number>.+?),? (?P<tail>(?:du|de la|de l['’]|des) .+)$")


def merge_articles(texts: list[str]) -> str | None:
    """« article 7 de la Charte » + « article 8 de la Charte » -> « articles 7 et 8 de la
    Charte » (the tail of the first, which may be the full first mention); None when the
    texts are not articles of one instrument."""
    parts = [_ARTICLE.match(t) for t in texts]
    if len(texts) < 2 or any(p is None for p in parts):
        return None
    numbers = [p.group("number") for p in parts if p]
    first = parts[0]
    assert first is not None
    joined = join_fr(numbers)
    comma = "," if "," in numbers[-1] else ""
    return f"articles {joined}{comma} {first.group('tail')}"


def unnest(text: str) -> str:
    """Inside parentheses, a text's « (…, ci-après « X ») » definition loses its own
    parentheses: « … du Conseil, règlement général…, ci-après « RGPD » »."""
    return re.sub(r"\s*\(((?:[^()]*,\s*)?ci-après[^()]*)\)", r", \1", text)
