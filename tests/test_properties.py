"""Property tests: whatever the input, requete answers with a result or a RequeteError.

Profiles: ``ci`` (default, small) and ``thorough`` (opt-in:
``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties.py``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from requete.errors import RequeteError
from requete.pipeline import build_docx, check, open_case

from .conftest import BASE_FILES

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
REAL_FILES = sorted(
    p for d in ("arguments", "precedents", "sets") for p in (REPO / d).glob("*.yaml")
)
YAML_ALPHABET = st.sampled_from(list("abc:-[]{}@#!&*|>'\"\t\n %{}°é«»\\") + ["{{", "{%", "\n  "])
yaml_text = st.lists(YAML_ALPHABET, max_size=200).map("".join)


def _fresh_tree(tmp: Path) -> Path:
    root = tmp / "prop"
    if root.exists():
        shutil.rmtree(root)
    for name, text in BASE_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _run(root: Path) -> None:
    try:
        session = open_case(root / "case.yaml")
        check(session)
        if not session.has_errors:
            build_docx(session)
    except RequeteError:
        pass


@given(text=yaml_text, target=st.sampled_from(sorted(BASE_FILES)))
def test_random_yaml_never_crashes(tmp_path: Path, text: str, target: str) -> None:
    root = _fresh_tree(tmp_path)
    (root / target).write_text(text, encoding="utf-8")
    _run(root)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[Path, str]:
    source = draw(st.sampled_from(REAL_FILES or [REPO / "pyproject.toml"]))
    text = source.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, max(len(text) - 1, 0)))
        kind = draw(st.sampled_from(["delete", "insert", "duplicate-line"]))
        if kind == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            text = text[:where] + draw(yaml_text) + text[where:]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i])
                text = "".join(lines)
    return source, text


@given(mutated=mutation())
def test_mutated_real_library_files_never_crash(tmp_path: Path, mutated: tuple[Path, str]) -> None:
    source, text = mutated
    root = _fresh_tree(tmp_path)
    kind = source.parent.name
    (root / kind / source.name).write_text(text, encoding="utf-8")
    _run(root)
