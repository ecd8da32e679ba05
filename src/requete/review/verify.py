"""Check a redline: accepting all changes must give the new text, rejecting all the old."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from requete.errors import RequeteError
from requete.review.package import DOCUMENT, Source, open_package, parse_xml
from requete.review.revisions import accept_all, reject_all
from requete.review.text import body_texts


@dataclass(frozen=True)
class Check:
    """Outcome of accept-all or reject-all: ok, or where the texts first differ."""

    ok: bool
    expected_count: int
    actual_count: int
    index: int | None = None
    expected: str | None = None
    actual: str | None = None

    def describe(self) -> str:
        """One line saying where the texts first differ."""
        if self.ok:
            return "ok"
        return (
            f"paragraph {(self.index or 0) + 1} (of {self.expected_count} expected, "
            f"{self.actual_count} found): expected {self.expected!r}, got {self.actual!r}"
        )


@dataclass(frozen=True)
class Verification:
    """Both checks of a redline."""

    accept: Check
    reject: Check

    @property
    def ok(self) -> bool:
        """True when accept-all gives the new text and reject-all the old."""
        return self.accept.ok and self.reject.ok


def check_redline(redline: Source, old_texts: list[str], new_texts: list[str]) -> Verification:
    """Apply accept-all and reject-all to a redline and compare the visible paragraph texts."""
    package = open_package(redline, "<redline>" if isinstance(redline, bytes) else None)
    data = package.read(DOCUMENT)
    assert data is not None

    def texts(apply: Callable[[etree._Element], object]) -> list[str]:
        # One tree at a time, parsed afresh (no deepcopy): peak memory is one document.
        root = parse_xml(data, package.label, DOCUMENT)
        apply(root)
        return _texts(root)

    accepted = _compare(new_texts, texts(accept_all))
    return Verification(accept=accepted, reject=_compare(old_texts, texts(reject_all)))


def verify_redline(redline: bytes, old_texts: list[str], new_texts: list[str], label: str) -> None:
    """Raise RequeteError unless the redline accepts to the new text and rejects to the old."""
    result = check_redline(redline, old_texts, new_texts)
    for name, check in (("accepting", result.accept), ("rejecting", result.reject)):
        if not check.ok:
            raise RequeteError(
                f"redline check failed, nothing was written: {name} all changes differs at "
                f"{check.describe()}; please report this with both documents",
                path=label,
            )


def _texts(root: etree._Element) -> list[str]:
    return [text for text in body_texts(root) if text.strip()]


def _compare(expected: list[str], actual: list[str]) -> Check:
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want != got:
            return Check(False, len(expected), len(actual), index, want, got)
    if len(expected) != len(actual):
        index = min(len(expected), len(actual))
        return Check(
            False,
            len(expected),
            len(actual),
            index,
            expected[index] if index < len(expected) else None,
            actual[index] if index < len(actual) else None,
        )
    return Check(True, len(expected), len(actual))
