"""French dates, numbers and lists: one module, and no second copy elsewhere."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from requete import french

SRC = Path(__file__).resolve().parents[1] / "src" / "requete"


@pytest.mark.parametrize(
    ("day", "options", "expected"),
    [
        (dt.date(2023, 12, 21), {}, "21 décembre 2023"),
        (dt.date(2024, 2, 1), {}, "1er février 2024"),
        (dt.date(2024, 2, 1), {"weekday": True}, "jeudi 1er février 2024"),
        (dt.date(2024, 3, 5), {"nbsp": True}, "5\u00a0mars 2024"),
        ("2020-07-16", {}, "16 juillet 2020"),
        (None, {}, ""),
    ],
)
def test_date_fr(day: dt.date | str | None, options: dict[str, bool], expected: str) -> None:
    assert french.date_fr(day, **options) == expected


def test_date_ascii_for_file_names() -> None:
    assert french.date_ascii(dt.date(2023, 12, 21)) == "21_decembre_2023"
    assert french.date_ascii(dt.date(2024, 8, 1)) == "1er_aout_2024"


@pytest.mark.parametrize(
    ("items", "word", "expected"),
    [
        ([], "et", ""),
        (["a"], "et", "a"),
        (["a", "b"], "et", "a et b"),
        (["a", "b", "c"], "et", "a, b et c"),
        ([1, 2, 3], "ou", "1, 2 ou 3"),
    ],
)
def test_join_fr(items: list[object], word: str, expected: str) -> None:
    assert french.join_fr(items, word) == expected


def test_thousands_use_a_narrow_no_break_space() -> None:
    assert french.thousands(5000) == "5\u202f000"
    assert french.thousands(1234567) == "1\u202f234\u202f567"
    assert french.thousands(999) == "999"


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_month_names_and_no_break_spaces_are_defined_once() -> None:
    """A second month table or NBSP constant is how the dates of the citations, the deadline
    and the Télérecours names drifted apart: only french.py may define them."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "french.py":
            continue
        for line, text in _strings(path):
            if text in french.MONTHS or text in ("\u00a0", "\u202f"):
                found.append(f"{path.relative_to(SRC)}:{line}: {text!r}")
    assert found == []
