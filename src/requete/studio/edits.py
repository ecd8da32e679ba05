"""The studio's changes to a filing, written as the overlay operations a user would type in
the case file (``remove:``, ``add:``, ``move:``, ``override:``) and as plain fields of the
matter file; comments, key order and quoting of the rest of the file are kept (ruamel.yaml's
round trip), so the change reads as a small diff in git."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from requete.errors import RequeteError
from requete.i18n import _

Key = str | int


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> CommentedMap:
    """A case or matter file as a round-trip mapping."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = _yaml().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RequeteError(
            _(
                "the file cannot be read as YAML (line {line}); correct it in an editor "
                "(`requete check` names the problem), then reload the page"
            ).format(line=line if line is not None else "?")
        ) from None
    except YAMLError:
        raise RequeteError(
            _("the file cannot be read as YAML; correct it in an editor, then reload the page")
        ) from None
    if not isinstance(data, CommentedMap):
        raise RequeteError(_("the file is not a mapping of fields; open it in an editor"))
    return data


def dump(data: CommentedMap) -> str:
    """The mapping as YAML text."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _text(value: str) -> str | LiteralScalarString:
    """A long or multi-line text as a literal block (``|``), which reads like the prose."""
    value = value.replace("\r\n", "\n").replace("\t", " ").strip()  # a tab pasted from Word
    return LiteralScalarString(value + "\n") if "\n" in value or len(value) > 80 else value


def _list(data: CommentedMap, key: str) -> CommentedSeq:
    value = data.get(key)
    if value is None:
        value = CommentedSeq()
        data[key] = value
    if not isinstance(value, CommentedSeq):
        raise RequeteError(
            _("field '{field}' of the case file is not a list; correct it in an editor").format(
                field=key
            )
        )
    return value


def _entry(seq: CommentedSeq, block: str) -> int | None:
    for index, item in enumerate(seq):
        if isinstance(item, dict) and item.get("block") == block:
            return index
    return None


def _drop_empty(data: CommentedMap, *keys: str) -> None:
    for key in keys:
        if key in data and data[key] == []:
            del data[key]


class WouldLose(RequeteError):
    """An operation that would take away text the user wrote (an override, a comment)."""


def remove_block(
    text: str, block: str, section_order: list[str] | None = None, section: str | None = None
) -> str:
    """Take ``block`` out of the filing: the case's own ``add:`` of it is dropped, else the
    block goes into ``remove:``; its ``move:`` goes too. A block the case rewrote
    (``override:``) is refused: the rewriting would be lost. Entries placed after or before the
    block take its place: after the block before it, or before the block after it,
    or at the end of ``section``: ``section_order`` is the order of the blocks of the
    block's section as the filing has them."""
    data = load(text)
    if _entry(_list(data, "override"), block) is not None:
        raise WouldLose(
            _(
                "« {block} » has its own rewriting in this filing (override:); removing it would "
                "lose that text. Empty the rewritten application first (or edit the file), then "
                "remove the block"
            ).format(block=block)
        )
    for key in ("add", "move"):
        for entry in _list(data, key):
            if not isinstance(entry, dict) or entry.get("block") == block:
                continue
            if entry.get("after") == block or entry.get("before") == block:
                order = section_order or []
                at = order.index(block) if block in order else len(order)
                others = {block, entry.get("block")}
                previous = [b for b in order[:at] if b not in others]
                following = [b for b in order[at + 1 :] if b not in others]
                entry.pop("after", None)
                entry.pop("before", None)
                if previous:
                    entry["after"] = previous[-1]
                elif following:
                    entry["before"] = following[0]
                elif section:
                    entry["at_end_of"] = section
    added = _list(data, "add")
    index = _entry(added, block)
    if index is not None:
        del added[index]
    else:
        removed = _list(data, "remove")
        if block not in removed:
            removed.append(block)
    moves = _list(data, "move")
    found = _entry(moves, block)
    while found is not None:
        del moves[found]
        found = _entry(moves, block)
    _drop_empty(data, "add", "remove", "move", "override")
    return dump(data)


