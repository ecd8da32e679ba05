"""A Word template's Jinja is held to the sandbox's bounds (issue 15): a loop bomb or a macro
calling itself in a shared template is refused with a message, not a hang or a traceback."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from requete.errors import RenderError
from requete.pipeline import assemble_document, open_case
from requete.render import render_docx

REPO = Path(__file__).resolve().parents[2]
BOMBS = {
    "loops": "{% for a in 'x'*1000 %}{% for b in 'x'*1000 %}{% for c in 'x'*1000 %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "size": "{{ ('a'*1000)*1000*1000 }}",
}


def _template_with(text: str) -> bytes:
    source = (REPO / "templates" / "requete.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                assert b"{{ title }}" in data
                data = data.replace(b"{{ title }}", text.encode() + b"{{ title }}", 1)
            zout.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_hostile_template_is_refused(bomb: str) -> None:
    document = assemble_document(open_case(REPO / "cases" / "emc2" / "annulation.yaml"))
    template = _template_with(BOMBS[bomb])
    started = time.monotonic()
    with pytest.raises(RenderError, match="Word template"):
        render_docx(document, template)
    assert time.monotonic() - started < 60  # a hang guard; the figures are in docs/security.md
