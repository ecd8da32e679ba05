"""The matter file as a form: applicants, the contested act, counsel, facts and application
parts, one field per value, named by its path in the file (``f:acte.titre``,
``f:requerants.0.siege``); read back into typed changes, each wrong value named at its field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from requete.errors import RequeteError
from requete.french import NBSP
from requete.studio.edits import Key

PARTY_FIELDS = (
    ("denomination", "Dénomination"),
    ("civilite", "Civilité"),
    ("nom", "Nom"),
    ("forme", "Forme"),
    ("siege", "Siège"),
    ("domicile", "Domicile"),
    ("representant", "Représentant légal"),
    ("qualite", "Qualité du représentant"),
    ("objet", "Objet statutaire"),
)
ACT_FIELDS = (
    ("nature", "Nature"),
    ("numero", "Numéro"),
    ("auteur", "Auteur"),
    ("titre", "Intitulé officiel"),
    ("date", "Date"),
    ("publication", "Date de publication"),
    ("notification", "Date de notification"),
)
COUNSEL_FIELDS = (
    ("nom", "Nom"),
    ("qualite", "Qualité"),
    ("adresse", "Adresse"),
    ("email", "Courriel"),
)
REQUIRED = {("acte", "nature"), ("acte", "titre"), ("acte", "date")}


@dataclass
class Field:
    """One value of the matter file."""

    name: str  # f:acte.titre
    label: str
    value: str
    kind: str = "text"  # text, long, date, integer, number, boolean
    help: str = ""


@dataclass
class Group:
    """A heading of the form and its fields."""

    title: str
    fields: list[Field] = field(default_factory=list)


class FieldError(RequeteError):
    """Values that cannot be written, each at its field."""

    def __init__(self, errors: dict[str, str], message: str | None = None):
        super().__init__(
            message
            or "Certaines valeurs ne peuvent être enregistrées : elles sont indiquées à chaque "
            "champ. Rien n'a été écrit."
        )
        self.errors = errors


def _name(path: tuple[Key, ...]) -> str:
    return "f:" + ".".join(str(k) for k in path)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    return "" if value is None else str(value).strip()


def _kind(value: Any, default: str = "text") -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str) and (len(value) > 80 or "\n" in value.strip()):
        return "long"
    return default


def matter_fields(data: dict[str, Any]) -> list[Group]:
    """The editable values of a matter file, grouped as a lawyer reads them."""
    groups: list[Group] = []
    parties = data.get("requerants")
    if isinstance(parties, list):
        for index, party in enumerate(parties):
            if not isinstance(party, dict):
                continue
            natural = party.get("personne") == "physique"
            group = Group(f"Requérant n° {index + 1}")
            for key, label in PARTY_FIELDS:
                if natural and key in (
                    "denomination",
                    "forme",
                    "siege",
                    "representant",
                    "qualite",
                    "objet",
                ):
                    continue
                if not natural and key in ("civilite", "nom", "domicile"):
                    continue
                value = party.get(key)
                kind = "long" if key == "objet" else _kind(value)
                group.fields.append(
                    Field(_name(("requerants", index, key)), label, _shown(value), kind)
                )
            groups.append(group)
    act = data.get("acte")
    if isinstance(act, dict):
        group = Group("Acte attaqué")
        for key, label in ACT_FIELDS:
            value = act.get(key)
            kind = "date" if key in ("date", "publication", "notification") else _kind(value)
            if key == "titre":
                kind = "long"
            group.fields.append(Field(_name(("acte", key)), label, _shown(value), kind))
        groups.append(group)
    counsel = data.get("avocat")
    if isinstance(counsel, dict):
        group = Group("Avocat")
        for key, label in COUNSEL_FIELDS:
            group.fields.append(Field(_name(("avocat", key)), label, _shown(counsel.get(key))))
        groups.append(group)
    facts = data.get("facts")
    if isinstance(facts, dict) and facts:
        group = Group("Faits de l'affaire (lus par les arguments)")
        for key, value in facts.items():
            if not isinstance(key, str) or "." in key:
                continue  # not a fact name (`check` says so); edited in the file
            if isinstance(value, dict):
                for sub, inner in value.items():
                    if _editable(inner):
                        group.fields.append(
                            Field(
                                _name(("facts", key, sub)),
                                f"{key}.{sub}",
                                _shown(inner),
                                _kind(inner),
                            )
                        )
            elif _editable(value):
                group.fields.append(
                    Field(_name(("facts", key)), str(key), _shown(value), _kind(value))
                )
        groups.append(group)
    parts = data.get("applications")
    if isinstance(parts, list) and parts:
        group = Group("Applications propres à l'affaire (la « mineure » de chaque moyen)")
        for index, part in enumerate(parts):
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                group.fields.append(
                    Field(
                        _name(("applications", index, "text")),
                        f"Application du bloc « {part.get('block')} »",
                        _shown(part["text"]),
                        "long",
                    )
                )
        groups.append(group)
    return groups


def _editable(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | dt.date)


def _path(name: str) -> tuple[Key, ...]:
    return tuple(int(p) if p.isdigit() else p for p in name.removeprefix("f:").split("."))


def _current(data: Any, path: tuple[Key, ...]) -> Any:
    node = data
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def changes_from(
    data: dict[str, Any], typed: dict[str, str], today: dt.date
) -> dict[tuple[Key, ...], Any]:
    """The values typed, as the file's types (dates, numbers, yes/no), for the fields that
    changed; FieldError names every value that cannot be read."""
    from requete.newmatter import Invalid, parse_date, parse_yes_no

    known = {f.name: f for group in matter_fields(data) for f in group.fields}
    errors: dict[str, str] = {}
    changes: dict[tuple[Key, ...], Any] = {}
    for name, text in typed.items():
        found = known.get(name)
        if found is None:
            raise FieldError(
                {},
                f"Le champ {name.removeprefix('f:')!r} n'est plus dans le fichier "
                "d'affaire (modifié entre-temps ?) : rechargez la page. Rien n'a été écrit.",
            )
        path = _path(name)
        text = text.replace("\r\n", "\n").strip()
        if text == found.value.strip():
            continue
        if not text:
            if path in REQUIRED:
                errors[name] = "Ce champ est obligatoire."
                continue
            changes[path] = None
            continue
        try:
            if found.kind == "date":
                changes[path] = parse_date(text, today)
            elif found.kind == "integer":
                changes[path] = int(text.replace(" ", "").replace(NBSP, ""))
            elif found.kind == "number":
                changes[path] = float(text.replace(",", "."))
            elif found.kind == "boolean":
                changes[path] = parse_yes_no(text, bool(_current(data, path)))
            else:
                changes[path] = text
        except Invalid as invalid:
            errors[name] = invalid.message
        except ValueError:
            errors[name] = "Un nombre est attendu."
    if errors:
        raise FieldError(errors)
    return changes
