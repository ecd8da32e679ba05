"""Hostile YAML and values: every one is refused fast with ``path:line: error: …``, exit 1,
no traceback, no hang, bounded memory (issue 15, items 4, 5 and 9).

The property test at the end reuses the hypothesis profiles of ``test_properties``:
``ci`` (default, small) and ``HYPOTHESIS_PROFILE=thorough`` (10,000 inputs here).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from requete import pipeline, yamlfile
from requete.cli import app
from requete.yamlfile import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_YAML_BYTES

from . import test_properties as _profiles  # registers and loads the ci / thorough profiles
from .conftest import BASE_FILES

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "case": "case.yaml",
    "block": "arguments/faits-test.yaml",
    "precedent": "precedents/cjue-test.yaml",
    "set": "sets/set-test.yaml",
}


def _tree(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    for name, text in {**BASE_FILES, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if name in BASE_FILES else text, "utf-8")
    return root


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the body takes longer than ``seconds``."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return

    def expired(*_: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s: the input hangs requete")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check(*args: str) -> tuple[int, str]:
    """``requete check ARGS``: exit code and output; a traceback fails the test."""
    with deadline(20):
        result = runner.invoke(app, ["check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback: {result.exception!r}") from result.exception
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def _refused(root: Path, expected: str, *args: str) -> str:
    code, output = _check(*(args or (str(root / "case.yaml"),)))
    output = output.replace(str(root) + os.sep, "")
    assert code == 1, output
    assert expected in output, output
    return output


# --- item 4: YAML bounded ---------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["lol0: &lol0 " + "[" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_an_alias_bomb_is_refused_fast(tmp_path: Path, kind: str) -> None:
    root = _tree(tmp_path / "lib", {TARGETS[kind]: billion_laughs()})
    assert pipeline.check  # imported above: the timing is the bomb's, not the imports'
    start = time.perf_counter()
    output = _refused(root, f"{Path(TARGETS[kind]).name}:")
    assert time.perf_counter() - start < 2
    assert f"error: YAML document too large: more than {MAX_NODES:,} values once its" in output


@pytest.mark.skipif(sys.platform != "linux", reason="/proc and RLIMIT_AS")
def test_an_alias_bomb_stays_within_200_mb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(levels=12, width=10))
    probe = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from requete.errors import LibraryError
        from requete.yamlfile import load_yaml
        size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        limit = size + 200 * 2**20  # what the process uses now, plus 200 MB at most
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            load_yaml(Path({str(bomb)!r}))
        except LibraryError as err:
            print(err)
            sys.exit(0)
        sys.exit(3)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "bomb.yaml:" in done.stdout and "once its aliases" in done.stdout


def test_too_many_aliases_and_values_and_levels(tmp_path: Path) -> None:
    aliases = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    flat = "[" + "a," * (MAX_NODES + 1) + "]\n"
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    block_deep = "".join("  " * i + "-\n" for i in range(MAX_DEPTH + 2))
    for text, expected in (
        (aliases, f"faits-test.yaml:2: error: more than {MAX_ALIASES:,} YAML aliases"),
        (flat, f"faits-test.yaml:1: error: YAML document too large: more than {MAX_NODES:,}"),
        (deep, "faits-test.yaml:1: error: YAML nested too deeply"),
        (block_deep, f"faits-test.yaml:{MAX_DEPTH + 1}: error: YAML nested too deeply"),
    ):
        root = _tree(tmp_path / "lib", {TARGETS["block"]: text})
        start = time.perf_counter()
        _refused(root, expected)
        assert time.perf_counter() - start < 5  # a flat file is parsed up to the limit


def test_an_alias_inside_its_own_value(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {TARGETS["set"]: "id: set-test\nblocks: &b [faits-test, *b]\n"})
    _refused(root, "set-test.yaml:2: error: YAML alias inside the value it names (a cycle)")


def test_an_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {"case.yaml": "a: " + "x" * MAX_YAML_BYTES + "\n"})
    _refused(root, "case.yaml: error: file is larger than 2 MB")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_never_hangs(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib")
    os.mkfifo(root / "arguments" / "fifo.yaml")
    expected = "fifo.yaml: error: not a regular file (a FIFO, device or socket)"
    _refused(root, expected, "--library", str(root))  # every file of the library is read
    os.mkfifo(tmp_path / "case-fifo.yaml")
    _refused(
        tmp_path, "case-fifo.yaml: error: not a regular file", str(tmp_path / "case-fifo.yaml")
    )
    (root / "arguments" / "faits-test.yaml").unlink()
    os.mkfifo(root / "arguments" / "faits-test.yaml")  # a block the case uses, read on demand
    _refused(root, "faits-test.yaml: error: not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="/dev/zero")
def test_dev_zero_never_hangs(tmp_path: Path) -> None:
    _refused(tmp_path, "/dev/zero: error: not a regular file", "/dev/zero")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    _refused(tmp_path, "zero.yaml: error: not a regular file", str(tmp_path / "zero.yaml"))


def test_a_directory_named_yaml(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib")
    (root / "arguments" / "x.yaml").mkdir()
    _refused(root, "x.yaml: error: is a directory, expected a YAML file", "--library", str(root))
    (root / "dir.yaml").mkdir()
    _refused(root, "dir.yaml: error: is a directory", str(root / "dir.yaml"))


def test_an_unreadable_yaml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "lib")
    real_open = os.open

    def denied(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == "moyen-test.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(yamlfile.os, "open", denied)  # as root, chmod 000 would not stop us
    _refused(root, "moyen-test.yaml: error: cannot read file: permission denied")


def test_an_unlistable_library_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from requete import catalog

    root = _tree(tmp_path / "lib")
    real_scandir = os.scandir

    def denied(path: Any) -> Any:
        if Path(path).name == "precedents" and Path(path).parent == root:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(catalog.os, "scandir", denied)
    _refused(
        root, "precedents: error: cannot list the directory: permission denied", "-L", str(root)
    )


def test_the_limits_leave_a_wide_margin_over_the_real_library() -> None:
    """Every real file stays far below each limit (the largest: about 60 KB, 355 values)."""
    files = [
        p
        for p in REPO.rglob("*.y*ml")
        if not any(part.startswith(".") for part in p.relative_to(REPO).parts)
    ]
    assert files
    for path in files:
        text = path.read_text("utf-8")
        composer = yamlfile._Composer(text, path)
        try:
            composer.document()
        finally:
            composer.loader.dispose()
        assert len(text.encode()) * 10 < MAX_YAML_BYTES, path
        assert composer.nodes * 100 < MAX_NODES, path
        assert composer.deepest * 5 < MAX_DEPTH and composer.aliases * 100 <= MAX_ALIASES, path


def _expected_lines(node: Any, loc: tuple[Any, ...], where: dict[Any, int]) -> None:
    """The line of every value as PyYAML's own composer places it (a key's line for a
    mapping entry, an item's own line in a sequence)."""
    where[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _expected_lines(item, (*loc, i), where)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = yaml.SafeLoader("").construct_object(key)
            _expected_lines(value, (*loc, name), where)
            where[(*loc, name)] = key.start_mark.line + 1


ALIASED = """\
defaults: &d
  court: CE
  points: {185: a, 186: [b, c]}
one: *d
list: [&x 3, *x, *d]
"""


def test_values_and_lines_are_pyyaml_s_own(tmp_path: Path) -> None:
    """The one-pass reader gives the values of yaml.safe_load and the lines of its nodes, on
    every YAML file of the repository and on a file with anchors and aliases."""
    aliased = tmp_path / "aliased.yaml"
    aliased.write_text(ALIASED, encoding="utf-8")
    files = [
        p
        for p in REPO.rglob("*.y*ml")
        if not any(part.startswith(".") for part in p.relative_to(REPO).parts)
    ]
    for path in [*files, aliased]:
        text = path.read_text("utf-8")
        value, lines = yamlfile.load_yaml(path)
        assert value == yaml.safe_load(text), path
        expected: dict[Any, int] = {}
        _expected_lines(yaml.compose(text, Loader=yaml.SafeLoader), (), expected)
        assert {loc: line for loc, (_, line) in lines.where.items()} == expected, path


# --- item 5: every value error is a path:line message -------------------------------------


VALUES = [
    (
        "date: 2024-03-29",
        "date: 2024-02-30",
        "case.yaml:3: error: '2024-02-30' is not a valid date",
    ),
    (
        "date: 2024-03-29",
        "date: 2024-13-01",
        "case.yaml:3: error: '2024-13-01' is not a valid date",
    ),
    ("date: 2024-03-29", "date: 2024-01-01 25:00:00", "case.yaml:3: error: '2024-01-01 25:00:00'"),
    (
        "date: 2024-03-29",
        "date: 0000-01-01",
        "case.yaml:3: error: '0000-01-01' is not a valid date",
    ),
    (
        "frais: 5000",
        "frais: " + "9" * 5000,
        "case.yaml:7: error: integer of 5,000 digits is too long",
    ),
    ("frais: 5000", "frais: 0x_", "case.yaml:7: error: '0x_' is not a valid integer"),
    ("frais: 5000", "frais: 0b_", "case.yaml:7: error: '0b_' is not a valid integer"),
    ("frais: 5000", "frais: -0x_", "case.yaml:7: error: '-0x_' is not a valid integer"),
    (
        "publication: 2024-01-31",
        "publication: 9999-12-31",
        "case.yaml:20: error: acte.publication: 9999-12-31: year 9999 is out of range",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), VALUES)
def test_a_bad_value_is_a_message(tmp_path: Path, old: str, new: str, expected: str) -> None:
    case = textwrap.dedent(BASE_FILES["case.yaml"])
    assert old in case
    root = _tree(tmp_path / "lib", {"case.yaml": case.replace(old, new)})
    _refused(root, expected)
    with deadline(30):
        result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(root / "o.docx")])
    assert result.exit_code == 1 and not isinstance(result.exception, ValueError), result.output
    assert not (root / "o.docx").exists()


