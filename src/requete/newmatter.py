"""The logic of ``requete new``: the answers a lawyer gives to start a matter, each checked
when it is given, and the two files written from them — ``matter.yaml`` (parties, act,
counsel, pièces, facts) and the filing's case file — in the format of the examples, with
French comments saying what each field is and what is left to complete.

Nothing here prints or prompts (``requete.commands.new`` asks the questions). Every parser
takes the text of one answer and returns its value or raises :class:`Invalid` with the message
to show before asking again. Nothing is invented: a field the user did not give is left out
(the filing prints a highlighted « [à compléter] » and ``check`` notes it) or, for a fact the
arguments read, written as an explicit « [à compléter : …] » that ``check`` counts. The files
are staged beside the target, checked as ``requete check`` checks them, then renamed into
place: either both are written or neither.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import ValidationError

from requete.french import NBSP, NNBSP
from requete.i18n import _, ngettext
from requete.model import FIRST_YEAR, LAST_YEAR, Case, FactDecl, Genre, Party, file_name_problem

if TYPE_CHECKING:
    from requete.errors import Problem
    from requete.library import Library
    from requete.overlay import Resolution

Event = Literal["publication", "notification"]
Terme = Literal["requerant", "exposant"]
DEFAULT_PROCEDURE = "annulation"
MATTER_FILE = "matter.yaml"
TODO = "À COMPLÉTER"
MAX_TEXT = 2000  # characters of one answer (a title, an address)
MAX_SLUG = 60
WIDTH = 96  # columns of the YAML written (comments and folded texts)
ASKED_TYPES = ("choice", "integer", "number", "date", "boolean")  # cannot hold « [à compléter] »
EXPOSE_BLOCK = "faits-acte-attaque"  # the shared library's minimal exposé of the act
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPLIT_CIVILITE = re.compile(r"^(M\.|Mme)\s+(\S.*)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# Comments are not broken inside « R. 421-1 », « n° 3 », « « … » »: those spaces are glued.
_UNBROKEN = re.compile(r"\b(?:[RLD]\.\*?|art\.|n°) \S|« \S| »|\S : |\[à compléter")
_GLUE = "\x00"


class Invalid(ValueError):
    """An answer that cannot be taken; ``message`` says why and what to give instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- the answers ----------------------------------------------------------------------------


@dataclass
class ActAnswer:
    """The contested act as the user described it."""

    nature: str
    titre: str
    date: dt.date
    event: Event
    event_date: dt.date
    genre: Genre | None = None
    auteur: str | None = None
    numero: str | None = None


@dataclass
class InstanceAnswer:
    """The pending instance a mémoire, a QPC or an intervention is filed in."""

    numero: str
    procedure: str
    enregistrement: dt.date
    sommaire: bool = False


@dataclass
class CounselAnswer:
    """Counsel signing the filing."""

    nom: str
    qualite: str | None = None
    adresse: str | None = None
    email: str | None = None


@dataclass
class Answers:
    """Everything ``requete new`` asked, ready to be written."""

    procedure: str
    act: ActAnswer
    applicants: list[dict[str, Any]]
    set: str
    filing_date: dt.date
    directory: Path
    place: str | None = None
    instance: InstanceAnswer | None = None
    counsel: CounselAnswer | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    terme: Terme = "requerant"


@dataclass(frozen=True)
class FactNeed:
    """A fact (or a field of a record fact) the filing's blocks read."""

    fact: str
    field: str | None
    type: str
    description: str
    values: tuple[str, ...] = ()
    optional: bool = False
    list_of: str | None = None  # the item type of a list fact

    @property
    def name(self) -> str:
        """``hebergeur`` or ``hebergeur.designation``."""
        return f"{self.fact}.{self.field}" if self.field else self.fact

    @property
    def asked(self) -> bool:
        """True when the value must be given: a « [à compléter] » text cannot stand for it."""
        return self.type in ASKED_TYPES and not self.optional


# -- the library ----------------------------------------------------------------------------


def open_library(directory: Path) -> Library:
    """The library a case written in ``directory`` would use: the built-in one and the nearest
    layer above ``directory`` (as ``requete check`` finds it)."""
    from requete.library import library_layers, load_library

    return load_library(library_layers(directory / "_.yaml"))


def procedure_choices(library: Library) -> list[tuple[str, str]]:
    """(id, French name) of every procedure, the default first."""
    items = sorted((p.id, p.name) for p in library.procedures.values())
    return sorted(items, key=lambda item: item[0] != DEFAULT_PROCEDURE)


def default_procedure(library: Library) -> str | None:
    """``annulation`` when the library has it."""
    return DEFAULT_PROCEDURE if DEFAULT_PROCEDURE in library.procedures.names() else None


def needs_instance(library: Library, procedure: str) -> bool:
    """True when the procedure is filed in a pending instance (``requires.instance``)."""
    decl = library.procedures.get(procedure)
    return bool(decl and decl.requires.instance)


def asks_sommaire(library: Library, procedure: str) -> bool:
    """True for a procedure whose deadline runs from a requête sommaire's registration."""
    decl = library.procedures.get(procedure)
    return bool(decl and decl.deadline.rule == "instance")


def default_terme(procedure: str) -> Terme:
    """An intervener is « l'exposant »; any other applicant « le requérant »."""
    return "exposant" if procedure == "intervention" else "requerant"


def _probe(procedure: str, set_id: str, add: list[dict[str, str]] | None = None) -> Case:
    """A case with nothing of the matter, to resolve a set for a procedure."""
    today = dt.date.today().isoformat()
    data: dict[str, Any] = {
        "procedure": procedure,
        "date": today,
        "set": set_id,
        "requerants": [{"denomination": "x"}],
        "acte": {"nature": "décision", "titre": "x", "date": today, "piece": "acte"},
    }
    if add:
        data["add"] = add
    return Case.model_validate(data)


def _resolve(
    library: Library, procedure: str, set_id: str, add: list[dict[str, str]] | None
) -> Resolution:
    from requete.overlay import resolve_blocks

    return resolve_blocks(library, _probe(procedure, set_id, add))