def _placement(after: str | None, before: str | None) -> dict[str, str]:
    if after:
        return {"after": after}
    if before:
        return {"before": before}
    return {}


def add_block(text: str, block: str, after: str | None = None, before: str | None = None) -> str:
    """Put ``block`` in the filing after (or before) another, or at the end of its section:
    a block the case removed comes back (``remove:`` loses it); any other is added."""
    data = load(text)
    removed = _list(data, "remove")
    if block in removed:
        removed.remove(block)
        if after or before:
            moves = _list(data, "move")
            found = _entry(moves, block)
            if found is not None:
                del moves[found]
            moves.append(CommentedMap({"block": block, **_placement(after, before)}))
    else:
        added = _list(data, "add")
        if _entry(added, block) is None:
            added.append(CommentedMap({"block": block, **_placement(after, before)}))
    _drop_empty(data, "add", "remove", "move")
    return dump(data)


def move_candidates(
    text: str, block: str, after: str | None = None, before: str | None = None
) -> list[str]:
    """Ways to write « place ``block`` after (or before) another », the most readable first:
    the case's own ``add:`` of the block takes the new place; its earlier ``move:`` is
    replaced by one at the end (moves apply in order, so the last one must come last); a new
    ``move:`` is appended to the others. The caller keeps the first that gives the order the
    user asked for (an earlier move may be anchored on this block)."""
    out: list[str] = []
    entry = {"block": block, **_placement(after, before)}
    data = load(text)
    added = _list(data, "add")
    index = _entry(added, block)
    if index is not None:
        added[index] = CommentedMap(entry)
        out.append(dump(data))
    data = load(text)
    moves = _list(data, "move")
    found = _entry(moves, block)
    while found is not None:
        del moves[found]
        found = _entry(moves, block)
    moves.append(CommentedMap(entry))
    out.append(dump(data))
    data = load(text)
    moves = _list(data, "move")
    if _entry(moves, block) is not None:
        moves.append(CommentedMap(entry))
        out.append(dump(data))
    return out


def lost_comments(old: str, new: str) -> list[str]:
    """The comments of ``old`` that ``new`` no longer has (each « # … », with repeats)."""
    import re
    from collections import Counter

    def comments(text: str) -> Counter[str]:
        found = (re.search(r"(?:^|\s)(#.*)$", line) for line in text.splitlines())
        return Counter(m.group(1).strip() for m in found if m)

    return list((comments(old) - comments(new)).elements())


def override_application(text: str, block: str, version: int, application: str | None) -> str:
    """Give ``block`` the case's own application part (``override:`` with ``base_version``,
    so that a later change of the library's block is reported); None or an empty text takes
    the override of the application away."""
    data = load(text)
    seq = _list(data, "override")
    found = _entry(seq, block)
    value = (application or "").strip()
    if found is None:
        if value:
            seq.append(
                CommentedMap({"block": block, "base_version": version, "application": _text(value)})
            )
    else:
        entry = seq[found]
        if value:
            entry["base_version"] = version
            entry["application"] = _text(value)
        else:
            entry.pop("application", None)
            if set(entry) <= {"block", "base_version"}:
                del seq[found]
    _drop_empty(data, "override")
    return dump(data)


def set_fields(text: str, changes: dict[tuple[Key, ...], Any]) -> str:
    """Set fields of a matter (or case) file by path, ``("acte", "titre")`` or
    ``("requerants", 0, "siege")``; None or an empty text removes an optional field."""
    data = load(text)
    for path, value in changes.items():
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        last = path[-1]
        if value is None or value == "":
            if isinstance(node, dict):
                node.pop(last, None)
            continue
        old = node.get(last) if isinstance(node, dict) else node[last]
        if isinstance(value, str):
            if isinstance(old, str) and old.strip() == value.replace("\r\n", "\n").strip():
                continue  # unchanged: keep the file's own quoting and folding
            value = _text(value)
        elif old == value:
            continue
        node[last] = value
    return dump(data)