def test_a_bad_value_in_a_block_and_a_precedent(tmp_path: Path) -> None:
    block = textwrap.dedent(BASE_FILES["arguments/moyen-test.yaml"]).replace(
        "version: 2", "version: 0x_"
    )
    root = _tree(tmp_path / "lib", {"arguments/moyen-test.yaml": block})
    _refused(root, "moyen-test.yaml:4: error: '0x_' is not a valid integer")
    precedent = textwrap.dedent(BASE_FILES["precedents/cjue-test.yaml"]).replace(
        "date: 2020-07-16", "date: 2020-02-31"
    )
    root = _tree(tmp_path / "lib2", {"precedents/cjue-test.yaml": precedent})
    _refused(root, "cjue-test.yaml:5: error: '2020-02-31' is not a valid date")


# --- item 9: long names, long titles, unreadable pièces ------------------------------------

LONG = "x" * 300


def _case_with(old: str, new: str) -> str:
    case = textwrap.dedent(BASE_FILES["case.yaml"])
    assert old in case
    return case.replace(old, new)


NAMES = [
    (
        "matter: " + LONG + "\n" + textwrap.dedent(BASE_FILES["case.yaml"]),
        "case.yaml:1: error: field 'matter': name too long (300 characters, at most 120)",
    ),
    (
        "matter: " + LONG + ".yaml\n" + textwrap.dedent(BASE_FILES["case.yaml"]),
        "case.yaml:1: error: matter file 'xxx",
    ),
    (
        "library: [" + LONG + "]\n" + textwrap.dedent(BASE_FILES["case.yaml"]),
        "case.yaml:1: error: field 'library': name too long (300 characters",
    ),
    (
        _case_with("label: Étude d'hébergement,", "label: Étude, file: " + LONG + ".pdf,"),
        "case.yaml:24: error: pieces.1.file: name too long (304 characters",
    ),
    (
        _case_with("title: REQUÊTE INTRODUCTIVE D'INSTANCE", "title: " + "T" * 300),
        "case.yaml:2: error: title: too long (300 characters, at most 255",
    ),
    (
        _case_with("set: set-test", "set: " + LONG),
        "case.yaml:5: error: field 'set': String should have at most 120 characters",
    ),
]


