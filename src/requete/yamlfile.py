"""Safe YAML reading that keeps the line of every node and refuses what YAML allows too much."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from requete.errors import LibraryError

try:  # libyaml is much faster; fall back to the pure-Python composer
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
MAX_YAML_BYTES = 2_000_000

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


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing binary, oversized and badly encoded files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LibraryError("file not found; check the path", path) from None
    except IsADirectoryError:
        raise LibraryError("is a directory, expected a YAML file", path) from None
    except OSError as err:
        raise LibraryError(f"cannot read file: {err.strerror}", path) from err
    if len(data) > MAX_YAML_BYTES:
        raise LibraryError(f"file is larger than {MAX_YAML_BYTES // 1_000_000} MB", path)
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
    if not text.strip():
        raise LibraryError("empty file, expected a YAML mapping", path, 1)
    tab = _leading_tab(text)
    if tab:
        raise LibraryError("tab used for indentation; YAML needs spaces", path, tab)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = err.problem or str(err)
        raise LibraryError(f"YAML syntax error: {what}", path, line) from None
    except yaml.YAMLError as err:
        raise LibraryError(f"YAML syntax error: {err}", path) from None
    if node is None:
        raise LibraryError("empty document, expected a YAML mapping", path, 1)
    lines = Lines()
    value = _convert(node, (), path, lines, depth=0)
    return value, lines


def _leading_tab(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            return number
    return None


def _convert(node: yaml.Node, loc: Loc, path: Path, lines: Lines, depth: int) -> Any:
    if depth > 50:
        raise LibraryError("YAML nested too deeply", path, node.start_mark.line + 1)
    lines.where[loc] = (path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path)
    if isinstance(node, yaml.SequenceNode):
        _plain_tag(node, "tag:yaml.org,2002:seq", path)
        return [_convert(n, (*loc, i), path, lines, depth + 1) for i, n in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        _plain_tag(node, "tag:yaml.org,2002:map", path)
        return _mapping(node, loc, path, lines, depth)
    raise LibraryError("unsupported YAML node", path, node.start_mark.line + 1)


def _mapping(node: yaml.MappingNode, loc: Loc, path: Path, lines: Lines, depth: int) -> Any:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise LibraryError("YAML merge keys (<<) are not supported; write keys out", path, line)
        key = _scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
        if key is None or isinstance(key, (list, dict)):
            raise LibraryError("mapping keys must be plain text or numbers", path, line)
        if key in result:
            raise LibraryError(f"duplicate key '{key}'; remove one of them", path, line)
        result[key] = _convert(value_node, (*loc, key), path, lines, depth + 1)
        lines.where[(*loc, key)] = (path, line)
    return result


def _scalar(node: yaml.ScalarNode, path: Path) -> Any:
    method = _SCALAR_TAGS.get(node.tag)
    if method is None:
        raise LibraryError(
            f"YAML tag '{node.tag}' is not allowed (only plain values are read)",
            path,
            node.start_mark.line + 1,
        )
    return getattr(_constructor, method)(node)


def _plain_tag(node: yaml.Node, expected: str, path: Path) -> None:
    if node.tag != expected:
        raise LibraryError(
            f"YAML tag '{node.tag}' is not allowed (only plain values are read)",
            path,
            node.start_mark.line + 1,
        )
