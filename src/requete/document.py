"""The assembled filing, independent of Word: paragraphs of runs, authorities, pièces."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from requete.manifest import Manifest

Kind = Literal["h1", "h2", "h3", "h4", "para", "quote", "list", "conclusion"]


@dataclass(frozen=True)
class Run:
    """Text with its character formatting; ``todo`` marks what the lawyer must complete.

    ``piece`` is set on the digits of a reference to the inventaire (« pièce n° 3 »: the run
    « 3 »), which the .docx shows as a field pointing at that line of the inventaire."""

    text: str
    italic: bool = False
    bold: bool = False
    todo: bool = False
    piece: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``number`` is its printed number (numbered paragraphs, conclusions).

    ``label`` is the printed number of a heading or of a numbered list item (« I. — », « A. — »,
    « 1. », « 1) »): the .docx prints it through Word list numbering, not as typed text, so
    it is not in ``runs``; ``text`` shows it, as a reader sees it."""

    kind: Kind
    runs: tuple[Run, ...]
    number: int | None = None
    block: str | None = None
    label: str | None = None

    @property
    def text(self) -> str:
        """Plain text of the paragraph, its label included."""
        body = "".join(r.text for r in self.runs)
        return f"{self.label} {body}" if self.label else body


@dataclass(frozen=True)
class Authority:
    """An entry of the table of authorities: where it is cited."""

    id: str
    group: str
    runs: tuple[Run, ...]
    paragraphs: tuple[str, ...]
    sort_key: str

    @property
    def places(self) -> str:
        """Where the table says it is cited: « § 12 », « §§ 12, 14, concl. 2° »."""
        numbers = [p for p in self.paragraphs if not p.startswith("concl.")]
        others = [p for p in self.paragraphs if p.startswith("concl.")]
        parts = []
        if numbers:
            parts.append(("§\u00a0" if len(numbers) == 1 else "§§\u00a0") + ", ".join(numbers))
        parts.extend(others)
        return ", ".join(parts)


@dataclass(frozen=True)
class InventoryItem:
    """One line of the inventaire des pièces."""

    number: int
    key: str
    label: str
    file: str | None
    referenced: bool


@dataclass(frozen=True)
class Comment:
    """What counsel must still check in a block: its notes and its authorities' caveats,
    anchored in Word on the block's first paragraph."""

    block: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Placeholder:
    """One « [à compléter] » left in the filing: what is missing and where."""

    kind: str  # siège, domicile, avocat, signature, lieu, montant, texte
    where: str  # « page de garde », « § 27 », « conclusion 3° », « signature »
    text: str

    def __str__(self) -> str:
        return f"{self.kind} ({self.where}): {self.text}"


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
    manifest: Manifest | None = None
    warnings: list[Any] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


_KINDS = {"montant": "montant", "somme": "montant", "prénom": "identité", "nom": "identité"}


def placeholders(document: Document) -> list[Placeholder]:
    """Every « [à compléter] » of the filing (frame and text), with its kind and place; the
    inventaire's « (à produire) » are pièces, not placeholders (`bundle --allow-missing`)."""
    out: list[Placeholder] = []

    def scan(runs: tuple[Run, ...], where: str, frame_kind: str | None = None) -> None:
        before = ""
        for run in runs:
            if run.todo:
                out.append(Placeholder(_kind(run.text, before, frame_kind), where, run.text))
            before = run.text

    for runs in document.parties:
        scan(runs, "page de garde")
    scan(document.counsel, "page de garde", "avocat")
    scan(document.contre, "page de garde")
    for paragraph in document.body:
        where = f"§ {paragraph.number}" if paragraph.number else "titre"
        scan(paragraph.runs, where)
    for paragraph in document.conclusions:
        scan(
            paragraph.runs, f"conclusion {paragraph.number}°" if paragraph.number else "conclusions"
        )
    if "[à compléter" in document.place_date:
        out.append(Placeholder("lieu", "signature", "[à compléter]"))
    scan(document.signature, "signature", "signature")
    return out


def count_by_kind(found: list[Placeholder]) -> str:
    """« texte 13, siège 8, identité 6 »: the kinds left, most frequent first."""
    return ", ".join(f"{kind} {n}" for kind, n in Counter(p.kind for p in found).most_common())


def _kind(text: str, before: str, frame_kind: str | None) -> str:
    if frame_kind:
        return frame_kind
    if before.rstrip().endswith("siège est"):
        return "siège"
    if before.rstrip().endswith("demeurant"):
        return "domicile"
    detail = text.removeprefix("[à compléter").lstrip(" :\u00a0").lower()
    for word, kind in _KINDS.items():
        if detail.startswith(word):
            return kind
    return "texte"
