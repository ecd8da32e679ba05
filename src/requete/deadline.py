"""Time limit to file under R. 421-1 CJA: délai franc, date to date, prorogation."""

from __future__ import annotations

import calendar
import importlib
import importlib.util
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from requete.errors import RequeteError
from requete.french import date_fr
from requete.i18n import _

Origin = Literal["publication", "notification", "enregistrement"]
ORIGINS: tuple[Origin, ...] = ("publication", "notification")
MIN_MONTHS = 1
MAX_MONTHS = 24
FIRST_YEAR, LAST_YEAR = 1950, 2100  # the holidays of metropolitan France are known for these

_COMMON_NOUNS = frozenset({"Jour", "Lundi", "Fête", "Armistice"})
RULE_HINT = (
    "Règle : recours pour excès de pouvoir (R. 421-1 CJA) ; pour une autre procédure "
    "(référé, mémoire…), ajouter --procedure ID."
)
_MONTH_WORDS_FR = {1: "un mois", 2: "deux mois", 3: "trois mois", 4: "quatre mois", 6: "six mois"}


class Step(NamedTuple):
    """One line of the reasoning: what the day is, the day, and why."""

    label: str
    day: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """The last day to file and the steps that lead to it."""

    event: date
    months: int
    origin: Origin
    steps: tuple[Step, ...]
    last_day: date

    def allows(self, filed: date) -> bool:
        """Tell whether a filing on ``filed`` is within time."""
        return filed <= self.last_day


def expiry_before_prorogation(start: date, months: int = 2) -> date:
    """The last day before any weekend or holiday extension (no calendar needed)."""
    return _same_day_later(start + timedelta(days=1), months)[0]


