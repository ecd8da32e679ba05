"""Small in-memory factories: a Document, its paragraphs and runs, without a library on disk.

A test that only needs the shape of an assembled filing builds it here instead of copying the
example tree and running the pipeline."""

from __future__ import annotations

from typing import Any

from requete.document import Document, Paragraph, Run


def runs(*parts: str | int) -> tuple[Run, ...]:
    """Runs from parts: a string is text, an int a pièce number as the markup makes it."""
    return tuple(Run(str(p), piece=p) if isinstance(p, int) else Run(p) for p in parts)


def para(*parts: str | int, number: int | None = None, block: str | None = "b") -> Paragraph:
    return Paragraph("para", runs(*parts), number=number, block=block)


def document(*body: Paragraph, **fields: Any) -> Document:
    """A filing with ``body`` (numbered 1, 2, … when not numbered) and empty frame fields."""
    numbered = [
        p if p.number is not None else Paragraph(p.kind, p.runs, i, p.block, p.label)
        for i, p in enumerate(body, start=1)
    ]
    values: dict[str, Any] = {
        "title": "REQUÊTE",
        "mention": None,
        "parties": [],
        "counsel": (),
        "contre": runs("CONTRE : la CNIL"),
        "body": numbered,
        "conclusions_intro": "",
        "conclusions": [],
        "place_date": "Fait à Paris, le 5 mars 2024",
        "signature": (),
        "authorities": [],
        "pieces": [],
        "cited": [],
    }
    values.update(fields)
    return Document(**values)
