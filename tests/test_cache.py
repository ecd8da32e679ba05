"""The on-disk cache (requete.cache): same results warm and cold, a changed file is read again,
and nothing it did not write itself is ever loaded."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from requete import cache, sandbox
from requete.cache import DATABASE, KEY_FILE

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of the test's own, and a process state that starts from nothing."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("REQUETE_CACHE_DIR", str(folder))
    monkeypatch.delenv("REQUETE_CACHE", raising=False)
    cache.reset()
    yield folder
    cache.reset()


def _requete(*args: str, cache_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "REQUETE_CACHE_DIR": str(cache_dir), "NO_COLOR": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "requete", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        check=False,
    )


def test_a_stored_value_comes_back_and_only_for_its_own_key(fresh: Path) -> None:
    cache.put("model", {"id": "x", "lines": [1, 2]}, "Block", "case", "/a.yaml", b"digest")
    cache.flush()
    cache.reset()
    assert cache.get("model", "Block", "case", "/a.yaml", b"digest") == {
        "id": "x",
        "lines": [1, 2],
    }
    assert cache.get("model", "Block", "case", "/a.yaml", b"other digest") is None
    assert cache.get("jinja", "Block", "case", "/a.yaml", b"digest") is None
    assert cache.stats().hits == 1 and cache.stats().misses == 2
    info = os.stat(fresh)
    assert info.st_mode & 0o777 == 0o700
    assert os.stat(fresh / KEY_FILE).st_mode & 0o777 == 0o600
    assert os.stat(fresh / DATABASE).st_mode & 0o777 == 0o600


def test_a_tampered_entry_is_never_unpickled_and_is_removed(fresh: Path) -> None:
    cache.put("model", "genuine", "part")
    cache.flush()
    cache.reset()
    with sqlite3.connect(fresh / DATABASE) as db:
        # what an attacker would plant: a pickle that runs code when loaded
        db.execute("UPDATE entry SET payload = ?", (b"cos\nsystem\n(S'touch pwned'\ntR.",))
    assert cache.get("model", "part") is None
    assert cache.stats().rejected == 1
    assert not (fresh / "pwned").exists() and not Path("pwned").exists()
    cache.flush()
    with sqlite3.connect(fresh / DATABASE) as db:
        assert db.execute("SELECT COUNT(*) FROM entry").fetchone() == (0,)


def test_entries_signed_with_another_key_are_refused(fresh: Path) -> None:
    cache.put("jinja", ("analysis",), "text")
    cache.flush()
    cache.reset()
    (fresh / KEY_FILE).write_bytes(os.urandom(32))  # a cache copied from another account
    assert cache.get("jinja", "text") is None
    assert cache.stats().rejected == 1


def test_a_directory_others_can_write_turns_the_cache_off(fresh: Path) -> None:
    fresh.mkdir(mode=0o700)
    fresh.chmod(0o777)
    cache.put("model", "value", "part")
    assert cache.get("model", "part") is None
    assert "writable by the group or others" in cache.stats().off
    assert not (fresh / DATABASE).exists()


def test_turned_off_or_impossible_the_command_gives_the_same_result(tmp_path: Path) -> None:
    case = "cases/emc2/annulation.yaml"
    reference = _requete("check", case, cache_dir=tmp_path / "on")
    assert reference.returncode == 0, reference.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    for run in (
        _requete("check", case, cache_dir=tmp_path / "off", REQUETE_CACHE="off"),
        _requete("check", case, cache_dir=blocked / "sub"),
    ):
        assert (run.returncode, run.stdout, run.stderr) == (
            reference.returncode,
            reference.stdout,
            reference.stderr,
        )
    assert not (tmp_path / "off").exists()


def test_warm_and_cold_runs_report_the_same_and_an_edit_is_seen(tmp_path: Path, write_tree) -> None:
    root = write_tree()
    folder = tmp_path / "shared-cache"
    cold = _requete("check", str(root / "case.yaml"), cache_dir=folder)
    warm = _requete("check", str(root / "case.yaml"), cache_dir=folder)
    assert cold.returncode == warm.returncode == 0, cold.stderr
    assert (cold.stdout, cold.stderr) == (warm.stdout, warm.stderr)
    info = _requete("cache", cache_dir=folder)
    assert "state: on" in info.stdout and " 0 entries" not in info.stdout
    # the same file, edited: the cached model of its old bytes must not be used
    block = root / "arguments" / "moyen-test.yaml"
    block.write_text(block.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    edited = _requete("check", str(root / "case.yaml"), cache_dir=folder)
    assert edited.returncode == 1
    assert "moyen-test.yaml:" in edited.stderr and "colour" in edited.stderr
    cleared = _requete("cache", "clear", cache_dir=folder)
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed ")
    assert " 0 entries" in _requete("cache", cache_dir=folder).stdout


def test_a_cached_analysis_is_the_analysis(fresh: Path) -> None:
    source = "{% if acte %}{{ acte.titre | upper }}{% endif %} {{ frais }} {% set x = 1 %}{{ x }}"
    computed = sandbox._analyse(source)
    sandbox._analysis.cache_clear()
    sandbox._compile.cache_clear()
    assert sandbox._analysis(source) == computed  # computed, then stored
    cache.flush()
    cache.reset()
    sandbox._analysis.cache_clear()
    sandbox._compile.cache_clear()
    assert sandbox._analysis(source) == computed  # read back
    assert cache.stats().hits == 1
    assert sandbox.variables_used(source) == {"acte", "frais"}
    context = {"acte": {"titre": "la délibération"}, "frais": 5000}
    assert sandbox.render_body(source, context, None, 1, "b") == "LA DÉLIBÉRATION 5000 1"
    broken = "{% if %}"
    assert sandbox.syntax_error(broken) == sandbox._analyse(broken).error is not None


def test_a_word_template_compiles_once_across_runs(fresh: Path) -> None:
    xml = "<w:t>{{ title }}</w:t>{% for p in paragraphs %}<w:p>{{ p }}</w:p>{% endfor %}"
    first = sandbox.template_environment().from_string(xml)
    cache.flush()
    cache.reset()
    second = sandbox.template_environment().from_string(xml)
    assert cache.stats().hits == 1
    context = {"title": "A & B", "paragraphs": ["un", "deux"]}
    assert (
        first.render(context)
        == second.render(context)
        == ("<w:t>A &amp; B</w:t><w:p>un</w:p><w:p>deux</w:p>")
    )