def compute_deadline(start: date, months: int = 2, origin: str = "publication") -> Deadline:
    """Compute the last day to file ``months`` months after the publication/notification day."""
    checked_origin = _check_origin(origin)
    _check_months(months)
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise RequeteError(
            _("{date} is outside {first}–{last}: check the year").format(
                date=start.isoformat(), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    first = start + timedelta(days=1)
    raw, clipped = _same_day_later(first, months)
    steps = [
        Step(checked_origin, start, f"jour de la {checked_origin}, non compté (délai franc)"),
        Step("point de départ", first, f"lendemain de la {checked_origin}"),
        Step("échéance avant prorogation", raw, _expiry_reason(first, months, clipped)),
    ]
    last = raw
    for reason in _closed_reasons(raw):
        steps.append(Step("prorogation", last + timedelta(days=1), reason))
        last += timedelta(days=1)
    steps.append(Step("dernier jour", last, "le délai expire à minuit ce jour-là"))
    return Deadline(start, months, checked_origin, tuple(steps), last)


def compute_after_registration(registered: date, months: int) -> Deadline:
    """The last day to produce a mémoire announced in a requête registered on ``registered``
    (R. 611-22 CJA: the same day ``months`` months later — whether this délai is franc is
    unverified — extended past a weekend or public holiday, art. 642 CPC)."""
    _check_months(months)
    if not FIRST_YEAR <= registered.year <= LAST_YEAR:
        raise RequeteError(
            _("{date} is outside {first}–{last}: check the year").format(
                date=registered.isoformat(), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    raw, clipped = _same_day_later(registered, months)
    reason = f"même quantième {_months_fr(months)} plus tard"
    if clipped:
        reason += " ; ce mois n'a pas ce quantième : dernier jour du mois"
    steps = [
        Step("enregistrement", registered, "enregistrement de la requête"),
        Step("échéance avant prorogation", raw, reason),
    ]
    last = raw
    for why in _closed_reasons(raw):
        steps.append(Step("prorogation", last + timedelta(days=1), why))
        last += timedelta(days=1)
    steps.append(Step("dernier jour", last, "le mémoire doit parvenir au plus tard ce jour-là"))
    return Deadline(registered, months, "enregistrement", tuple(steps), last)


def parse_iso_date(text: str) -> date:
    """Parse ``YYYY-MM-DD`` strictly, or raise a RequeteError saying what is wrong."""
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise RequeteError(
            _("'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2024-01-31").format(text=text)
        )
    year, month, day = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError as err:
        raise RequeteError(
            _("'{text}' is not a valid date ({error}): check the day and the month").format(
                text=text, error=err
            )
        ) from err


def describe_deadline(deadline: Deadline) -> list[str]:
    """Render the reasoning as French lines, the ISO date alone on the last line."""
    if deadline.origin == "enregistrement":
        lines = [
            f"Délai de production : {_months_fr(deadline.months)} à compter de "
            "l'enregistrement de la requête (art. R. 611-22 CJA)."
        ]
    else:
        lines = [
            f"Délai de recours : {_months_fr(deadline.months)} à compter de la "
            f"{deadline.origin} (art. R. 421-1 CJA), délai franc."
        ]
    for number, step in enumerate(deadline.steps, start=1):
        label = step.label[0].upper() + step.label[1:]
        lines.append(f"{number}. {label} : {date_fr(step.day, weekday=True)} — {step.reason}.")
    lines.append(deadline.last_day.isoformat())
    return lines


def _check_origin(origin: str) -> Origin:
    for known in ORIGINS:
        if origin == known:
            return known
    raise RequeteError(
        _("unknown origin '{origin}': use 'publication' or 'notification'").format(origin=origin)
    )


def _check_months(months: int) -> None:
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise RequeteError(
            _(
                "--months {months} is out of range: give a number of months between {min} and {max}"
            ).format(months=months, min=MIN_MONTHS, max=MAX_MONTHS)
        )


def _same_day_later(first: date, months: int) -> tuple[date, bool]:
    """Return the day bearing ``first``'s number ``months`` later, clipped to the month's end."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    length = calendar.monthrange(year, month)[1]
    return date(year, month, min(first.day, length)), first.day > length


def _expiry_reason(first: date, months: int, clipped: bool) -> str:
    base = f"même quantième ({first.day}) {_months_fr(months)} plus tard, de quantième à quantième"
    if not clipped:
        return base
    return (
        f"{base} ; ce mois n'a pas de {first.day} : dernier jour du mois "
        "(règle de la doctrine, voir docs/deadline.md)"
    )


def _closed_reasons(day: date) -> list[str]:
    """Explain, for each closed day from ``day`` on, why the délai is extended past it."""
    names = _french_holidays([day.year, day.year + 1])  # a run of closed days is short
    reasons: list[str] = []
    while (reason := _closed_reason(day, names)) is not None:
        reasons.append(f"le {date_fr(day)} est {reason} : report au lendemain")
        day += timedelta(days=1)
    return reasons


def _closed_reason(day: date, names: dict[date, str]) -> str | None:
    if day in names:
        return f"un jour férié ({names[day]})"
    if day.weekday() == 5:
        return "un samedi"
    if day.weekday() == 6:
        return "un dimanche"
    return None


def _french_holidays(years: list[int]) -> dict[date, str]:
    """Return metropolitan France's public holidays of ``years``, named in French, lower case."""
    try:
        found: Mapping[date, str] = _france_calendar()(years=years, language="fr")
    except ImportError as err:
        raise RequeteError(
            _(
                "cannot load the French public holidays ({error}): install them with "
                "`pip install holidays`"
            ).format(error=err)
        ) from err
    return {day: _in_sentence(name) for day, name in found.items()}


def _in_sentence(name: str) -> str:
    """Lower-case a holiday's leading common noun: « lundi de Pâques », but « Toussaint »."""
    first, _, rest = name.partition(" ")
    if first in _COMMON_NOUNS:
        name = f"{first.lower()} {rest}".strip()
    return name.replace("'", "\u2019")


@cache
def _france_calendar() -> Any:
    """Return holidays' France class, loading only France's calendar when holidays is new.

    ``import holidays`` then ``holidays.France`` imports some 200 country modules (~0.17 s,
    most of ``requete deadline``'s budget); with the two package ``__init__`` files stubbed
    out, only France's calendar loads (~0.03 s). The modules are then dropped from
    ``sys.modules`` (the class keeps what it needs) so that a later ordinary
    ``import holidays`` starts clean. Any surprise falls back to the ordinary import.
    """
    if "holidays" in sys.modules:
        return _france_module().France
    before = set(sys.modules)
    try:
        return _france_alone(before)
    except Exception:  # any change of holidays' layout: take the ordinary path
        return _france_module().France


def _france_alone(before: set[str]) -> Any:
    """Import holidays.countries.france under stub packages, then forget every module."""
    try:
        spec = importlib.util.find_spec("holidays")
        root = Path(next(iter(spec.submodule_search_locations or []))) if spec else None
        if root is None:
            raise ImportError(_("holidays is not installed"))
        for name, folder in (("holidays", root), ("holidays.countries", root / "countries")):
            stub = types.ModuleType(name)
            stub.__path__ = [str(folder)]
            sys.modules[name] = stub
        france = _france_module().France
        france(years=2024, language="fr")  # load its translations while the modules are here
        return france
    finally:
        for name in set(sys.modules) - before:
            if name == "holidays" or name.startswith("holidays."):
                del sys.modules[name]


def _france_module() -> types.ModuleType:
    return importlib.import_module("holidays.countries.france")


def _months_fr(months: int) -> str:
    return _MONTH_WORDS_FR.get(months, f"{months} mois")