def set_problem(library: Library, procedure: str, set_id: str) -> str | None:
    """Why the set cannot serve a filing of the procedure, or None."""
    decl = library.procedures.get(procedure)
    if decl is None:
        return None
    resolution = _resolve(library, procedure, set_id, None)
    errors = [p for p in resolution.problems if p.severity == "error"]
    if errors:
        return errors[0].message
    for resolved in resolution.blocks:
        block = resolved.block
        if block.section not in decl.sections or not decl.takes(block.procedures):
            return _("its block {block!r} does not belong in a {procedure}").format(
                block=block.id, procedure=decl.name
            )
        foreign = _literal_pieces(block.body + (block.application or ""))
        if foreign:
            return _(
                "its block {block!r} cites the pièce {piece!r} of another matter (a set of "
                "that matter's own layer)"
            ).format(block=block.id, piece=foreign[0])
    sections = {b.block.section for b in resolution.blocks}
    for section in decl.requires.sections:
        if section not in sections:
            return _(
                "it has no block in the section {section!r}, which a {procedure} needs"
            ).format(section=section, procedure=decl.name)
    return None


def _literal_pieces(text: str) -> list[str]:
    """The pièce keys a text names literally (``[pièce:arrete-gip-pds]``): a shared block
    reads them from the matter (``[pièce:{{ acte.piece }}]``), a matter's own block does not."""
    from requete.markup import references

    keys = [k for token in references(text, ("piece",)) for k in token.keys]
    return [k for k in keys if "{" not in k and "}" not in k]


def set_choices(library: Library, procedure: str) -> list[tuple[str, str]]:
    """(id, name) of the sets that serve the procedure, the most specific first: the most
    blocks written for this very procedure, its id in the set's id, a set of its own before
    an overlay."""
    decl = library.procedures.get(procedure)
    scored = []
    for ident in sorted(library.sets.names()):
        if set_problem(library, procedure, ident) is not None:
            continue
        chosen = library.sets.get(ident)
        assert chosen is not None
        blocks = _resolve(library, procedure, ident, None).blocks
        own = sum(1 for b in blocks if decl and procedure in (b.block.procedures or []))
        named = procedure in ident.split("-") or f"-{procedure}" in ident
        scored.append(((-own, not named, chosen.extends is not None, len(ident)), ident, chosen))
    return [(ident, chosen.name) for _score, ident, chosen in sorted(scored, key=lambda s: s[0])]


def expose_addition(library: Library, procedure: str, set_id: str) -> dict[str, str] | None:
    """The shared exposé of the act (faits-acte-attaque) to add to the filing, placed as the
    examples place it — when the procedure lays out ``faits``, the set lacks it and the set's
    arguments already read the facts it tells (a QPC's do not)."""
    decl = library.procedures.get(procedure)
    block = library.blocks.get(EXPOSE_BLOCK)
    if decl is None or block is None or "faits" not in decl.sections:
        return None
    if not decl.takes(block.procedures):
        return None
    blocks = _resolve(library, procedure, set_id, None).blocks
    if any(b.id == EXPOSE_BLOCK for b in blocks):
        return None
    read = {name for b in blocks for name in b.block.params}
    if not read & set(block.params):
        return None
    first_fact = next((b.id for b in blocks if b.block.section == "faits"), None)
    if first_fact is not None:
        return {"block": EXPOSE_BLOCK, "before": first_fact}
    return {"block": EXPOSE_BLOCK, "at_end_of": "faits"}


def needed_facts(library: Library, procedure: str, set_id: str) -> list[FactNeed]:
    """Every fact the filing's blocks and its procedure read, record fields one by one, in
    the order the filing first reads them."""
    add = expose_addition(library, procedure, set_id)
    blocks = _resolve(library, procedure, set_id, [add] if add else None).blocks
    names: list[str] = []
    for resolved in blocks:
        names += [n for n in resolved.block.params if n not in names]
    decl = library.procedures.get(procedure)
    if decl is not None:
        names += [n for n in decl.requires.facts if n not in names]
    out: list[FactNeed] = []
    for name in names:
        fact = library.facts.get(name)
        if fact is not None:
            out += _needs_of(fact)
    return out


def _needs_of(fact: FactDecl) -> list[FactNeed]:
    if fact.type == "record":
        return [
            FactNeed(
                fact.id,
                key,
                spec.type,
                spec.description or "",
                tuple(spec.values or ()),
                spec.optional,
            )
            for key, spec in fact.fields.items()
        ]
    if fact.type == "list":
        return [FactNeed(fact.id, None, "list", fact.description, list_of=fact.items)]
    return [FactNeed(fact.id, None, fact.type, fact.description, tuple(fact.values or ()))]


# -- parsing answers ------------------------------------------------------------------------


