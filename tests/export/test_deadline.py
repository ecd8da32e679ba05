"""Deadline under R. 421-1 CJA: délai franc, date to date, month ends, prorogation."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from requete.deadline import (
    compute_deadline,
    describe_deadline,
    parse_iso_date,
)
from requete.errors import RequeteError
from requete.french import date_fr

ONE = timedelta(days=1)

# (published, months, expected last day). Each comment: day after → same number N months
# later (or the month's last day) → weekday / holiday → prorogation.
CASES = [
    # The case (facts §9): Wed 31 Jan 2024 → start Thu 1 Feb → Mon 1 Apr 2024, Easter
    # Monday (Easter Sunday was 31 Mar 2024) → Tue 2 Apr 2024.
    ("2024-01-31", 2, "2024-04-02"),
    # Facts sheet, top table: 30 Dec 2024 → start 31 Dec → no 31 Feb 2025: last day of the
    # month, Fri 28 Feb 2025, a working day. The shortcut "+2 months +1 day" wrongly gives 1 Mar.
    ("2024-12-30", 2, "2025-02-28"),
    # Facts sheet, top table: 30 Nov 2024 → start 1 Dec → 1 Feb 2025, a Saturday → Sun 2 →
    # Mon 3 Feb 2025. (The shortcut wrongly gives 31 Jan.)
    ("2024-11-30", 2, "2025-02-03"),
    # Leap year: 30 Dec 2023 → start 31 Dec → no 31 Feb 2024: Thu 29 Feb 2024, working day.
    ("2023-12-30", 2, "2024-02-29"),
    # 29 Dec 2023 → start 30 Dec → no 30 Feb 2024: Thu 29 Feb 2024.
    ("2023-12-29", 2, "2024-02-29"),
    # 28 Dec 2023 → start 29 Dec → 29 Feb 2024 exists (leap year): Thursday.
    ("2023-12-28", 2, "2024-02-29"),
    # Not a leap year: 29 Dec 2024 → start 30 Dec → no 30 Feb 2025: Fri 28 Feb 2025.
    ("2024-12-29", 2, "2025-02-28"),
    # 28 Dec 2024 → start 29 Dec → no 29 Feb 2025: Fri 28 Feb 2025.
    ("2024-12-28", 2, "2025-02-28"),
    # 30 Dec 2025 → start 31 Dec → no 31 Feb 2026: 28 Feb 2026 is a Saturday → Sun 1 Mar →
    # Mon 2 Mar 2026.
    ("2025-12-30", 2, "2026-03-02"),
    # 31 → 30: 30 Jul 2024 → start 31 Jul → no 31 Sep: Mon 30 Sep 2024, working day.
    ("2024-07-30", 2, "2024-09-30"),
    # 31 → 30 then weekend: 30 Jul 2023 → start 31 Jul → no 31 Sep: 30 Sep 2023 is a
    # Saturday → Sun 1 Oct → Mon 2 Oct 2023.
    ("2023-07-30", 2, "2023-10-02"),
    # 31 → 31: 30 Mar 2024 → start 31 Mar → 31 May 2024 exists: Friday.
    ("2024-03-30", 2, "2024-05-31"),
    # 31 → 31 across the year end: 30 Oct 2024 → start 31 Oct → Tue 31 Dec 2024 (not a
    # public holiday).
    ("2024-10-30", 2, "2024-12-31"),
    # 30 Aug 2023 → start 31 Aug → 31 Oct 2023: Tuesday.
    ("2023-08-30", 2, "2023-10-31"),
    # Published on the last day of a 30-day month: 30 Jun 2024 → start Mon 1 Jul → 1 Sep 2024,
    # a Sunday → Mon 2 Sep 2024.
    ("2024-06-30", 2, "2024-09-02"),
    # Published 29 Feb 2024 → start 1 Mar → 1 May 2024, fête du Travail (a Wednesday) →
    # Thu 2 May 2024.
    ("2024-02-29", 2, "2024-05-02"),
    # Non-leap 28 Feb 2023 → start 1 Mar → Mon 1 May 2023, fête du Travail → Tue 2 May 2023.
    ("2023-02-28", 2, "2023-05-02"),
    # Leap 28 Feb 2024 → start 29 Feb → 29 Apr 2024 exists: Monday.
    ("2024-02-28", 2, "2024-04-29"),
    # 31 Aug 2024 → start 1 Sep → Fri 1 Nov 2024, Toussaint → Sat 2 → Sun 3 → Mon 4 Nov 2024.
    ("2024-08-31", 2, "2024-11-04"),
    # 31 Oct 2024 → start 1 Nov → Wed 1 Jan 2025, jour de l'an → Thu 2 Jan 2025.
    ("2024-10-31", 2, "2025-01-02"),
    # 31 Dec 2024 → start 1 Jan 2025 → 1 Mar 2025, a Saturday → Sun 2 → Mon 3 Mar 2025.
    ("2024-12-31", 2, "2025-03-03"),
    # Two holidays in a row: 7 Mar 2024 → start 8 Mar → Wed 8 May 2024 (Victoire 1945) →
    # Thu 9 May 2024 (Ascension) → Fri 10 May 2024.
    ("2024-03-07", 2, "2024-05-10"),
    # Ordinary mid-month case: 12 Sep 2025 → start 13 Sep → Thu 13 Nov 2025.
    ("2025-09-12", 2, "2025-11-13"),
    # One month, leap February: 30 Jan 2024 → start 31 Jan → no 31 Feb: Thu 29 Feb 2024.
    ("2024-01-30", 1, "2024-02-29"),
    # Four months: 30 Oct 2023 → start 31 Oct → no 31 Feb 2024: Thu 29 Feb 2024.
    ("2023-10-30", 4, "2024-02-29"),
    # Twelve months from a leap day: 28 Feb 2024 → start 29 Feb → no 29 Feb 2025:
    # Fri 28 Feb 2025.
    ("2024-02-28", 12, "2025-02-28"),
    # Twenty-four months: 15 Jan 2024 → start 16 Jan → Fri 16 Jan 2026.
    ("2024-01-15", 24, "2026-01-16"),
]


@pytest.mark.parametrize(("published", "months", "expected"), CASES)
def test_last_day(published: str, months: int, expected: str) -> None:
    result = compute_deadline(date.fromisoformat(published), months=months)
    assert result.last_day == date.fromisoformat(expected)


def test_easter_monday_reasoning_is_spelled_out() -> None:
    lines = describe_deadline(compute_deadline(date(2024, 1, 31)))
    text = "\n".join(lines)
    assert "mercredi 31 janvier 2024" in text
    assert "jeudi 1er février 2024" in text
    assert "lundi 1er avril 2024" in text
    assert "lundi de Pâques" in text
    assert "mardi 2 avril 2024" in text
    assert lines[-1] == "2024-04-02"


def test_steps_name_each_extension() -> None:
    # 1 Nov 2024 (Toussaint, Friday) then Saturday then Sunday: three extensions, each named.
    steps = compute_deadline(date(2024, 8, 31)).steps
    reasons = [s.reason for s in steps if s.label == "prorogation"]
    assert len(reasons) == 3
    assert "Toussaint" in reasons[0]
    assert "samedi" in reasons[1]
    assert "dimanche" in reasons[2]


def test_month_end_step_says_where_the_rule_comes_from() -> None:
    steps = compute_deadline(date(2024, 12, 30)).steps
    expiry = next(s for s in steps if s.label.startswith("échéance"))
    assert expiry.day == date(2025, 2, 28)
    assert "dernier jour du mois" in expiry.reason


def test_notification_is_named() -> None:
    result = compute_deadline(date(2024, 1, 31), origin="notification")
    assert result.steps[0].label == "notification"
    assert "lendemain de la notification" in result.steps[1].reason


def test_allows_up_to_the_last_day() -> None:
    result = compute_deadline(date(2024, 1, 31))
    assert result.allows(date(2024, 4, 2))
    assert not result.allows(date(2024, 4, 3))


@pytest.mark.parametrize("months", [0, 25, -2])
def test_months_out_of_range(months: int) -> None:
    with pytest.raises(RequeteError, match="between 1 and 24"):
        compute_deadline(date(2024, 1, 31), months=months)


@pytest.mark.parametrize("start", [date(1, 1, 1), date(9999, 12, 31), date(2101, 1, 1)])
def test_years_out_of_range(start: date) -> None:
    with pytest.raises(RequeteError, match="check the year"):
        compute_deadline(start)


def test_unknown_origin() -> None:
    with pytest.raises(RequeteError, match="'publication' or 'notification'"):
        compute_deadline(date(2024, 1, 31), origin="signature")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-02-30", "not a valid date"),  # no 30 February
        ("2023-02-29", "not a valid date"),  # 2023 is not a leap year
        ("2024-13-01", "not a valid date"),  # no month 13
        ("31/01/2024", "YYYY-MM-DD"),  # French order is not accepted
        ("2024-1-31x", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
    ],
)
def test_parse_iso_date_rejects(text: str, message: str) -> None:
    with pytest.raises(RequeteError, match=message):
        parse_iso_date(text)


def test_parse_iso_date_accepts() -> None:
    assert parse_iso_date("2024-01-31") == date(2024, 1, 31)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 1), "lundi 1er avril 2024"),  # « 1er » for the first of the month
        (date(2024, 3, 22), "vendredi 22 mars 2024"),
        (date(2025, 8, 15), "vendredi 15 août 2025"),
    ],
)
def test_date_fr_with_weekday(day: date, expected: str) -> None:
    assert date_fr(day, weekday=True) == expected


def test_fast_holiday_loading_matches_the_package() -> None:
    """The France-only import path gives exactly holidays.France's days, 1990–2040."""
    code = (
        "import sys, time\n"
        "from requete.deadline import _french_holidays\n"
        "years = list(range(1990, 2041))\n"
        "fast = _french_holidays(years)\n"
        "assert not any(m.startswith('holidays') for m in sys.modules), 'stub left behind'\n"
        "start = time.perf_counter()\n"
        "again = _french_holidays([2024, 2025])  # the class is kept: no second import\n"
        "assert time.perf_counter() - start < 0.02\n"
        "assert not any(m.startswith('holidays') for m in sys.modules)\n"
        "from requete.deadline import _in_sentence\n"
        "import holidays\n"
        "slow = holidays.France(years=years, language='fr')\n"
        "assert fast == {d: _in_sentence(n) for d, n in slow.items()}\n"
        "from datetime import date\n"
        "assert again[date(2024, 4, 1)] == 'lundi de Pâques'\n"
        "print(len(fast))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 500


def test_cli_module_imports_nothing_heavy() -> None:
    """`requete --help` stays fast: holidays, docx and the export engine load on demand."""
    code = (
        "import sys, requete.commands.export\n"
        "heavy = [m for m in ('holidays', 'docx', 'requete.deadline') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@settings(max_examples=400, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=1, max_value=24),
)
def test_properties_of_any_deadline(start: date, months: int) -> None:
    """Checked against the holidays package directly, for any date and length."""
    from holidays.countries.france import France

    closed = France(years=range(start.year, start.year + 4))  # type: ignore[no-untyped-call]
    result = compute_deadline(start, months=months)
    expiry = result.steps[2].day
    # The raw expiry lies `months` months after the day after publication, on the same day
    # number, or on the last day of a shorter month.
    first = start + timedelta(days=1)
    assert (expiry.year * 12 + expiry.month) - (first.year * 12 + first.month) == months
    assert expiry.day == first.day or (expiry.day < first.day and (expiry + ONE).day == 1)
    # The last day is a working day; every day skipped before it was not.
    last = result.last_day
    assert last.weekday() < 5 and last not in closed
    skipped = [expiry + timedelta(days=n) for n in range((last - expiry).days)]
    assert all(d.weekday() >= 5 or d in closed for d in skipped)
    assert len(result.steps) == 4 + len(skipped)
