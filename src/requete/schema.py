"""JSON Schema of each YAML file kind, for editors (VS Code YAML extension)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from requete.model import KINDS
from requete.output import write_atomic

TITLES = {
    "argument": "requete argument block (arguments/*.yaml)",
    "precedent": "requete precedent or legal text (precedents/*.yaml)",
    "set": "requete argument set (sets/*.yaml)",
    "case": "requete case file (cases/**/*.yaml)",
    "matter": "requete matter file (matters/*.yaml): the fields of a case its filings share",
    "fact": "requete fact declaration (facts/*.yaml)",
    "procedure": "requete procedure (procedures/*.yaml)",
}


def schemas() -> dict[str, dict[str, Any]]:
    """Schema per kind: argument, precedent, set, case."""
    out = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = TITLES[kind]
        out[kind] = schema
    matter = json.loads(json.dumps(out["case"]))
    matter.pop("required", None)
    matter["title"] = TITLES["matter"]
    out["matter"] = matter
    return dict(sorted(out.items()))


def write_schemas(outdir: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` files into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas().items():
        path = outdir / f"{kind}.schema.json"
        text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        write_atomic(path, text.encode(), force=True)
        written.append(path)
    return written
