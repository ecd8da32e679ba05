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


PlacePart = Literal["cover", "heading", "paragraph", "conclusion", "conclusions", "signature"]
_PART_NAMES: dict[str, str] = {
    "cover": "page de garde",
    "heading": "titre",
    "conclusions": "conclusions",
    "signature": "signature",
}


@dataclass(frozen=True)
class Place:
    """Where something stands in the filing: a numbered paragraph (``number`` its printed
    number), a conclusion (its « 1° »), a heading, the cover page or the signature — data,
    never a string decoded by its prefix. ``str()`` is the place as a message names it."""

    part: PlacePart
    number: int | None = None

    def __str__(self) -> str:
        if self.part == "paragraph":
            return f"§ {self.number}"
        if self.part == "conclusion":
            return f"conclusion {self.number}°"
        return _PART_NAMES[self.part]


@dataclass(frozen=True)
class Authority:
    """An entry of the table of authorities: where it is cited."""

    id: str
    group: str
    runs: tuple[Run, ...]
    cited_at: tuple[Place, ...]
    sort_key: str

    @property
    def paragraph_numbers(self) -> list[int]:
        """The numbered paragraphs that cite it, in order."""
        return [p.number for p in self.cited_at if p.part == "paragraph" and p.number is not None]

    @property
    def places(self) -> str:
        """Where the table says it is cited: « § 12 », « §§ 12, 14, concl. 2° »."""
        numbers = [str(n) for n in self.paragraph_numbers]
        others = [f"concl. {p.number}°" for p in self.cited_at if p.part == "conclusion"]
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
    where: Place  # « page de garde », « § 27 », « conclusion 3° », « signature »
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

    def scan(runs: tuple[Run, ...], where: Place, frame_kind: str | None = None) -> None:
        before = ""
        for run in runs:
            if run.todo:
                out.append(Placeholder(_kind(run.text, before, frame_kind), where, run.text))
            before = run.text

    cover, signature = Place("cover"), Place("signature")
    for runs in document.parties:
        scan(runs, cover)
    scan(document.counsel, cover, "avocat")
    scan(document.contre, cover)
    for paragraph in document.body:
        number = paragraph.number
        scan(paragraph.runs, Place("paragraph", number) if number else Place("heading"))
    for paragraph in document.conclusions:
        number = paragraph.number
        scan(paragraph.runs, Place("conclusion", number) if number else Place("conclusions"))
    if "[à compléter" in document.place_date:
        out.append(Placeholder("lieu", signature, "[à compléter]"))
    scan(document.signature, signature, "signature")
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
