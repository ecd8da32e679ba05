"""Run with the system python (it imports LibreOffice's ``uno``), not with the venv.

    /usr/bin/python3 lo_fields.py OUT.json IN.docx [IN2.docx ...]

Starts one headless LibreOffice, opens each .docx, updates every field (text fields refreshed,
indexes updated), and writes OUT.json: for each file, its paragraphs as LibreOffice shows them
— style, list label (the number Word or LibreOffice prints) and text (field results included) —
before and after the update. With ``--save`` it also saves each updated file as IN.lo.docx.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _paragraphs(doc: object) -> list[dict[str, str]]:
    out = []
    enum = doc.getText().createEnumeration()  # type: ignore[attr-defined]
    while enum.hasMoreElements():
        par = enum.nextElement()
        if not par.supportsService("com.sun.star.text.Paragraph"):
            continue
        label = ""
        with contextlib.suppress(Exception):
            label = par.getPropertyValue("ListLabelString") or ""
        out.append(
            {
                "style": par.getPropertyValue("ParaStyleName"),
                "label": label,
                "outline": par.getPropertyValue("OutlineLevel"),
                "text": par.getString(),
            }
        )
    return out


def main(argv: list[str]) -> int:
    save = "--save" in argv
    argv = [a for a in argv if a != "--save"]
    out, inputs = Path(argv[0]), [Path(a).resolve() for a in argv[1:]]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed"
    profile = tempfile.mkdtemp(prefix="lo-fields-")
    pipe = f"requete{os.getpid()}"
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.1)
        assert ctx is not None, "could not connect to LibreOffice"
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        result = {}
        for path in inputs:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(path)), "_blank", 0, (_prop("Hidden", True),)
            )
            before = _paragraphs(doc)
            doc.getTextFields().refresh()
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
            after = _paragraphs(doc)
            if save:
                target = path.with_suffix(".lo.docx")
                doc.storeToURL(
                    uno.systemPathToFileUrl(str(target)),
                    (_prop("FilterName", "MS Word 2007 XML"),),
                )
            doc.close(True)
            result[str(path)] = {"before": before, "after": after}
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()  # type: ignore[possibly-undefined]
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
