"""Safe YAML reading that keeps the line of every node and refuses what YAML allows too much."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from requete.errors import LibraryError

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
        raise LibraryError("file not found; check the path", path) from None
    except IsADirectoryError:
        raise LibraryError("is a directory, expected a YAML file", path) from None
    except OSError as err:
        raise LibraryError(os_message(err, "cannot read file"), path) from None
    except ValueError:  # a NUL in the name
        raise LibraryError("cannot read file: its name holds a NUL character", path) from None
    with open(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            _not_regular(path, mode)
        try:
            data = handle.read(limit + 1)
        except OSError as err:
            raise LibraryError(os_message(err, "cannot read file"), path) from None
    if len(data) > limit:
        size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"
        raise LibraryError(f"file is larger than {size}; split it", path)
    return data


def _not_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise LibraryError("is a directory, expected a YAML file", path)
    raise LibraryError("not a regular file (a FIFO, device or socket); expected a YAML file", path)


def os_message(err: OSError, doing: str) -> str:
    """An OS error as the end of a one-line message (``name too long``, ``permission denied``)."""
    reason = err.strerror or type(err).__name__
    if isinstance(err, PermissionError):
        return f"{doing}: permission denied; check its permissions"
    if err.errno == errno.ENAMETOOLONG:
        return f"{doing}: file name too long"
    return f"{doing}: {reason[:1].lower()}{reason[1:]}"


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and badly encoded files."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise LibraryError("binary file, expected UTF-8 YAML text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise LibraryError(
            "not UTF-8 text (invalid byte); save the file as UTF-8", path, line
        ) from None
    return text


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, Lines]:
    """Parse one YAML document into plain Python values and the line of every node."""
    if text is None:
        text = read_text(path)
    if len(text) > MAX_YAML_BYTES:
        raise LibraryError(f"text is larger than {MAX_YAML_BYTES // 1_000_000} MB; split it", path)
    if not text.strip():
        raise LibraryError("empty file, expected a YAML mapping", path, 1)
    tab = _leading_tab(text)
    if tab:
        raise LibraryError("tab used for indentation; YAML needs spaces", path, tab)
    loader = _BoundedLoader(text, path)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = err.problem or str(err)
        raise LibraryError(f"YAML syntax error: {what}", path, line) from None
    except yaml.YAMLError as err:
        raise LibraryError(f"YAML syntax error: {err}", path) from None
    finally:
        loader.dispose()
    if node is None:
        raise LibraryError("empty document, expected a YAML mapping", path, 1)
    lines = Lines()
    value = _Converter(path, lines, aliased=loader.aliases > 0).convert(node, (), 0)
    return value, lines


_COMPOSER: Any = Composer  # its methods run on the loader below (typed for Composer alone)


class _BoundedLoader(_Loader):
    """libyaml's parser with PyYAML's composer, bounded while it builds the nodes: at most
    MAX_NODES nodes, MAX_ALIASES alias uses and MAX_DEPTH levels, refused at the line where
    the limit is passed (libyaml's own composer cannot be stopped before it has finished)."""

    compose_document = _COMPOSER.compose_document
    compose_scalar_node = _COMPOSER.compose_scalar_node
    get_single_node = _COMPOSER.get_single_node

    def __init__(self, text: str, path: Path):
        super().__init__(text)
        self.anchors: dict[Any, yaml.Node] = {}
        self.path = path
        self.nodes = self.aliases = self.depth = 0
        self.expanded = 0  # values once aliases are expanded, known without expanding them
        self.sizes: dict[Any, int] = {}  # anchor -> values under it, aliases expanded

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        event: Any = self.peek_event()
        line, before, alias = event.start_mark.line + 1, self.expanded, event.anchor
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LibraryError(
                f"YAML document too large: more than {MAX_NODES:,} values; split the file",
                self.path,
                line,
            )
        is_alias = self.check_event(AliasEvent)
        if is_alias:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise LibraryError(
                    f"more than {MAX_ALIASES:,} YAML aliases (*name); write the values out",
                    self.path,
                    line,
                )
        elif self.check_event(SequenceStartEvent, MappingStartEvent):
            if self.depth >= MAX_DEPTH:
                raise LibraryError(
                    f"YAML nested too deeply (more than {MAX_DEPTH} levels)", self.path, line
                )
        elif not self.check_event(ScalarEvent):  # pragma: no cover - the parser guarantees it
            raise LibraryError("unexpected YAML event", self.path, line)
        node: yaml.Node = _COMPOSER.compose_node(self, parent, index)
        if is_alias:  # an anchor still being composed is a cycle: the converter refuses it
            self.expanded += self.sizes.get(alias, 1)
        else:
            self.expanded += 1
            if alias is not None:
                self.sizes[alias] = self.expanded - before
        if self.expanded > MAX_NODES:
            raise LibraryError(
                f"YAML document too large: more than {MAX_NODES:,} values once its aliases "
                "(*name) are expanded; write the values out or split the file",
                self.path,
                line,
            )
        return node

    def compose_sequence_node(self, anchor: Any) -> yaml.Node:
        self.depth += 1
        node: yaml.Node = _COMPOSER.compose_sequence_node(self, anchor)
        self.depth -= 1
        return node

    def compose_mapping_node(self, anchor: Any) -> yaml.Node:
        self.depth += 1
        node: yaml.Node = _COMPOSER.compose_mapping_node(self, anchor)
        self.depth -= 1
        return node


def _leading_tab(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            return number
    return None


class _Converter:
    """Nodes to plain values, counting every value once aliases are expanded (an alias bomb
    is refused after MAX_NODES values, not after it has filled the memory)."""

    def __init__(self, path: Path, lines: Lines, aliased: bool):
        self.path, self.lines, self.aliased = path, lines, aliased
        self.count = 0
        self.open: set[int] = set()  # the collections being converted (a cycle comes back)

    def convert(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        path, line = self.path, node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_NODES:
            what = " once its aliases (*name) are expanded" if self.aliased else ""
            raise LibraryError(
                f"YAML document too large: more than {MAX_NODES:,} values{what}; "
                "write the values out or split the file",
                path,
                line,
            )
        if depth > MAX_DEPTH:
            raise LibraryError(f"YAML nested too deeply (more than {MAX_DEPTH} levels)", path, line)
        self.lines.where[loc] = (path, line)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, path)
        if id(node) in self.open:
            raise LibraryError(
                "YAML alias inside the value it names (a cycle); write the values out", path, line
            )
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                _plain_tag(node, "tag:yaml.org,2002:seq", path)
                return [self.convert(n, (*loc, i), depth + 1) for i, n in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                _plain_tag(node, "tag:yaml.org,2002:map", path)
                return self.mapping(node, loc, depth)
        finally:
            self.open.discard(id(node))
        raise LibraryError("unsupported YAML node", path, line)

    def mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> Any:
        path = self.path
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LibraryError(
                    "YAML merge keys (<<) are not supported; write keys out", path, line
                )
            key = _scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                raise LibraryError("mapping keys must be plain text or numbers", path, line)
            if key in result:
                raise LibraryError(f"duplicate key '{_short(key)}'; remove one of them", path, line)
            result[key] = self.convert(value_node, (*loc, key), depth + 1)
            self.lines.where[(*loc, key)] = (path, line)
        return result


_KIND = {
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}


def _scalar(node: yaml.ScalarNode, path: Path) -> Any:
    line = node.start_mark.line + 1
    method = _SCALAR_TAGS.get(node.tag)
    if method is None:
        raise LibraryError(
            f"YAML tag '{_short(node.tag)}' is not allowed (only plain values are read)",
            path,
            line,
        )
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise LibraryError(
                f"integer of {digits:,} digits is too long (at most {MAX_INT_DIGITS}); "
                "quote it to keep it as text",
                path,
                line,
            )
    try:
        return getattr(_constructor, method)(node)
    except Exception as err:  # noqa: BLE001 - any failure of a value is the user's input
        kind = _KIND.get(node.tag, "a value")
        if "timestamp" in node.tag:  # « day is out of range for month »: worth showing
            reason, hint = f" ({str(err).split(';')[0].strip()})", "write a real date YYYY-MM-DD"
        else:
            reason, hint = "", "correct it"
        raise LibraryError(
            f"'{_short(str(node.value))}' is not a valid {kind.split(' ', 1)[1]}{reason}; "
            f"{hint}, or put it in quotes to keep it as text",
            path,
            line,
        ) from None


def _short(value: Any, limit: int = 60) -> str:
    """A value as shown in a message: at most ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


def _plain_tag(node: yaml.Node, expected: str, path: Path) -> None:
    if node.tag != expected:
        raise LibraryError(
            f"YAML tag '{_short(node.tag)}' is not allowed (only plain values are read)",
            path,
            node.start_mark.line + 1,
        )