def _one_line(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_TEXT:
        raise Invalid(
            _("too long ({count} characters, at most {limit}); shorten it").format(
                count=len(value), limit=MAX_TEXT
            )
        )
    return value


def parse_required(text: str) -> str:
    """A text that must be given, on one line."""
    value = _one_line(text)
    if not value:
        raise Invalid(_("an answer is required"))
    return value


def parse_optional(text: str) -> str | None:
    """A text that may be left empty (None: to complete later)."""
    return _one_line(text) or None


def _match(text: str, choices: Sequence[str]) -> str | None:
    """The choice ``text`` names: itself (case and accents aside) or its number in the list."""
    value = text.strip()
    if value.isdigit() and 1 <= int(value) <= len(choices):
        return choices[int(value) - 1]
    wanted = _plain(value)
    return next((c for c in choices if _plain(c) == wanted), None)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_procedure(text: str, library: Library) -> str:
    """One of the library's procedures, by id or number in the list."""
    from requete.errors import did_you_mean

    choices = [ident for ident, _name in procedure_choices(library)]
    found = _match(text, choices)
    if found is None:
        raise Invalid(
            _("unknown procedure {value!r}{hint}; choose one of: {choices}").format(
                value=text.strip(),
                hint=did_you_mean(text.strip(), choices),
                choices=", ".join(choices),
            )
        )
    return found


def parse_set(text: str, library: Library, procedure: str) -> str:
    """An argument set of the library that serves the procedure."""
    from requete.errors import did_you_mean

    fitting = [ident for ident, _name in set_choices(library, procedure)]
    known = sorted(library.sets.names())
    value = text.strip()
    # a number is a place in the list of the sets that fit
    found = _match(value, fitting) if value.isdigit() else _match(value, known)
    if found is None:
        raise Invalid(
            _("unknown argument set {value!r}{hint}; choose one of: {choices}").format(
                value=value,
                hint=did_you_mean(value, known),
                choices=", ".join(fitting) or "-",
            )
        )
    why = set_problem(library, procedure, found)
    if why is not None:
        decl = library.procedures.get(procedure)
        raise Invalid(
            _(
                "the argument set {set!r} does not fit a {procedure}: {reason}; choose one of: "
                "{choices}"
            ).format(
                set=found,
                procedure=decl.name if decl else procedure,
                reason=why,
                choices=", ".join(fitting) or "-",
            )
        )
    return found


def parse_date(text: str, today: dt.date) -> dt.date:
    """A date written 21/12/2023 or 2023-12-21: a real day, not after ``today``."""
    day = _date(text)
    if day > today:
        raise Invalid(
            _("{date} is in the future; give a date on or before today ({today})").format(
                date=show_date(day), today=show_date(today)
            )
        )
    return day


def _date(text: str) -> dt.date:
    value = text.strip()
    if not value:
        raise Invalid(_("an answer is required"))
    french, iso = _FRENCH_DATE.match(value), _ISO_DATE.match(value)
    if french:
        day, month, year = (int(g) for g in french.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        raise Invalid(
            _("{value!r} is not a date; write it as 21/12/2023 or 2023-12-21").format(value=value)
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(
            _("{value!r}: the year {year} is out of range ({first}–{last}); check it").format(
                value=value, year=year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(
            _("{value!r} is not a real date; check the day and the month").format(value=value)
        ) from None


def show_date(day: dt.date) -> str:
    """21/12/2023."""
    return day.strftime("%d/%m/%Y")


def parse_event_date(text: str, act_date: dt.date, event: Event, today: dt.date) -> dt.date:
    """The publication or notification date: a real past day, not before the act's date."""
    day = parse_date(text, today)
    if day < act_date:
        message = (
            _("the act cannot be published ({date}) before it is adopted ({act}); check both dates")
            if event == "publication"
            else _(
                "the act cannot be notified ({date}) before it is adopted ({act}); check both dates"
            )
        )
        raise Invalid(message.format(date=show_date(day), act=show_date(act_date)))
    return day


def parse_event(text: str) -> Event:
    """``publication`` or ``notification`` (1 or 2)."""
    found = _match(text or "publication", ["publication", "notification"])
    if found == "publication":
        return "publication"
    if found == "notification":
        return "notification"
    raise Invalid(_("answer publication or notification"))


def parse_filing_date(
    text: str,
    library: Library,
    procedure: str,
    act: ActAnswer,
    instance: InstanceAnswer | None,
) -> dt.date:
    """The date of the filing: not before the act (its pièce would postdate the filing) or the
    instance it is filed in, and within the procedure's time limit."""
    from requete.deadline import compute_after_registration, compute_deadline
    from requete.errors import RequeteError

    day = _date(text)
    if day < act.date:
        raise Invalid(
            _("the filing cannot be dated {date}, before the contested act ({act})").format(
                date=show_date(day), act=show_date(act.date)
            )
        )
    if instance is not None and day < instance.enregistrement:
        raise Invalid(
            _(
                "the filing cannot be dated {date}, before the requête n° {number} was registered "
                "({registered})"
            ).format(
                date=show_date(day),
                number=instance.numero,
                registered=show_date(instance.enregistrement),
            )
        )
    decl = library.procedures.get(procedure)
    if decl is None:
        return day
    rule, start = decl.deadline, None
    try:
        if rule.rule == "r421-1":
            deadline = compute_deadline(act.event_date, rule.months, act.event)
            start = act.event_date
        elif rule.rule == "instance" and instance is not None:
            deadline = compute_after_registration(instance.enregistrement, rule.months)
            start = instance.enregistrement
        else:
            return day
    except RequeteError as err:
        raise Invalid(err.message) from None
    if day > deadline.last_day:
        raise Invalid(
            _(
                "{date} is after the last day to file a {procedure}, {last} (see `requete deadline "
                "{start} --procedure {id}`); give an earlier date or check the dates given"
            ).format(
                date=show_date(day),
                procedure=decl.name,
                last=show_date(deadline.last_day),
                start=start.isoformat() if start else "",
                id=decl.id,
            )
        )
    return day


def parse_nature(text: str) -> str:
    """The nature of the act (« arrêté », « délibération »), lower-case first letter."""
    value = parse_required(text)
    return value[:1].lower() + value[1:]


def nature_gender(nature: str) -> Genre | None:
    """The gender requete knows for the nature, or None (then it must be given)."""
    from requete.act import act_gender

    return act_gender(nature)


def known_natures() -> list[str]:
    """The natures of act whose gender requete knows."""
    from requete.act import ACT_GENDERS

    return list(ACT_GENDERS)


def parse_genre(text: str) -> Genre:
    """``f`` (feminine) or ``m`` (masculine)."""
    value = _plain(text)
    if value in ("f", "fem", "feminin", "feminine", "la"):
        return "f"
    if value in ("m", "masc", "masculin", "masculine", "le"):
        return "m"
    raise Invalid(_("answer f (feminine: « la ») or m (masculine: « le »)"))


def parse_yes_no(text: str, default: bool) -> bool:
    """Yes (y, yes, o, oui) or no (n, no, non); empty: ``default``."""
    value = _plain(text)
    if not value:
        return default
    if value in ("y", "yes", "o", "oui"):
        return True
    if value in ("n", "no", "non"):
        return False
    raise Invalid(_("answer y (yes) or n (no)"))


def parse_number(text: str) -> str | None:
    """An act's or an instance's number, on one line, without spaces around it."""
    value = _one_line(text)
    if value.startswith(("n°", "N°")):
        value = value[2:].strip()
    return value or None


def parse_instance_number(text: str) -> str:
    """The docket number of the pending requête (« 500001 »)."""
    value = parse_number(text)
    if value is None:
        raise Invalid(_("an answer is required"))
    return value


def parse_email(text: str) -> str | None:
    """An e-mail address, or None."""
    value = _one_line(text)
    if value and not _EMAIL.match(value):
        raise Invalid(_("{value!r} is not an e-mail address").format(value=value))
    return value or None


# -- applicants -----------------------------------------------------------------------------

# The kinds of applicant the model supports: a legal person of a form (whose first word gives
# its gender, agreement.py) or a natural person. The key is the French form written.
KINDS: tuple[str, ...] = (
    "association",
    "société",
    "syndicat",
    "fédération",
    "fondation",
    "autre",
    "personne physique",
)
NATURAL = "personne physique"
OTHER = "autre"
_LEGAL_FIELDS = ("forme", "genre", "designation", "siege", "representant", "qualite", "objet")
_NATURAL_FIELDS = ("domicile",)


def kind_labels() -> list[tuple[str, str]]:
    """(key, label) of each kind of applicant, in the language of the messages."""
    labels = {
        "association": _("association"),
        "société": _("company"),
        "syndicat": _("trade union"),
        "fédération": _("federation"),
        "fondation": _("foundation"),
        OTHER: _("another legal person (give its form)"),
        NATURAL: _("natural person"),
    }
    return [(key, labels[key]) for key in KINDS]


def parse_kind(text: str) -> str:
    """One of :data:`KINDS` (by name or number); « M. » / « Mme » mean a natural person."""
    value = text.strip()
    if value in ("M.", "Mme") or _plain(value) in ("physique", "personne", "natural"):
        return NATURAL
    found = _match(value, KINDS)
    if found is None:
        raise Invalid(
            _("unknown kind of applicant {value!r}; choose one of: {choices}").format(
                value=value, choices=", ".join(KINDS)
            )
        )
    return found


def parse_civilite(text: str) -> str:
    """« M. » or « Mme »."""
    value = _plain(text).rstrip(".")
    if value in ("m", "monsieur", "mr"):
        return "M."
    if value in ("mme", "madame", "mrs", "ms"):
        return "Mme"
    raise Invalid(_("answer M. or Mme"))


def split_civilite(name: str) -> tuple[str | None, str]:
    """(« M. », « Jean Dupont ») from « M. Jean Dupont »; (None, name) without a civilité."""
    found = _SPLIT_CIVILITE.match(name.strip())
    return (found.group(1), found.group(2)) if found else (None, name.strip())


def form_gender(forme: str) -> Genre | None:
    """The gender a legal person's form gives (« la société », « le syndicat »), or None."""
    from requete.agreement import form_gender as gender

    return gender(forme)


def make_applicant(
    name: str, kind: str, fields: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """The ``requerants:`` entry of one applicant, checked by the model. ``kind`` is one of
    :data:`KINDS` or, for another legal person, its form; ``fields`` are the optional ones
    (siege, representant, qualite, objet, forme, genre, designation; domicile)."""
    given = {k: v for k, v in (fields or {}).items() if v}
    label = parse_required(name)
    if kind == NATURAL:
        civilite, nom = split_civilite(label)
        civilite = given.pop("civilite", None) or civilite
        if civilite is None:
            raise Invalid(
                _("give the civilité of {name!r}: « M. {name} » or « Mme {name} »").format(name=nom)
            )
        data: dict[str, Any] = {
            "personne": "physique",
            "civilite": parse_civilite(civilite),
            "nom": parse_required(nom),
        }
        allowed: tuple[str, ...] = _NATURAL_FIELDS
    else:
        forme = given.pop("forme", None) or (None if kind == OTHER else kind)
        if forme is None:
            raise Invalid(_("give the legal form of {name!r}").format(name=label))
        data = {"denomination": label, "forme": _one_line(forme)}
        allowed = _LEGAL_FIELDS
    for key, value in given.items():
        if key not in allowed:
            raise Invalid(
                _("{key!r} does not apply to this applicant; it takes: {fields}").format(
                    key=key, fields=", ".join(k for k in allowed if k != "forme")
                )
            )
        data[key] = parse_genre(value) if key == "genre" else _one_line(value)
    try:
        Party.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "")).removeprefix("Value error, ")
        raise Invalid(f"{where}: {message}" if where else message) from None
    return data


def parse_applicant_spec(spec: str) -> dict[str, Any]:
    """``"Name|kind"`` (kind: association, société, syndicat…, another form, or personne
    physique), then optional ``|key=value`` fields: ``"Exemple|association|siege=1 rue X"``,
    ``"M. Jean Dupont|personne physique|domicile=…"``."""
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise Invalid(
            _(
                'write an applicant as "Name|kind", for example "Exemple|association" or '
                '"M. Jean Dupont|personne physique"; got {value!r}'
            ).format(value=spec)
        )
    name, kind_text, extras = parts[0], parts[1], parts[2:]
    fields: dict[str, str | None] = {}
    for extra in extras:
        key, eq, value = extra.partition("=")
        if not eq or not key.strip():
            raise Invalid(
                _(
                    "{value!r}: give an applicant's further fields as key=value (siege=…, objet=…)"
                ).format(value=extra)
            )
        fields[key.strip()] = value.strip()
    try:
        kind = parse_kind(kind_text)
    except Invalid:
        kind = OTHER  # another legal person: the kind is its form
        fields.setdefault("forme", kind_text)
    return make_applicant(name, kind, fields)


def applicant_label(data: dict[str, Any]) -> str:
    """« Exemple Santé » or « M. Jean Dupont »."""
    if data.get("personne") == "physique":
        return f"{data['civilite']} {data['nom']}"
    return str(data["denomination"])


# -- counsel --------------------------------------------------------------------------------

COUNSEL_KINDS = ("conseils", "barreau", "autre")
AUX_CONSEILS = "avocat au Conseil d'État et à la Cour de cassation"


def counsel_kind_labels() -> list[tuple[str, str]]:
    """(key, label) of each kind of counsel."""
    return [
        ("conseils", AUX_CONSEILS),  # a French title, the same in both languages
        ("barreau", _("avocat at a barreau (give its city)")),
        ("autre", _("another capacity (written as you give it)")),
    ]


def parse_counsel_kind(text: str) -> str:
    """One of :data:`COUNSEL_KINDS`, by name or number."""
    found = _match(text, COUNSEL_KINDS)
    if found is None:
        raise Invalid(_("choose one of: {choices}").format(choices=", ".join(COUNSEL_KINDS)))
    return found


def counsel_capacity(kind: str, detail: str | None) -> str:
    """The ``qualite`` written: « avocat au Conseil d'État et à la Cour de cassation », « avocat
    au barreau de Paris », or the capacity as given."""
    if kind == "conseils":
        return AUX_CONSEILS
    value = parse_required(detail or "")
    if kind == "barreau":
        city = value.removeprefix("barreau de ").strip()
        return f"avocat au barreau de {city}"
    return value


def parse_counsel_bar(text: str) -> str:
    """``--counsel-bar``: « conseils » (avocat aux Conseils) or the city of a barreau."""
    value = parse_required(text)
    if _plain(value) in ("conseils", "conseil", "ce", "aux conseils", "avocat aux conseils"):
        return AUX_CONSEILS
    return counsel_capacity("barreau", value)


# -- facts ----------------------------------------------------------------------------------


def parse_fact_value(need: FactNeed, text: str, today: dt.date) -> Any:
    """The value of one fact (or field) of the type the library declares."""
    kind = need.list_of if need.type == "list" else need.type
    value = text.strip()
    if not value:
        raise Invalid(_("an answer is required"))
    if kind == "choice":
        found = _match(value, need.values)
        if found is None:
            raise Invalid(
                _("{value!r} is not one of: {choices}").format(
                    value=value, choices=", ".join(need.values)
                )
            )
        return found
    if kind == "integer":
        digits = value.replace(" ", "").replace(NBSP, "").replace(NNBSP, "")
        if not re.fullmatch(r"-?\d+", digits):
            raise Invalid(_("{value!r} is not a whole number").format(value=value))
        return int(digits)
    if kind == "number":
        try:
            return float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise Invalid(_("{value!r} is not a number").format(value=value)) from None
    if kind == "date":
        return parse_date(value, today)
    if kind == "boolean":
        return parse_yes_no(value, default=False)
    if kind == "piece":
        raise Invalid(
            _("the fact {name!r} is a pièce: requete new adds it to the catalogue").format(
                name=need.name
            )
        )
    return parse_required(value)


def parse_fact_option(
    text: str, needs: Sequence[FactNeed], library: Library, today: dt.date
) -> tuple[FactNeed, Any]:
    """``--fact NAME=VALUE`` (``NAME.FIELD=VALUE`` for a field of a record fact): a fact the
    filing's arguments read, or any other the library declares (the matter serves other
    filings too)."""
    name, eq, value = text.partition("=")
    name = name.strip()
    if not eq or not name:
        raise Invalid(
            _(
                "write a fact as NAME=VALUE (for example competence=acte-reglementaire); got "
                "{value!r}"
            ).format(value=text)
        )
    known = list(needs)
    for decl in library.facts.values():
        known += [n for n in _needs_of(decl) if n.name not in {k.name for k in known}]
    need = next((n for n in known if n.name == name), None)
    if need is None:
        from requete.errors import did_you_mean

        names = [n.name for n in known]
        raise Invalid(
            _("no library layer declares the fact {name!r}{hint}; known facts: {names}").format(
                name=name, hint=did_you_mean(name, names), names=", ".join(names) or "-"
            )
        )
    return need, parse_fact_value(need, value, today)


def extra_needs(
    values: dict[str, Any], needs: Sequence[FactNeed], library: Library
) -> list[FactNeed]:
    """Every field of the facts given that the filing does not read (for the matter's other
    filings): a record fact is written whole, so its other fields are needed too."""
    read = {n.fact for n in needs}
    out: list[FactNeed] = []
    for fact in dict.fromkeys(name.partition(".")[0] for name in values):
        decl = library.facts.get(fact)
        if fact not in read and decl is not None:
            out += _needs_of(decl)
    return out


def placeholder(need: FactNeed) -> str:
    """« [à compléter : donnees — la nature des données traitées, sans article] »: the fact's
    name (where to write it in matter.yaml) and what it is."""
    what = need.description.split(" ; ")[0].split(". ")[0]
    what = _PARENTHESES.sub("", what).replace("[", "(").replace("]", ")").strip().rstrip(".")
    if what[1:2].islower():  # « La nature… » -> « la nature… », an acronym kept
        what = what[:1].lower() + what[1:]
    return f"[à compléter : {need.name} — {what}]" if what else f"[à compléter : {need.name}]"


# -- the target directory -------------------------------------------------------------------


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """« Exemple Santé Libertés » -> « exemple-sante-libertes » (at most ``limit`` chars)."""
    plain = _plain(text)
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "dossier"


def default_directory(applicants: Sequence[dict[str, Any]], act: ActAnswer) -> str:
    """A slug of the matter: the first applicant, the act's nature and its number (or year)."""
    first = applicant_label(applicants[0]) if applicants else ""
    first = split_civilite(first)[1]
    return slug(f"{first} {act.nature} {act.numero or act.date.year}")


def parse_directory(text: str, cwd: Path) -> Path:
    """The directory to write to: a new or empty one, in an existing folder."""
    value = parse_required(text)
    problem = file_name_problem(value)
    if problem:
        raise Invalid(problem)
    path = Path(value).expanduser()
    path = path if path.is_absolute() else cwd / path
    path = Path(os.path.normpath(path))
    refuse_target(path)
    return path


def refuse_target(path: Path) -> None:
    """Raise Invalid when ``path`` is a file or a non-empty directory, or its parent is
    missing."""
    try:
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise Invalid(
                _("{path} exists and is not a directory; choose another directory").format(
                    path=_shown(path)
                )
            )
        if path.is_dir() and any(path.iterdir()):
            raise Invalid(
                _("{path} is not empty; nothing is overwritten: choose a new directory").format(
                    path=_shown(path)
                )
            )
        if not path.parent.is_dir():
            raise Invalid(
                _(
                    "the folder {parent} does not exist; create it first or choose another "
                    "directory"
                ).format(parent=_shown(path.parent))
            )
    except OSError as err:
        raise Invalid(f"{_shown(path)}: {err.strerror or err}") from None


def _shown(path: Path) -> str:
    return relative(path, Path.cwd())


def relative(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` (with ``..`` when needed), as a user types it."""
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive
        return str(path)


def case_file_name(procedure: str) -> str:
    """The filing's file name: the procedure's id, as in the examples."""
    return f"{procedure}.yaml"


# -- the YAML written -----------------------------------------------------------------------


def matter_data(answers: Answers, library: Library) -> dict[str, Any]:
    """The matter file's data, as YAML will read it back."""
    act = answers.act
    acte: dict[str, Any] = {"nature": act.nature}
    if act.genre is not None:
        acte["genre"] = act.genre
    if act.numero:
        acte["numero"] = act.numero
    if act.auteur:
        acte["auteur"] = act.auteur
    acte["titre"] = act.titre
    acte["date"] = act.date
    acte[act.event] = act.event_date
    acte["piece"] = _act_piece(act)
    data: dict[str, Any] = {"requerants": list(answers.applicants), "acte": acte}
    if answers.counsel is not None:
        data["avocat"] = _counsel_data(answers.counsel)
    pieces, facts = _pieces_and_facts(answers, library)
    data["pieces"] = pieces
    if facts:
        data["facts"] = facts
    if answers.instance is not None:
        instance: dict[str, Any] = {
            "numero": answers.instance.numero,
            "procedure": answers.instance.procedure,
            "enregistrement": answers.instance.enregistrement,
        }
        if answers.instance.sommaire:
            instance["sommaire"] = True
        data["instances"] = [instance]
    return data


def _counsel_data(counsel: CounselAnswer) -> dict[str, Any]:
    out: dict[str, Any] = {"nom": counsel.nom}
    for key in ("qualite", "adresse", "email"):
        value = getattr(counsel, key)
        if value:
            out[key] = value
    return out


def _act_piece(act: ActAnswer) -> str:
    from requete.agreement import first_word

    return slug(first_word(act.nature), 40) or "acte"


# Labels of the pièces the built-in facts of type `piece` name (structural, never facts).
_PIECE_LABELS = {
    ("piece_publication", "publication"): "Justificatif de la publication de l'acte attaqué",
    ("piece_publication", "notification"): "Justificatif de la notification de l'acte attaqué",
    ("piece_requete_annulation", "publication"): (
        "Copie de la requête à fin d'annulation (article R. 522-1 du code de justice "
        "administrative)"
    ),
}


def _piece_label(need: FactNeed, event: Event) -> str:
    label = _PIECE_LABELS.get((need.fact, event)) or _PIECE_LABELS.get((need.fact, "publication"))
    if label:
        return label
    text = _PARENTHESES.sub("", need.description).strip().rstrip(".")
    return text[:1].upper() + text[1:] if text else need.fact


def _piece_key(fact: str, taken: set[str]) -> str:
    base = slug(fact.removeprefix("piece_").replace("_", " "), 40) or "piece"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _pieces_and_facts(
    answers: Answers, library: Library
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    act = answers.act
    act_key = _act_piece(act)
    label = act.titre[:1].upper() + act.titre[1:]
    pieces: list[dict[str, Any]] = [{"key": act_key, "label": label, "date": act.date}]
    taken = {act_key}
    facts: dict[str, Any] = {}
    needs = needed_facts(library, answers.procedure, answers.set)
    for need in needs + extra_needs(answers.facts, needs, library):
        given = answers.facts.get(need.name)
        if need.type == "piece":
            key = _piece_key(need.fact, taken)
            pieces.append({"key": key, "label": _piece_label(need, act.event)})
            value: Any = key
        elif given is not None:
            value = given
        elif need.optional:
            continue
        elif need.type == "list":
            value = [placeholder(need)]
        else:
            value = placeholder(need)
        if need.field is None:
            facts[need.fact] = value
        else:
            facts.setdefault(need.fact, {})[need.field] = value
    return pieces, facts


def case_data(answers: Answers, library: Library) -> dict[str, Any]:
    """The case file's data, as YAML will read it back."""
    data: dict[str, Any] = {"matter": MATTER_FILE, "procedure": answers.procedure}
    if answers.instance is not None:
        data["instance"] = answers.instance.numero
    data["date"] = answers.filing_date
    if answers.place:
        data["place"] = answers.place
    data["set"] = answers.set
    if answers.terme != "requerant":
        data["terme"] = answers.terme
    add = expose_addition(library, answers.procedure, answers.set)
    if add:
        data["add"] = [add]
    return data


def render_files(answers: Answers, library: Library) -> dict[str, str]:
    """File name -> text of the two files, with their comments; each text is checked to read
    back as the data it was written from."""
    matter = matter_data(answers, library)
    case = case_data(answers, library)
    texts = {
        MATTER_FILE: _matter_text(answers, library, matter),
        case_file_name(answers.procedure): _case_text(answers, library, case),
    }
    for name, data in ((MATTER_FILE, matter), (case_file_name(answers.procedure), case)):
        if yaml.safe_load(texts[name]) != data:  # pragma: no cover - a writer bug
            raise AssertionError(f"{name}: the YAML written does not read back as its data")
    return texts


class _Writer:
    """YAML text with comments: block mappings and sequences, folded long texts."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def comment(self, text: str, indent: int = 0) -> None:
        for paragraph in text.split("\n"):
            kept = _UNBROKEN.sub(lambda m: m.group(0).replace(" ", _GLUE), paragraph)
            wrapped = textwrap.wrap(
                kept,
                WIDTH - indent - 2,
                break_long_words=False,
                break_on_hyphens=False,
            ) or [""]
            self.lines += [
                (" " * indent + "# " + line.replace(_GLUE, " ")).rstrip() for line in wrapped
            ]

    def entry(self, key: str, value: Any, indent: int = 0, first: str | None = None) -> None:
        """``key: value`` at ``indent``; ``first`` replaces the indentation (« - »)."""
        lead = first if first is not None else " " * indent
        if isinstance(value, dict):
            self.lines.append(f"{lead}{key}:")
            for sub, item in value.items():
                self.entry(sub, item, indent + 2)
            return
        if isinstance(value, list):
            self.lines.append(f"{lead}{key}:")
            for item in value:
                self.item(item, indent + 2)
            return
        self.scalar(f"{lead}{key}: ", value, indent + 2)

    def item(self, value: Any, indent: int) -> None:
        """``- value`` at ``indent``: a mapping's first key on the dash line."""
        if isinstance(value, dict):
            for i, (key, item) in enumerate(value.items()):
                self.entry(key, item, indent + 2, first=" " * indent + "- " if i == 0 else None)
        else:
            self.scalar(" " * indent + "- ", value, indent + 2)

    def scalar(self, lead: str, value: Any, indent: int) -> None:
        shown = _plain_scalar(value)
        if isinstance(value, str) and len(lead) + len(shown) > WIDTH and _foldable(value):
            self.lines.append(lead + ">-")
            kept = _UNBROKEN.sub(lambda m: m.group(0).replace(" ", _GLUE), value)
            self.lines += [
                " " * indent + line.replace(_GLUE, " ")
                for line in textwrap.wrap(
                    kept, WIDTH - indent, break_long_words=False, break_on_hyphens=False
                )
            ]
        else:
            self.lines.append(lead + shown)


def _plain_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1 << 20, default_style=None)
    shown = dumped.removesuffix("\n").removesuffix("\n...").strip()
    if shown.startswith("'") and "''" in shown:  # « l''article » reads badly: double quotes
        return json.dumps(value, ensure_ascii=False)
    return shown


def _foldable(value: str) -> bool:
    return value == value.strip() and "\n" not in value and "\t" not in value and "  " not in value


def _header(w: _Writer, lines: Iterable[str]) -> None:
    for line in lines:
        w.comment(line)


def _matter_text(answers: Answers, library: Library, data: dict[str, Any]) -> str:
    w = _Writer()
    names = ", ".join(applicant_label(a) for a in answers.applicants)
    _header(
        w,
        [
            f"Affaire : {names} c/ {answers.act.titre}",
            f"Fichier créé par `requete new` le {dt.date.today().isoformat()}. Il contient ce que "
            "toutes les écritures de l'affaire partagent : les requérants, l'acte attaqué, "
            "l'avocat, les pièces et les faits que lisent les blocs d'arguments. Chaque écriture "
            "(un fichier à côté de celui-ci, `matter: matter.yaml`) le reprend. Format : "
            "docs/format.md (« Matter file »).",
            f"Ce qui reste à faire est marqué {TODO} ou « [à compléter : …] » : un champ absent "
            "ou une telle valeur est imprimé surligné dans le fichier Word, et `requete check` "
            "le signale. Ne rien inventer : laisser le champ à compléter plutôt que d'écrire une "
            "valeur non vérifiée.",
        ],
    )
    w.blank()
    _applicants_text(w, data["requerants"])
    w.blank()
    _act_text(w, data["acte"], answers.act)
    w.blank()
    _counsel_text(w, data.get("avocat"))
    w.blank()
    _pieces_text(w, data["pieces"])
    if "facts" in data:
        w.blank()
        _facts_text(w, data["facts"], answers, library)
    if "instances" in data:
        w.blank()
        w.comment(
            "L'historique procédural : l'instance pendante dans laquelle l'écriture est "
            "produite (numéro, procédure, date d'enregistrement ; `sommaire: true` pour une "
            "requête sommaire qui annonçait un mémoire complémentaire). Ajouter ici les autres "
            "instances de l'affaire et leurs décisions (docs/procedures.md)."
        )
        w.entry("instances", data["instances"])
    return w.text()


def _applicants_text(w: _Writer, applicants: list[dict[str, Any]]) -> None:
    w.comment(
        "Les requérants (R. 411-1 CJA). Une personne morale : denomination, forme, siege, "
        "representant, qualite (« son président »), objet (son objet statutaire, que lisent "
        "les blocs de l'intérêt à agir). Une personne physique : civilite, nom (ses vrais "
        "prénom et nom), domicile."
    )
    w.lines.append("requerants:")
    for data in applicants:
        w.item(data, 2)
        if data.get("personne") == "physique":
            missing = [("domicile", "son domicile")]
        else:
            missing = [
                ("siege", "l'adresse de son siège social"),
                ("representant", "son représentant légal (« M. Jean Dupont »)"),
                ("qualite", "la qualité de ce représentant (« son président »)"),
                ("objet", "son objet statutaire, tel que ses statuts l'énoncent"),
            ]
        for key, what in missing:
            if key not in data:
                w.lines.append(f"    # {key}: {TODO} — {what}")


def _act_text(w: _Writer, acte: dict[str, Any], act: ActAnswer) -> None:
    w.comment(
        "L'acte attaqué : sa nature (son genre en découle : « l'arrêté attaqué », « la "
        "délibération attaquée »), son numéro, son auteur (avec l'article), son titre "
        "officiel (imprimé après CONTRE et dans les conclusions), sa date, sa date de "
        f"{act.event} (le délai de recours en court, R. 421-1 CJA) et la pièce qui le "
        "produit (pièce n° 1, R. 412-1 CJA)."
    )
    w.entry("acte", acte)
    if "numero" not in acte:
        w.lines.append(f"  # numero: {TODO} s'il en a un")
    if "auteur" not in acte:
        w.lines.append(f"  # auteur: {TODO} — l'autorité qui l'a pris, avec l'article")


def _counsel_text(w: _Writer, avocat: dict[str, Any] | None) -> None:
    w.comment(
        "L'avocat qui signe (nom, qualité, adresse) ; absent, la requête imprime « Ayant pour "
        "avocat : [à compléter] »."
    )
    if avocat is None:
        w.lines += [
            "# avocat:",
            f"#   nom: {TODO} — « Me Jeanne Martin »",
            "#   qualite: avocat au Conseil d'État et à la Cour de cassation",
            f"#   adresse: {TODO}",
        ]
        return
    w.entry("avocat", avocat)
    if "adresse" not in avocat:
        w.lines.append(f"  # adresse: {TODO}")


def _pieces_text(w: _Writer, pieces: list[dict[str, Any]]) -> None:
    w.comment(
        "Le catalogue des pièces : l'acte attaqué est la pièce n° 1, les autres sont numérotées "
        "dans l'ordre où le texte les cite. `file:` est le fichier PDF de la pièce (noms sans "
        "accents pour Télérecours, R. 414-5 CJA) ; une pièce sans `file:` est inventoriée "
        "« (à produire) » et `requete bundle` la refuse. Ajouter ici les statuts, les "
        "délibérations habilitant les représentants et toute pièce que le texte cite "
        "(`[pièce:clé]`)."
    )
    w.lines.append("pieces:")
    for piece in pieces:
        w.item(piece, 2)
        w.lines.append(f"    # file: pieces/{piece['key']}.pdf   ({TODO} : le fichier de la pièce)")


def _facts_text(w: _Writer, facts: dict[str, Any], answers: Answers, library: Library) -> None:
    w.comment(
        f"Les faits que lisent les blocs du jeu « {answers.set} » (chacun est déclaré dans "
        "facts/ ; `requete list facts`, `requete show <fait>`). Remplacer chaque « [à "
        "compléter : …] » par la valeur propre à l'affaire, dans les termes où le texte "
        "l'emploiera (avec l'article quand la description le demande)."
    )
    w.lines.append("facts:")
    needs = needed_facts(library, answers.procedure, answers.set)
    for name, value in facts.items():
        decl = library.facts.get(name)
        if decl is not None:
            w.comment(f"{decl.description.strip()}", indent=2)
        if isinstance(value, dict) and decl is not None:
            w.lines.append(f"  {name}:")
            for key, spec in decl.fields.items():
                if key in value:
                    w.entry(key, value[key], 4)
                else:
                    what = " ".join((spec.description or key).split())
                    w.comment(f"{key}: {what} (facultatif)", indent=4)
            continue
        w.entry(name, value, 2)
        need = next((n for n in needs if n.fact == name), None)
        if need is not None and need.type == "integer" and value == 0:
            w.lines.append(f"  # {TODO} : 0 tant que le montant n'est pas fixé")


def _case_text(answers: Answers, library: Library, data: dict[str, Any]) -> str:
    w = _Writer()
    decl = library.procedures.get(answers.procedure)
    name = decl.name if decl else answers.procedure
    chosen = library.sets.get(answers.set)
    _header(
        w,
        [
            f"{name[:1].upper() + name[1:]} — fichier créé par `requete new` le "
            f"{dt.date.today().isoformat()}.",
            "L'affaire (requérants, acte attaqué, avocat, pièces, faits) est dans matter.yaml ; "
            "ce fichier ne porte que ce qui est propre à cette écriture. Tout champ de l'affaire "
            "écrit ici remplace celui de matter.yaml (`facts:` et `pieces:` s'y ajoutent par clé).",
        ],
    )
    w.blank()
    w.entry("matter", data["matter"])
    w.comment("La procédure (`requete list procedures`) : titre, plan, conclusions, délai.")
    w.entry("procedure", data["procedure"])
    if "instance" in data:
        w.comment("L'instance pendante (enregistrée dans `instances:` de matter.yaml).")
        w.entry("instance", data["instance"])
    w.comment(
        "La date de l'écriture (elle parle à cette date ; `requete check` vérifie le délai) : "
        "la mettre à jour au dépôt."
    )
    w.entry("date", data["date"])
    if "place" in data:
        w.entry("place", data["place"])
    else:
        w.lines.append(f"# place: {TODO} — le lieu de signature (« Fait à … »)")
    w.comment(
        "Le jeu d'arguments"
        + (f" : « {chosen.name} »" if chosen else "")
        + ". `requete explain` en liste les blocs ; `remove:`, `add:`, `override:` le "
        "modifient pour cette écriture (README, « Customising an argument set »)."
    )
    w.entry("set", data["set"])
    if "terme" in data:
        w.comment("Le terme défini : « l'exposant » (intervention) plutôt que « le requérant ».")
        w.entry("terme", data["terme"])
    if "add" in data:
        w.comment(
            "L'exposé des faits : celui, minimal, que la bibliothèque tire des faits de l'affaire. "
            "Le remplacer par vos propres blocs de faits (`arguments/` de votre couche) dès que "
            "vous avez les pièces qui les établissent."
        )
        w.entry("add", data["add"])
    return w.text()


# -- writing --------------------------------------------------------------------------------


@dataclass
class Written:
    """The files written and what the filing still lacks."""

    matter: Path
    case: Path
    placeholders: int
    comments: int


def create(answers: Answers, library: Library) -> Written:
    """Write both files into ``answers.directory``, or nothing: they are staged in a new
    directory beside it, checked as ``requete check`` checks them, then renamed into place.
    Raise RequeteError (nothing written) on a problem."""
    from requete.errors import RequeteError

    target = answers.directory
    try:
        refuse_target(target)
    except Invalid as err:
        raise RequeteError(err.message) from None
    texts = render_files(answers, library)
    case_name = case_file_name(answers.procedure)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as err:
        raise RequeteError(
            _("cannot write in {folder}: {reason}").format(
                folder=_shown(target.parent), reason=err.strerror or err
            )
        ) from None
    try:
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        counts = _verify(staging / case_name)
        _move(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(target / MATTER_FILE, target / case_name, *counts)


def _umask() -> int:
    from requete.output import current_umask

    return current_umask()


def _verify(case_path: Path) -> tuple[int, int]:
    """Check the staged case as ``requete check`` does; (placeholders, comments) left."""
    from requete import pipeline
    from requete.document import placeholders
    from requete.errors import RequeteError, ValidationFailed

    session = pipeline.open_case(case_path)
    errors: list[Problem] = [p for p in session.problems if p.severity == "error"]
    document = None
    if not errors:
        try:
            document = pipeline.assemble_document(session, typography=False, with_manifest=False)
        except ValidationFailed as failed:
            errors = [p for p in failed.problems if p.severity == "error"]
        except RequeteError as err:
            from requete.errors import Problem as Found

            errors = [Found("error", err.message)]
    if errors or document is None:
        shown = "\n".join(f"  {p.message}" for p in errors[:10])
        raise RequeteError(
            ngettext(
                "the files for this matter would not check ({count} error); nothing was "
                "written:\n{errors}",
                "the files for this matter would not check ({count} errors); nothing was "
                "written:\n{errors}",
                len(errors),
            ).format(count=len(errors), errors=shown)
        )
    return len(placeholders(document)), len(document.comments)


def _move(staging: Path, target: Path) -> None:
    """Rename the staged directory to ``target`` (new, or an empty directory)."""
    from requete.errors import RequeteError

    try:
        if target.is_dir():
            target.rmdir()  # empty (checked); fails if someone wrote in it meanwhile
        os.rename(staging, target)
    except OSError as err:
        raise RequeteError(
            _("cannot create {path}: {reason}; nothing was written").format(
                path=_shown(target), reason=err.strerror or err
            )
        ) from None


def next_commands(written: Written, cwd: Path) -> list[str]:
    """The three commands to run next, with paths relative to ``cwd``."""
    import shlex

    case = shlex.quote(relative(written.case, cwd))
    docx = shlex.quote(relative(written.case.with_suffix(".docx"), cwd))
    return [
        f"requete check {case}",
        f"requete build {case} -o {docx}",
        f"requete explain {case}",
    ]
