"""Typed content model: argument blocks, precedents, argument sets, cases, with their origin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from requete.i18n import _
from requete.yamlfile import Lines

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)]
Section = Id  # declared by the procedures of the library (procedures/*.yaml)
Procedure = Id  # a procedure of the library (procedures/*.yaml)
FactName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Genre = Literal["f", "m"]
# A docket or act number written unquoted in YAML (492368) is read as an integer: keep text.
Number = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
ScalarType = Literal["text", "name", "integer", "number", "date", "boolean", "choice", "piece"]
FactType = Literal[
    "text", "name", "integer", "number", "date", "boolean", "choice", "piece", "list", "record"
]
Confidence = Literal["confirmed", "confirmed-secondary", "believed", "unverified"]
FIRST_YEAR, LAST_YEAR = 1000, 2999  # a later year overflows date arithmetic (deadlines)
MAX_TITLE = 255  # Word's limit for the title property of a document
MAX_NAME_BYTES = 255  # a file name (one path component) on every common file system
MAX_PATH_CHARS = 1024


def _plausible_year(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            _("{date}: year {year} is out of range ({first}–{last}); check the date").format(
                date=value.isoformat(), year=value.year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return value


Date = Annotated[dt.date, AfterValidator(_plausible_year)]


def file_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a file (NUL, a part over 255 bytes, too long), or None."""
    if "\x00" in name:
        return _("a file name cannot contain a NUL character")
    if len(name) > MAX_PATH_CHARS:
        return _("name too long ({count} characters, at most {limit})").format(
            count=f"{len(name):,}", limit=f"{MAX_PATH_CHARS:,}"
        )
    for part in name.replace("\\", "/").split("/"):
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return _(
                "name too long ({count} characters; a file name has at most {limit} bytes)"
            ).format(count=f"{len(part):,}", limit=MAX_NAME_BYTES)
    return None


def _file_name(value: str | None) -> str | None:
    problem = None if value is None else file_name_problem(value)
    if problem:
        raise ValueError(_("{problem}; rename the file").format(problem=problem))
    return value


