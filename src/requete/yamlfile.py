"""Safe YAML reading that keeps the line of every node and refuses what YAML allows too much."""

from __future__ import annotations

import copy
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from requete.errors import LibraryError
from requete.i18n import N_, _

try:  # libyaml is much faster; fall back to the pure-Python composer
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
# Limits, far above any real file (the largest of the repository, cases/emc2/matters/emc2.yaml,
# is 58.6 KB, 355 nodes, 6 levels deep, no alias): a hostile file is refused in well under a
# second and a few tens of MB, whatever it holds (alias bomb, FIFO, /dev/zero, 10**6 items).
MAX_YAML_BYTES = 2_000_000  # bytes per file
MAX_DEPTH = 50  # nested sequences / mappings
MAX_NODES = 100_000  # values per file, counted as composed and again once aliases are expanded
MAX_ALIASES = 1_000  # alias uses (``*name``) per file
MAX_INT_DIGITS = 100  # an unquoted integer (Python refuses to print ints over 4,300 digits)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": "construct_yaml_str",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Lines:
    """Where each node of a loaded YAML document was written: key path -> (file, line)."""

    where: dict[Loc, tuple[Path, int]] = field(default_factory=dict)

    def locate(self, loc: Loc) -> tuple[Path | None, int | None]:
        """File and 1-based line of ``loc`` or of its nearest recorded parent."""
        for end in range(len(loc), -1, -1):
            hit = self.where.get(loc[:end])
            if hit:
                return hit
        return None, None

    def line(self, loc: Loc) -> int | None:
        """1-based line of ``loc`` (or its nearest parent)."""
        return self.locate(loc)[1]

    def prefixed(self, prefix: Loc) -> Lines:
        """The same locations seen under ``prefix`` (for documents nested in others)."""
        return Lines({prefix + k: v for k, v in self.where.items()})

    def sub(self, prefix: Loc) -> Lines:
        """Locations below ``prefix``, re-rooted at it."""
        n = len(prefix)
        return Lines({k[n:]: v for k, v in self.where.items() if k[:n] == prefix})


