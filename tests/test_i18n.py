"""French and English: every message has a translation, the catalog shipped is the one
compiled, and the CLI speaks the locale's language (docs/i18n.md)."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from requete.cli import main as cli_main
from requete.i18n import from_environment, using

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import i18n as catalog_tool  # noqa: E402  (tools/i18n.py)

EMC2 = ROOT / "cases" / "emc2" / "annulation.yaml"


@pytest.fixture(scope="module")
def french():
    return catalog_tool.load()


@pytest.fixture(scope="module")
def wanted():
    return catalog_tool.template()


def test_every_message_has_a_french_translation(french, wanted) -> None:
    missing = catalog_tool.untranslated(french, wanted)
    assert not missing, (
        f"{len(missing)} message(s) without French (run `python tools/i18n.py update`, "
        f"translate, then `compile`): {missing[:10]}"
    )


def test_the_catalog_has_no_leftover_entry(french, wanted) -> None:
    """An entry no code uses any more is removed by `update` (keeps the .po honest)."""
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in wanted if m.id}
    stale = [
        m.id for m in french if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in ids
    ]
    assert not stale, stale[:10]


def _fields(text: str) -> set[str]:
    brace = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    percent = set(re.findall(r"%\((\w+)\)", text))
    return brace | percent


def test_placeholders_are_the_english_ones(french) -> None:
    wrong = []
    for message in french:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if _fields(text) - expected or (len(ids) == 1 and _fields(text) != expected):
                wrong.append((message.id, text))
    assert not wrong, wrong[:5]


def test_the_shipped_mo_is_the_compiled_po(french) -> None:
    assert catalog_tool.MO.read_bytes() == catalog_tool.compiled(french), (
        "run `python tools/i18n.py compile`"
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:en", "LANG": "en_US.UTF-8"}, "fr"),
    ],
)
def test_language_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert from_environment(environ) == expected


def _run(args: list[str], lang: str) -> tuple[int, str]:
    """The CLI through its real entry (language chosen, help translated), stdout and
    stderr together."""
    env = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang, "COLUMNS": "100"}
    code = 0
    with CliRunner().isolation(env=env) as streams:
        try:
            with using(from_environment({k: v for k, v in env.items() if v})):
                cli_main(args)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        texts = [s.getvalue().decode() for s in streams]
    return code, texts[-1] if len(texts) == 3 else "".join(texts)


def test_help_and_usage_errors_in_french() -> None:
    code, out = _run(["--help"], "fr_FR.UTF-8")
    assert code == 0
    assert "Utilisation :" in out and "Afficher cette aide et quitter." in out
    assert "Show this message" not in out and "Usage:" not in out
    code, out = _run(["check", "--no-such-option"], "fr_FR.UTF-8")
    assert code == 2 and "Erreur" in out and "n'existe pas" in out


def test_check_in_french_and_lang_forces_english() -> None:
    code, out = _run(["check", str(EMC2)], "fr_FR.UTF-8")
    assert code == 0
    assert "0 erreur" in out and "typographie" in out, out
    code, out = _run(["--lang", "en", "check", str(EMC2)], "fr_FR.UTF-8")
    assert code == 0 and "0 errors" in out and "typography" in out
    code, out = _run(["--lang", "fr", "check", str(EMC2)], "C.UTF-8")
    assert code == 0 and "0 erreur" in out


def test_the_installed_command_speaks_french() -> None:
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "requete", "deadline", "2024-01-31"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "publication" in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "requete", "build", str(ROOT / "no-such-case.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 1 and "erreur" in bad.stderr, bad.stderr