@pytest.mark.parametrize(("case", "expected"), NAMES)
def test_a_long_name_is_a_message(tmp_path: Path, case: str, expected: str) -> None:
    root = _tree(tmp_path / "lib", {"case.yaml": case})
    _refused(root, expected)
    if "matter file" in expected:
        _refused(root, "name too long (305 characters; a file name has at most 255 bytes)")
    with deadline(30):
        result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(root / "o.docx")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_a_long_citation_is_an_unknown_precedent(tmp_path: Path) -> None:
    block = textwrap.dedent(BASE_FILES["arguments/faits-test.yaml"]) + f"  Voir [@{LONG}].\n"
    root = _tree(tmp_path / "lib", {"arguments/faits-test.yaml": block})
    _refused(root, "faits-test.yaml:6: error: unknown precedent")


def test_show_a_long_name() -> None:
    with deadline(20):
        result = runner.invoke(app, ["show", LONG])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error: name too long (300 characters, at most 120)" in result.output


def test_an_unreadable_piece_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case_with("label: Étude d'hébergement,", "label: Étude, file: etude.pdf,")
    case = case.replace("{key: acte, label:", "{key: acte, file: acte.pdf, label:")
    root = _tree(
        tmp_path / "lib", {"case.yaml": case, "etude.pdf": b"%PDF-1.4\n", "acte.pdf": b"%PDF-1.4\n"}
    )
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "etude.pdf":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with deadline(60):
        result = runner.invoke(
            app, ["bundle", str(root / "case.yaml"), "-o", str(tmp_path / "out"), "--draft"]
        )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "case.yaml:24: error:" in result.output and "etude.pdf" in result.output