def _title(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_TITLE:
        raise ValueError(
            _(
                "too long ({count} characters, at most {limit}: Word's limit "
                "for a document title); shorten it"
            ).format(count=f"{len(value):,}", limit=MAX_TITLE)
        )
    return value


FileName = Annotated[str, AfterValidator(_file_name)]
Title = Annotated[str, AfterValidator(_title)]


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


def _point_keys(value: Any) -> Any:
    """Point numbers written unquoted (``185:``) are read as integers: keep text."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


# What a block uses each pinpoint for: precedent id -> point (``185``, ``186-189``) -> the
# proposition key, compared with the propositions the precedent records for that point.
# One proposition, or several when one sentence uses the point for more than one thing.
Propositions = Annotated[list[Id], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]
Pinpoints = dict[Id, Annotated[dict[str, Propositions], BeforeValidator(_point_keys)]]


class Block(Model):
    """One reusable argument block (a moyen, a fact, a conclusion…)."""

    id: Id
    title: str = Field(min_length=1)
    section: Section
    version: int = Field(default=1, ge=1)
    requires: list[Id] = []
    conflicts: list[Id] = []
    params: list[FactName] = []
    procedures: list[Procedure] | None = None
    heading: bool = True
    condition: str | None = None
    body: str = Field(min_length=1)
    application: str | None = None
    literals: list[str] = []
    pinpoints: Pinpoints = {}
    notes: str | None = None
    tags: list[str] = []


class Point(Model):
    """One recorded paragraph of a decision: what it says, and the propositions (short
    keys) a block may cite it for."""

    text: str = Field(min_length=1)
    propositions: list[Id] = []


def _point(value: Any) -> Any:
    """A point written as a bare summary has no propositions yet."""
    return {"text": value} if isinstance(value, str) else value


class Precedent(Model):
    """A decision or a legal text, citable as ``[@id]``."""

    id: Id
    type: Literal["decision", "text"] = "decision"
    court: str | None = None
    formation: str | None = None
    date: Date | None = None
    number: Number | None = None
    ecli: Number | None = None
    name: str | None = None
    short: str | None = None
    citation: str | None = None
    group: str | None = None
    instrument: str | None = None
    holding: str | None = None
    points: dict[str, Annotated[Point, BeforeValidator(_point)]] = {}
    url: str | None = None
    lebon: bool | None = None
    recueil: str | None = None  # « Lebon p. 336 », « Lebon T. »: printed after the number
    status: str | None = None
    confidence: Confidence
    believed: list[str] = []
    unverified: list[str] = []
    source: str | None = None
    notes: str | None = None

    @field_validator("points", mode="before")
    @classmethod
    def _points_keys_as_text(cls, value: Any) -> Any:
        return _point_keys(value)


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
    application: str | None = None
    condition: str | None = None
    notes: str | None = None
    params: list[FactName] | None = None
    requires: list[Id] | None = None
    conflicts: list[Id] | None = None
    procedures: list[Procedure] | None = None
    pinpoints: Pinpoints | None = None


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
    """An applicant: a legal person (dénomination, forme, siège, représentant) or a natural
    person (civilité, nom, domicile)."""

    personne: Literal["morale", "physique"] = "morale"
    denomination: str | None = Field(default=None, min_length=1)
    forme: str | None = None
    designation: str | None = None
    genre: Genre | None = None
    siege: str | None = None
    representant: str | None = None
    qualite: str | None = None
    objet: str | None = None
    civilite: Literal["M.", "Mme"] | None = None
    nom: str | None = Field(default=None, min_length=1)
    domicile: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _civilite_means_natural(cls, data: Any) -> Any:
        if isinstance(data, dict) and "personne" not in data and "civilite" in data:
            return {**data, "personne": "physique"}
        return data

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Party:
        if self.personne == "morale":
            wrong = [f for f in ("civilite", "nom", "domicile") if getattr(self, f) is not None]
            if self.denomination is None:
                raise ValueError(_("a legal person needs `denomination` (its registered name)"))
        else:
            wrong = [
                f
                for f in ("denomination", "forme", "siege", "representant", "qualite", "objet")
                if getattr(self, f) is not None
            ]
            if self.civilite is None or self.nom is None:
                raise ValueError(_("a natural person needs `civilite` (M. or Mme) and `nom`"))
        if wrong:
            if self.personne == "morale":
                message = _("{fields} do not apply to a legal person (personne: {personne})")
            else:
                message = _("{fields} do not apply to a natural person (personne: {personne})")
            raise ValueError(message.format(fields=", ".join(wrong), personne=self.personne))
        return self

    @property
    def label(self) -> str:
        """The name as written in the text (dénomination, or civilité and nom)."""
        if self.personne == "physique":
            return f"{self.civilite} {self.nom}"
        return self.denomination or ""


class Counsel(Model):
    """Counsel (avocat) signing the filing."""

    nom: str | None = None
    qualite: str | None = None
    adresse: str | None = None
    barreau: str | None = None
    email: str | None = None


class Act(Model):
    """The contested act (acte attaqué): nature, author, number, dates, official title."""

    nature: str = Field(min_length=1)
    genre: Genre | None = None
    titre: str = Field(min_length=1)
    auteur: str | None = None
    numero: Number | None = None
    date: Date
    publication: Date | None = None
    notification: Date | None = None
    piece: Id


class Piece(Model):
    """One pièce of the matter's catalogue."""

    key: Id
    label: str = Field(min_length=1)
    file: FileName | None = None
    date: Date | None = None


class Decision(Model):
    """How an instance ended: the date, the outcome, why, and the decision's citation key."""

    date: Date
    sens: Literal["rejet", "annulation", "suspension", "non-lieu", "desistement", "autre"]
    motif: str | None = None
    precedent: Id | None = None


class Instance(Model):
    """An instance already brought in the matter (the procedural history)."""

    numero: Annotated[Number, Field(min_length=1)]
    procedure: Procedure
    enregistrement: Date
    sommaire: bool = False
    objet: str | None = None
    decision: Decision | None = None


class ApplicationPart(Model):
    """A matter's own application of a block's law (« En l'espèce … »)."""

    block: Id
    procedures: list[Procedure] | None = None
    text: str = Field(min_length=1)
    pinpoints: Pinpoints = {}


class Case(SetOps):
    """One filing of a matter: procedure, parties, act, argument set, facts, pièces."""

    matter: str | None = None
    procedure: Procedure
    title: Title | None = None
    mention: str | None = None
    instance: str | None = None
    date: Date
    place: str | None = None
    set: Id | None = None
    blocks: list[Id] | None = None
    template: str = "requete"
    library: list[str] = []
    terme: Literal["requerant", "exposant"] = "requerant"
    facts: dict[FactName, Any] = {}
    applications: list[ApplicationPart] = []
    requerants: list[Party] = Field(min_length=1)
    avocat: Counsel | None = None
    defendeur: str | None = None
    acte: Act
    pieces: list[Piece] = []
    inventaire: list[Id] | None = None
    instances: list[Instance] = []
    author: str | None = None


class FactField(Model):
    """One field of a record fact."""

    type: ScalarType
    description: str | None = None
    optional: bool = False
    values: list[str] | None = None


class FactDecl(Model):
    """A matter fact the library's blocks may read, with its type (``facts/<id>.yaml``)."""

    id: FactName
    type: FactType
    description: str = Field(min_length=1)
    values: list[str] | None = None
    items: ScalarType = "text"
    fields: dict[FactName, FactField] = {}
    example: Any = None

    @model_validator(mode="after")
    def _shape_of_its_type(self) -> FactDecl:
        if self.type == "record" and not self.fields:
            raise ValueError(_("a record fact needs `fields`"))
        if self.type != "record" and self.fields:
            raise ValueError(_("`fields` only apply to `type: record`"))
        if self.type == "choice" and not self.values:
            raise ValueError(_("a choice fact needs `values`"))
        return self


class ProcedureGroup(Model):
    """Sections printed under one heading (« Sur l'urgence »), or under none."""

    title: str | None = None
    sections: list[Section] = Field(min_length=1)


class ProcedurePart(Model):
    """A part of the filing numbered I., II.… (« FAITS ET PROCÉDURE », « DISCUSSION »)."""

    title: str = Field(min_length=1)
    groups: list[ProcedureGroup] = Field(min_length=1)


class DeadlineRule(Model):
    """The time limit of a procedure and the text that explains it."""

    rule: Literal["r421-1", "instance", "aucun"]
    months: int = Field(default=2, ge=1, le=24)
    text: str = Field(min_length=1)
    source: str | None = None


class ProcedureRequires(Model):
    """What a filing of the procedure must contain."""

    sections: list[Section] = []
    blocks: list[Id] = []
    facts: list[FactName] = []
    instance: bool = False


class ProcedureDecl(Model):
    """A procedure (``procedures/<id>.yaml``): title, addressee, layout, conclusions, rules."""

    id: Id
    name: str = Field(min_length=1)
    title: Annotated[Title, Field(min_length=1)]
    mention: str | None = None
    addressee: str = Field(min_length=1)
    docket: str | None = None
    subtitles: list[str] = []
    soutien: str | None = None
    opening: str | None = None
    sanction: str | None = None
    parts: list[ProcedurePart] = Field(min_length=1)
    conclusions: str = Field(min_length=1)
    requires: ProcedureRequires = ProcedureRequires()
    deadline: DeadlineRule
    repeat: Literal["any", "unique", "renewable"] = "any"
    blocks_of: list[Procedure] = []
    notes: str | None = None

    def takes(self, procedures: list[str] | None) -> bool:
        """True when a block written for ``procedures`` (None: any) fits this procedure: its own
        id, or one of ``blocks_of`` (a mémoire complémentaire takes the blocks of a REP)."""
        return procedures is None or bool({self.id, *self.blocks_of} & set(procedures))

    @property
    def sections(self) -> list[str]:
        """Every section the procedure lays out, in order, then ``conclusions``."""
        out = [s for part in self.parts for group in part.groups for s in group.sections]
        return [*out, "conclusions"] if "conclusions" not in out else out


KINDS: dict[str, type[Model]] = {
    "argument": Block,
    "precedent": Precedent,
    "set": ArgumentSet,
    "case": Case,
    "fact": FactDecl,
    "procedure": ProcedureDecl,
}
