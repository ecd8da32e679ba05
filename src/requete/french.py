"""Pure: the French words of dates, numbers and lists, written once for every module that
writes French (citations, the frame, the deadline, block filters, Télérecours names)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Final

NBSP: Final = "\u00a0"  # espace insécable: before « : », inside « », after n°, L., pt…
NNBSP: Final = "\u202f"  # espace fine insécable: before « ; », « ! », « ? », thousands
MONTHS: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ASCII_MONTHS: Final = tuple(
    unicodedata.normalize("NFKD", m).encode("ascii", "ignore").decode() for m in MONTHS
)
MONTH_PATTERN: Final = "|".join(MONTHS)  # for regular expressions: janvier|février|…


def day_number(day: dt.date) -> str:
    """« 1er » on the first of the month, else the day's number."""
    return "1er" if day.day == 1 else str(day.day)


def date_fr(day: dt.date | str | None, weekday: bool = False, nbsp: bool = False) -> str:
    """« 21 décembre 2023 », « 1er février 2024 »; with ``weekday`` « jeudi 1er février 2024 »;
    with ``nbsp`` the day is held to its month (« 21 décembre 2023 »). An ISO string is
    read as a date; None gives an empty string."""
    if day is None:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    space = NBSP if nbsp else " "
    text = f"{day_number(day)}{space}{MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def date_ascii(day: dt.date) -> str:
    """« 21_decembre_2023 », for file names."""
    return f"{day_number(day)}_{ASCII_MONTHS[day.month - 1]}_{day.year}"


def join_fr(items: Iterable[object], word: str = "et") -> str:
    """« a », « a et b », « a, b et c » (``word`` may be « ou »)."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {word} {words[-1]}"


def thousands(value: int) -> str:
    """5000 -> « 5 000 », a narrow no-break space between the groups of three digits."""
    return f"{value:,}".replace(",", NNBSP)