# --- property: hostile YAML never gives a traceback or a hang -----------------------------

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ_EXAMPLES = 10_000 if PROFILE == "thorough" else settings.default.max_examples
assert _profiles  # the profiles above are those of test_properties

ODD_SCALARS = [
    "0x_",
    "-0x_",
    "0b_",
    "0o_",
    "0_",
    "._",
    "-._",
    "1_:_",
    "1:60",
    "190:20:30",
    ".inf",
    ".nan",
    "-.inf",
    "1e99999",
    "0e",
    "2024-02-30",
    "2024-02-29",
    "2023-02-29",
    "0000-01-01",
    "9999-12-31",
    "2024-01-01T25:00:00",
    "2024-01-01 23:59:60",
    "2024-1-1",
    "2024-01-01t0:0:0Z",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "=",
    "<<",
    "!!binary aGk=",
    "!!set {a}",
    "!!omap [a: 1]",
    "!!python/name:os.system",
    "&a",
    "*a",
    "*",
    "&",
    "|",
    ">",
    "@x",
    "`x`",
    '"\\x00"',
    '"\\u0001"',
    '"\\uFFFE"',
    '"\\U0010FFFF"',
    '"\\ud800"',
    '"\\e\\a\\b"',
    "'\u202e'",
    "'\ufeff'",
    "9" * 5000,
    "-" + "1" * 200,
    "1" * 100,
    "0." + "0" * 400 + "1",
]


@st.composite
def odd_scalar(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.sampled_from(ODD_SCALARS))
    if kind == 1:  # dates that look right and are not
        y, m, d = draw(st.integers(0, 99999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
        return f"{y:04d}-{m:02d}-{d:02d}"
    if kind == 2:  # numbers in every YAML 1.1 spelling
        prefix = draw(st.sampled_from(["", "-", "+", "0x", "0b", "0o", "0", "."]))
        return prefix + draw(st.text("0123456789abcdefABCDEF_:.eE+-", max_size=30))
    return draw(st.text(max_size=30)).replace("\n", " ")


def alias_bomb(levels: int, width: int) -> str:
    return billion_laughs(levels, width)


@st.composite
def hostile_yaml(draw: st.DrawFn) -> str | bytes:
    kind = draw(st.sampled_from(["bytes", "deep", "block-deep", "bomb", "scalars", "keys", "dump"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        n = draw(st.integers(0, 3 * MAX_DEPTH))
        opener = draw(st.sampled_from(["[", "{a: ", "- ["]))
        closer = {"[": "]", "{a: ": "}", "- [": "]"}[opener]
        return opener * n + draw(odd_scalar()) + closer * n
    if kind == "block-deep":
        n = draw(st.integers(0, 2 * MAX_DEPTH))
        return "".join("  " * i + "k:\n" for i in range(n)) + "  " * n + "v\n"
    if kind == "bomb":
        return alias_bomb(draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    if kind == "scalars":  # the real file with one field replaced by an odd value
        base = textwrap.dedent(draw(st.sampled_from(sorted(BASE_FILES.values()))))
        lines = base.splitlines()
        i = draw(st.integers(0, len(lines) - 1))
        key = lines[i].split(":", 1)[0] if ":" in lines[i] else "x"
        lines[i] = f"{key}: {draw(odd_scalar())}"
        return "\n".join(lines) + "\n"
    if kind == "keys":  # random unicode keys and odd values
        pairs = draw(
            st.lists(st.tuples(st.text(min_size=1, max_size=20), odd_scalar()), max_size=8)
        )
        return "".join(
            f"{yaml.safe_dump(k).strip().removesuffix('...').strip()}: {v}\n" for k, v in pairs
        )
    value = draw(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats()
            | st.text(max_size=20)
            | st.dates(),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=10), inner, max_size=4)
            ),
            max_leaves=20,
        )
    )
    return yaml.safe_dump(value, allow_unicode=draw(st.booleans()))


@settings(max_examples=FUZZ_EXAMPLES)
@given(text=hostile_yaml(), target=st.sampled_from(sorted({*TARGETS.values(), "facts/frais.yaml"})))
def test_hostile_yaml_never_crashes_nor_hangs(
    tmp_path: Path, text: str | bytes, target: str
) -> None:
    root = tmp_path / "fuzz"
    if root.exists():
        shutil.rmtree(root)
    root = _tree(root, {target: text})
    start = time.perf_counter()
    code, output = _check(str(root / "case.yaml"))
    assert code in (0, 1), output
    assert time.perf_counter() - start < 10
