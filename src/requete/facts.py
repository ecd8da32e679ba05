"""Pure: a matter's facts checked against the types the library declares, and made ready for
block text (dates as ISO text, records as mappings, missing optional fields as None)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from requete.errors import Problem
from requete.i18n import N_, _
from requete.model import Case, FactDecl, FactField, Origin

# What a value of each type is, in words (translated where it is shown).
TYPE_WORDS = {
    "text": N_("a text"),
    "name": N_("a name (text)"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "date": N_("a date written YYYY-MM-DD"),
    "boolean": N_("true or false"),
    "choice": N_("one of the listed values"),
    "piece": N_("the key of a pièce of the matter"),
    "list": N_("a list"),
    "record": N_("a mapping of fields"),
}


@dataclass
class FactCheck:
    """The facts ready for block text, and the problems found in them."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def check_facts(case: Case, declared: Mapping[str, FactDecl]) -> FactCheck:
    """Type-check every fact the case (or its matter) gives; unknown names are errors."""
    from requete.errors import did_you_mean

    out = FactCheck()
    origin = case.origin
    pieces = {p.key for p in case.pieces}
    for name, value in case.facts.items():
        where = (origin.path_of("facts", name), origin.line_of("facts", name))
        decl = declared.get(name)
        if decl is None:
            hint = did_you_mean(name, declared.keys())
            out.problems.append(
                Problem(
                    "error",
                    _(
                        "unknown fact '{name}'{hint}: no library layer declares it "
                        "(add facts/{name}.yaml to your layer, or fix the name)"
                    ).format(name=name, hint=hint),
                    *where,
                )
            )
            continue
        checker = _Checker(origin, pieces, out.problems)
        out.values[name] = checker.value(decl, value, ("facts", name), name)
    return out


@dataclass
class _Checker:
    origin: Origin
    pieces: set[str]
    problems: list[Problem]

    def _error(self, loc: tuple[str | int, ...], message: str) -> None:
        path: Path = self.origin.path_of(*loc)
        self.problems.append(Problem("error", message, path, self.origin.line_of(*loc)))

    def value(self, decl: FactDecl, value: Any, loc: tuple[str | int, ...], name: str) -> Any:
        if decl.type == "record":
            return self._record(decl, value, loc, name)
        if decl.type == "list":
            if not isinstance(value, list):
                self._error(
                    loc, _("fact '{name}' must be a list (a YAML sequence)").format(name=name)
                )
                return []
            return [
                self._scalar(decl.items, None, item, (*loc, i), f"{name}[{i}]")
                for i, item in enumerate(value)
            ]
        return self._scalar(decl.type, decl.values, value, loc, name)

    def _record(self, decl: FactDecl, value: Any, loc: tuple[str | int, ...], name: str) -> Any:
        from requete.errors import did_you_mean

        if not isinstance(value, dict):
            fields = ", ".join(decl.fields)
            self._error(
                loc,
                _("fact '{name}' must be a mapping with the fields {fields}").format(
                    name=name, fields=fields
                ),
            )
            return {}
        out: dict[str, Any] = {}
        for key in value:
            if key not in decl.fields:
                hint = did_you_mean(str(key), decl.fields.keys())
                allowed = ", ".join(decl.fields)
                self._error(
                    (*loc, key),
                    _("fact '{name}' has no field '{key}'{hint} ({allowed})").format(
                        name=name, key=key, hint=hint, allowed=allowed
                    ),
                )
        for key, spec in decl.fields.items():
            if key not in value:
                if not spec.optional:
                    self._error(
                        loc,
                        _("fact '{name}' misses its field '{key}' ({about})").format(
                            name=name, key=key, about=_about(spec)
                        ),
                    )
                out[key] = None
                continue
            out[key] = self._scalar(
                spec.type, spec.values, value[key], (*loc, key), f"{name}.{key}"
            )
        return out

    def _scalar(
        self,
        kind: str,
        values: Iterable[str] | None,
        value: Any,
        loc: tuple[str | int, ...],
        name: str,
    ) -> Any:
        ok = _fits(kind, value)
        if ok and kind == "choice" and str(value) not in list(values or []):
            ok = False
        if ok and kind == "piece" and value not in self.pieces:
            from requete.errors import did_you_mean

            hint = did_you_mean(str(value), self.pieces)
            self._error(
                loc,
                _("fact '{name}': no pièce '{value}' in `pieces:`{hint}").format(
                    name=name, value=value, hint=hint
                ),
            )
            return value
        if not ok:
            expected = _(TYPE_WORDS[kind])
            if kind == "choice":
                expected = _("one of {values}").format(values=", ".join(values or []))
            self._error(
                loc,
                _("fact '{name}' must be {expected}, found {value}").format(
                    name=name, expected=expected, value=repr(value)
                ),
            )
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


def _fits(kind: str, value: Any) -> bool:
    if kind in ("text", "name", "choice", "piece"):
        return isinstance(value, str) and bool(value.strip())
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "boolean":
        return isinstance(value, bool)
    return False


def _about(spec: FactField) -> str:
    return spec.description or _(TYPE_WORDS[spec.type])


def names_in(decl: FactDecl, value: Any) -> list[str]:
    """The texts of type ``name`` in a fact's value (for the leak check)."""
    if decl.type == "name" and isinstance(value, str):
        return [value]
    if decl.type == "list" and decl.items == "name" and isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if decl.type == "record" and isinstance(value, dict):
        return [
            value[k]
            for k, spec in decl.fields.items()
            if spec.type == "name" and isinstance(value.get(k), str)
        ]
    return []
