"""Typed content model: argument blocks, precedents, argument sets, cases, with their origin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

from requete.yamlfile import Lines

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)]
Section = Literal[
    "faits",
    "recevabilite",
    "legalite-externe",
    "legalite-interne",
    "renvoi-prejudiciel",
    "urgence",
    "doute-serieux",
    "conclusions",
]
Procedure = Literal["annulation", "refere-suspension"]
Confidence = Literal["confirmed", "confirmed-secondary", "believed", "unverified"]

SECTIONS: tuple[str, ...] = Section.__args__  # type: ignore[attr-defined]
PROCEDURES: tuple[str, ...] = Procedure.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Origin:
    """Where a loaded node came from: library layer, file, line, and per-field lines."""

    path: Path
    line: int = 1
    layer: str = "case"
    lines: Lines = field(default_factory=Lines, compare=False, repr=False)

    def line_of(self, *loc: str | int) -> int:
        """Line of a field (or of the file start when unknown)."""
        return self.lines.line(loc) or self.line

    def path_of(self, *loc: str | int) -> Path:
        """File that defines a field (a case field may come from its matter file)."""
        return self.lines.locate(loc)[0] or self.path


class Model(BaseModel):
    """Base of every YAML-backed model: frozen, unknown keys refused, origin attached."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin:
        """The file and line this node was loaded from."""
        return self._origin or Origin(Path("<memory>"))

    def located(self, origin: Origin) -> Any:
        """Attach the origin; returns self for chaining."""
        self._origin = origin
        return self


class Block(Model):
    """One reusable argument block (a moyen, a fact, a conclusion…)."""

    id: Id
    title: str = Field(min_length=1)
    section: Section
    version: int = Field(default=1, ge=1)
    requires: list[Id] = []
    conflicts: list[Id] = []
    params: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] = []
    procedures: list[Procedure] | None = None
    heading: bool = True
    body: str = Field(min_length=1)
    notes: str | None = None
    tags: list[str] = []


class Precedent(Model):
    """A decision or a legal text, citable as ``[@id]``."""

    id: Id
    type: Literal["decision", "text"] = "decision"
    court: str | None = None
    formation: str | None = None
    date: dt.date | None = None
    number: str | None = None
    ecli: str | None = None
    name: str | None = None
    short: str | None = None
    citation: str | None = None
    group: str | None = None
    instrument: str | None = None
    holding: str | None = None
    points: dict[str, str] = {}
    url: str | None = None
    lebon: bool | None = None
    status: str | None = None
    confidence: Confidence
    believed: list[str] = []
    unverified: list[str] = []
    source: str | None = None
    notes: str | None = None

    @field_validator("points", mode="before")
    @classmethod
    def _points_keys_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    @field_validator("number", "ecli", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Placement(Model):
    """Where an added or moved block goes: after/before a block, or at a section's end."""

    after: Id | None = None
    before: Id | None = None
    at_end_of: Section | None = None


class AddOp(Placement):
    """Add a block to the set."""

    block: Id


class MoveOp(Placement):
    """Move a block of the set."""

    block: Id


class ReplaceOp(Model):
    """Replace a block wholesale by another block of the library."""

    block: Id
    with_: Id = Field(alias="with")
    base_version: int | None = None


class OverrideOp(Model):
    """Override some fields of a block, keeping the others (and later fixes to them)."""

    block: Id
    base_version: int | None = None
    title: str | None = None
    body: str | None = None
    notes: str | None = None
    params: list[str] | None = None


class SetOps(Model):
    """Overlay operations, applied in this order: remove, replace, override, add, move."""

    remove: list[Id] = []
    replace: list[ReplaceOp] = []
    override: list[OverrideOp] = []
    add: list[AddOp] = []
    move: list[MoveOp] = []


class ArgumentSet(SetOps):
    """An ordered list of blocks, or an overlay of another set."""

    id: Id
    name: str
    description: str | None = None
    extends: Id | None = None
    blocks: list[Id] | None = None


class Party(Model):
    """An applicant (requérante): a legal person or an individual."""

    nom: str = Field(min_length=1)
    personne: Literal["morale", "physique"] = "morale"
    forme: str | None = None
    siege: str | None = None
    representant: str | None = None


class Counsel(Model):
    """Counsel (avocat) signing the filing."""

    nom: str | None = None
    qualite: str | None = None
    adresse: str | None = None
    barreau: str | None = None
    email: str | None = None


class Act(Model):
    """The contested act (acte attaqué)."""

    titre: str = Field(min_length=1)
    short: str = "la décision attaquée"
    auteur: str | None = None
    date: dt.date
    publication: dt.date | None = None
    notification: dt.date | None = None
    piece: Id


class Piece(Model):
    """One pièce of the matter's catalogue."""

    key: Id
    label: str = Field(min_length=1)
    file: str | None = None
    date: dt.date | None = None


class Case(SetOps):
    """One filing of a matter: procedure, parties, act, argument set, variables, pièces."""

    matter: str | None = None
    procedure: Procedure
    title: str
    mention: str | None = None
    date: dt.date
    place: str | None = None
    set: Id | None = None
    blocks: list[Id] | None = None
    template: str = "requete"
    library: list[str] = []
    variables: dict[str, Any] = {}
    requerantes: list[Party] = Field(min_length=1)
    avocat: Counsel | None = None
    defendeur: str | None = None
    acte: Act
    pieces: list[Piece] = []
    inventaire: list[Id] | None = None
    author: str | None = None


KINDS: dict[str, type[Model]] = {
    "argument": Block,
    "precedent": Precedent,
    "set": ArgumentSet,
    "case": Case,
}
