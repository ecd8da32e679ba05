"""The assembled filing, independent of Word: paragraphs of runs, authorities, pièces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["h1", "h2", "h3", "h4", "para", "quote", "list", "conclusion"]


@dataclass(frozen=True)
class Run:
    """Text with its character formatting; ``todo`` marks what the lawyer must complete."""

    text: str
    italic: bool = False
    bold: bool = False
    todo: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``number`` is its printed number (numbered paragraphs, conclusions)."""

    kind: Kind
    runs: tuple[Run, ...]
    number: int | None = None
    block: str | None = None

    @property
    def text(self) -> str:
        """Plain text of the paragraph."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Authority:
    """An entry of the table of authorities: where it is cited."""

    id: str
    group: str
    runs: tuple[Run, ...]
    paragraphs: tuple[str, ...]
    sort_key: str


@dataclass(frozen=True)
class InventoryItem:
    """One line of the inventaire des pièces."""

    number: int
    key: str
    label: str
    file: str | None
    referenced: bool


@dataclass
class Document:
    """Everything the Word template needs, plus the facts the manifest records."""

    title: str
    mention: str | None
    parties: list[tuple[Run, ...]]
    counsel: tuple[Run, ...]
    contre: tuple[Run, ...]
    body: list[Paragraph]
    conclusions_intro: str
    conclusions: list[Paragraph]
    place_date: str
    signature: tuple[Run, ...]
    authorities: list[Authority]
    pieces: list[InventoryItem]
    cited: list[str]
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    docket: str | None = None
    subtitles: list[str] = field(default_factory=list)
    soutien: tuple[Run, ...] | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    warnings: list[Any] = field(default_factory=list)