def read_bytes(path: Path, limit: int = MAX_YAML_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: a FIFO, a device (/dev/zero),
    a socket or a directory is refused before anything is read, and never more than
    ``limit + 1`` bytes are read."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            _not_regular(path, mode)
        # O_NONBLOCK: a FIFO swapped in after the stat cannot block the open
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise LibraryError(_("file not found; check the path"), path) from None
    except IsADirectoryError:
        raise LibraryError(_("is a directory, expected a YAML file"), path) from None
    except OSError as err:
        raise LibraryError(os_message(err, _("cannot read file")), path) from None
    except ValueError:  # a NUL in the name
        raise LibraryError(_("cannot read file: its name holds a NUL character"), path) from None
    with open(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            _not_regular(path, mode)
        try:
            data = handle.read(limit + 1)
        except OSError as err:
            raise LibraryError(os_message(err, _("cannot read file")), path) from None
    if len(data) > limit:
        if limit >= 1_000_000:
            size = _("{count} MB").format(count=f"{limit / 1_000_000:g}")
        else:
            size = _("{count} bytes").format(count=f"{limit:,}")
        raise LibraryError(_("file is larger than {size}; split it").format(size=size), path)
    return data


def _not_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise LibraryError(_("is a directory, expected a YAML file"), path)
    raise LibraryError(
        _("not a regular file (a FIFO, device or socket); expected a YAML file"), path
    )


def os_message(err: OSError, doing: str) -> str:
    """An OS error as the end of a one-line message (``name too long``, ``permission denied``);
    ``doing`` is already translated. Another error keeps the system's own words (strerror)."""
    reason = err.strerror or type(err).__name__
    if isinstance(err, PermissionError):
        return _("{doing}: permission denied; check its permissions").format(doing=doing)
    if err.errno == errno.ENAMETOOLONG:
        return _("{doing}: file name too long").format(doing=doing)
    return _("{doing}: {reason}").format(doing=doing, reason=f"{reason[:1].lower()}{reason[1:]}")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and badly encoded files."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise LibraryError(_("binary file, expected UTF-8 YAML text"), path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise LibraryError(
            _("not UTF-8 text (invalid byte); save the file as UTF-8"), path, line
        ) from None
    return text


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, Lines]:
    """Parse one YAML document into plain Python values and the line of every node."""
    if text is None:
        text = read_text(path)
    if len(text) > MAX_YAML_BYTES:
        raise LibraryError(
            _("text is larger than {count} MB; split it").format(count=MAX_YAML_BYTES // 1_000_000),
            path,
        )
    if not text.strip():
        raise LibraryError(_("empty file, expected a YAML mapping"), path, 1)
    tab = _leading_tab(text)
    if tab:
        raise LibraryError(_("tab used for indentation; YAML needs spaces"), path, tab)
    composer = _Composer(text, path)
    try:
        value = composer.document()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = err.problem or str(err)  # PyYAML's own words, or ours (translated)
        raise LibraryError(
            _("YAML syntax error: {reason}").format(reason=what), path, line
        ) from None
    except yaml.YAMLError as err:
        raise LibraryError(_("YAML syntax error: {reason}").format(reason=err), path) from None
    finally:
        composer.loader.dispose()
    if value is _EMPTY:
        raise LibraryError(_("empty document, expected a YAML mapping"), path, 1)
    return value, Lines(composer.where)


_EMPTY = object()  # a stream without a document
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_KEY = "\0key"  # where a key's own line is recorded while it is read: no value lives there


@dataclass
class _Anchor:
    value: Any
    loc: Loc
    line: int
    mark: Any
    first: int  # where its locations start in _Composer.order
    last: int = 0
    size: int = 1  # values under it, aliases expanded
    open: bool = True


class _Composer:
    """libyaml's parser (C), read event by event straight into plain values and the line of
    each, in one pass and without a node tree; bounded while it reads: at most MAX_NODES
    values (and MAX_NODES once aliases are expanded, counted before any copy is made),
    MAX_ALIASES alias uses and MAX_DEPTH levels, refused at the line where the limit is
    passed; only plain tags; no merge keys, duplicate keys or collections as keys."""

    def __init__(self, text: str, path: Path):
        self.loader: Any = _Loader(text)  # libyaml's parser, PyYAML's resolver (untyped)
        self.path = path
        self.where: dict[Loc, tuple[Path, int]] = {}
        self.nodes = self.aliases = self.expanded = self.deepest = 0
        self.anchors: dict[Any, _Anchor] = {}
        self.order: list[Loc] | None = [] if "&" in text else None  # to copy an anchor's lines

    def document(self) -> Any:
        """The value of the single document of the stream (_EMPTY when there is none)."""
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            return _EMPTY
        start: Any = loader.get_event()  # document start
        value = self.node((), 0)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            event: Any = loader.get_event()
            raise ComposerError(
                _("expected a single document in the stream"),
                start.start_mark,
                _("but found another document"),
                event.start_mark,
            )
        return value

    def _record(self, loc: Loc, line: int) -> None:
        self.where[loc] = (self.path, line)
        if self.order is not None:
            self.order.append(loc)

    def _count(self, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LibraryError(
                _("YAML document too large: more than {count} values; split the file").format(
                    count=f"{MAX_NODES:,}"
                ),
                self.path,
                line,
            )

    def _expand(self, size: int, line: int) -> None:
        self.expanded += size
        if self.expanded > MAX_NODES:
            raise LibraryError(
                _(
                    "YAML document too large: more than {count} values once its aliases "
                    "(*name) are expanded; write the values out or split the file"
                ).format(count=f"{MAX_NODES:,}"),
                self.path,
                line,
            )

    def node(self, loc: Loc, depth: int) -> Any:
        """Read one value (scalar, sequence, mapping or alias) at ``loc``."""
        event: Any = self.loader.get_event()
        line = event.start_mark.line + 1
        self._count(line)
        kind = type(event)
        if kind is AliasEvent:
            return self._alias(event, loc, line)
        anchor, before = event.anchor, self.expanded
        if anchor is not None:
            if anchor in self.anchors:
                raise ComposerError(
                    _("found duplicate anchor {name}; first occurrence").format(name=repr(anchor)),
                    self.anchors[anchor].mark,
                    _("second occurrence"),
                    event.start_mark,
                )
            first = len(self.order) if self.order is not None else 0
            self.anchors[anchor] = _Anchor(None, loc, line, event.start_mark, first)
        self._record(loc, line)
        value: Any
        if kind is ScalarEvent:
            value = self._scalar(event)
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            if depth >= MAX_DEPTH:
                raise LibraryError(
                    _("YAML nested too deeply (more than {count} levels)").format(count=MAX_DEPTH),
                    self.path,
                    line,
                )
            self.deepest = max(self.deepest, depth + 1)
            expected = _SEQ if kind is SequenceStartEvent else _MAP
            if event.tag not in (None, "!", expected):
                raise LibraryError(
                    _(_TAG_REFUSED).format(tag=_short(event.tag)),
                    self.path,
                    line,
                )
            if kind is SequenceStartEvent:
                value = self._sequence(loc, depth)
            else:
                value = self._mapping(loc, depth)
        else:  # pragma: no cover - the parser guarantees it
            raise LibraryError(_("unexpected YAML event"), self.path, line)
        self._expand(1, line)
        if anchor is not None:
            found = self.anchors[anchor]
            found.value, found.size, found.open = value, self.expanded - before, False
            found.last = len(self.order) if self.order is not None else 0
        return value

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return _scalar(node, self.path)

    def _sequence(self, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        loader = self.loader
        while not loader.check_event(SequenceEndEvent):
            items.append(self.node((*loc, len(items)), depth + 1))
        loader.get_event()
        return items

    def _mapping(self, loc: Loc, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        loader = self.loader
        while not loader.check_event(MappingEndEvent):
            key, line = self._key()
            if key in result:
                raise LibraryError(
                    _("duplicate key '{key}'; remove one of them").format(key=_short(key)),
                    self.path,
                    line,
                )
            result[key] = self.node((*loc, key), depth + 1)
            self._record((*loc, key), line)
        loader.get_event()
        return result

    def _key(self) -> tuple[Any, int]:
        event: Any = self.loader.peek_event()
        line = event.start_mark.line + 1
        key: Any = None
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _MERGE:
                raise LibraryError(
                    _("YAML merge keys (<<) are not supported; write keys out"), self.path, line
                )
        if kind is ScalarEvent or kind is AliasEvent:
            key = self.node((_KEY,), 0)
            self.where.pop((_KEY,), None)
        if key is None or isinstance(key, (list, dict)):
            raise LibraryError(_("mapping keys must be plain text or numbers"), self.path, line)
        return key, line

    def _alias(self, event: Any, loc: Loc, line: int) -> Any:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise LibraryError(
                _("more than {count} YAML aliases (*name); write the values out").format(
                    count=f"{MAX_ALIASES:,}"
                ),
                self.path,
                line,
            )
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise ComposerError(
                None,
                None,
                _("found undefined alias {name}").format(name=repr(event.anchor)),
                event.start_mark,
            )
        if anchor.open:
            raise LibraryError(
                _("YAML alias inside the value it names (a cycle); write the values out"),
                self.path,
                anchor.line,
            )
        self._expand(anchor.size, line)
        self._record(loc, anchor.line)  # an alias stands where its anchor was written
        if self.order is not None:
            cut, where = len(anchor.loc), self.where
            for inner in self.order[anchor.first : anchor.last]:
                if inner[:cut] == anchor.loc and inner in where:  # not a key's own line
                    self._record((*loc, *inner[cut:]), where[inner][1])
        value = anchor.value
        return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def _leading_tab(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            return number
    return None


_TAG_REFUSED = N_("YAML tag '{tag}' is not allowed (only plain values are read)")
# A value its tag cannot read, by tag (translated where it is shown); a date says why.
_NOT_VALID = {
    "tag:yaml.org,2002:int": N_(
        "'{value}' is not a valid integer; correct it, or put it in quotes to keep it as text"
    ),
    "tag:yaml.org,2002:float": N_(
        "'{value}' is not a valid number; correct it, or put it in quotes to keep it as text"
    ),
    "tag:yaml.org,2002:bool": N_(
        "'{value}' is not a valid yes/no value; correct it, or put it in quotes to keep it as text"
    ),
    "tag:yaml.org,2002:null": N_(
        "'{value}' is not a valid empty value; correct it, or put it in quotes to keep it as text"
    ),
    "tag:yaml.org,2002:timestamp": N_(
        "'{value}' is not a valid date ({reason}); write a real date YYYY-MM-DD, or put it "
        "in quotes to keep it as text"
    ),
}
_NOT_A_VALUE = N_(
    "'{value}' is not a valid value; correct it, or put it in quotes to keep it as text"
)


def _scalar(node: yaml.ScalarNode, path: Path) -> Any:
    line = node.start_mark.line + 1
    method = _SCALAR_TAGS.get(node.tag)
    if method is None:
        raise LibraryError(_(_TAG_REFUSED).format(tag=_short(node.tag)), path, line)
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise LibraryError(
                _(
                    "integer of {count} digits is too long (at most {limit}); "
                    "quote it to keep it as text"
                ).format(count=f"{digits:,}", limit=MAX_INT_DIGITS),
                path,
                line,
            )
    try:
        return getattr(_constructor, method)(node)
    except Exception as err:  # noqa: BLE001 - any failure of a value is the user's input
        # « day is out of range for month » (Python's words, in English): worth showing
        reason = str(err).split(";")[0].strip()
        message = _(_NOT_VALID.get(node.tag, _NOT_A_VALUE))
        raise LibraryError(
            message.format(value=_short(str(node.value)), reason=reason), path, line
        ) from None


def _short(value: Any, limit: int = 60) -> str:
    """A value as shown in a message: at most ``limit`` characters."""
    text = str(value)
    if len(text) <= limit:
        return text
    return _("{start}… ({count} characters)").format(
        start=text[: limit - 1], count=f"{len(text):,}"
    )
