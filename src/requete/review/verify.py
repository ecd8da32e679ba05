"""Check a redline: accepting all changes must give the new document and rejecting all the
old one, on every story: body, notes, comments, headers, footers, text boxes."""

from __future__ import annotations

from dataclasses import dataclass

from requete.errors import RequeteError
from requete.i18n import N_, _
from requete.ooxml.package import Source
from requete.ooxml.runs import shown
from requete.ooxml.text import Draft, read_draft

Line = tuple[str, str]  # (story label, "" for the body; compared text of one paragraph)


@dataclass(frozen=True)
class Check:
    """Outcome of accept-all or reject-all: ok, or where the documents first differ."""

    ok: bool
    expected_count: int
    actual_count: int
    index: int | None = None
    expected: Line | None = None
    actual: Line | None = None

    def describe(self) -> str:
        """One line saying where the documents first differ."""
        if self.ok:
            return "ok"
        where = (self.expected or self.actual or ("", ""))[0] or _("the body")
        return _(
            "{where}, paragraph {number} of the document (of {expected_count} expected, "
            "{actual_count} found): expected {expected}, got {actual}"
        ).format(
            where=where,
            number=(self.index or 0) + 1,
            expected_count=self.expected_count,
            actual_count=self.actual_count,
            expected=_show(self.expected),
            actual=_show(self.actual),
        )


def _show(line: Line | None) -> str:
    if line is None:
        return _("nothing")
    story, text = line
    if story:
        return _("{text!r} in {story}").format(text=shown(text), story=story)
    return f"{shown(text)!r}"


@dataclass(frozen=True)
class Verification:
    """Both checks of a redline, and how many stories besides the body they covered."""

    accept: Check
    reject: Check
    stories: int = 0

    @property
    def ok(self) -> bool:
        """True when accept-all gives the new document and reject-all the old."""
        return self.accept.ok and self.reject.ok


def check_redline(redline: Source, old: Draft | Source, new: Draft | Source) -> Verification:
    """Apply accept-all and reject-all to a redline and compare every story, paragraph by
    paragraph, objects included, with the new and the old draft (as read, changes
    accepted)."""
    old_draft = old if isinstance(old, Draft) else read_draft(old)
    new_draft = new if isinstance(new, Draft) else read_draft(new)
    label = "<redline>" if isinstance(redline, bytes) else None
    accepted = read_draft(redline, label, mode="accept", light=True)
    rejected = read_draft(redline, label, mode="reject", light=True)
    return Verification(
        accept=_compare(new_draft.lines(), accepted.lines()),
        reject=_compare(old_draft.lines(), rejected.lines()),
        stories=len({id(s.container) for s in accepted.stories}),
    )


def verify_redline(redline: bytes, old: Draft, new: Draft, label: str) -> Verification:
    """Raise RequeteError unless the redline accepts to the new draft and rejects to the old
    on every story."""
    result = check_redline(redline, old, new)
    failed = (
        (
            N_(
                "redline check failed, nothing was written: accepting all changes differs at "
                "{where}; please report this with both documents"
            ),
            result.accept,
        ),
        (
            N_(
                "redline check failed, nothing was written: rejecting all changes differs at "
                "{where}; please report this with both documents"
            ),
            result.reject,
        ),
    )
    for message, check in failed:
        if not check.ok:
            raise RequeteError(_(message).format(where=check.describe()), path=label)
    return result


def _compare(expected: list[Line], actual: list[Line]) -> Check:
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
