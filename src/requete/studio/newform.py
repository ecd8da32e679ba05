"""The new matter as a form: the questions of ``requete new``, each field checked on its own
as it is typed (against the JSON Schema of the matter file, then by the same parser as the
command line's question) and all of them again when the form is sent. Errors are attached to
their field, in the language of the messages (French in the studio)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from requete import newmatter as nm
from requete.i18n import _

if TYPE_CHECKING:
    from collections.abc import Mapping

    from requete.api import Library

APPLICANT_ROWS = 3

# form field -> (definition in the matter's JSON Schema, property)
SCHEMA_FIELDS: dict[str, tuple[str, str]] = {
    "act_nature": ("Act", "nature"),
    "act_number": ("Act", "numero"),
    "act_author": ("Act", "auteur"),
    "act_title": ("Act", "titre"),
    "counsel": ("Counsel", "nom"),
    **{f"applicant{i}_name": ("Party", "denomination") for i in range(APPLICANT_ROWS)},
    **{f"applicant{i}_objet": ("Party", "objet") for i in range(APPLICANT_ROWS)},
    **{f"applicant{i}_siege": ("Party", "siege") for i in range(APPLICANT_ROWS)},
}


@cache
def _definitions() -> dict[str, Any]:
    from requete.api import file_schema

    return dict(file_schema("matter").get("$defs", {}))


def field_schema(name: str) -> dict[str, Any] | None:
    """The JSON Schema of a form field's value (a property of the matter file), or None."""
    where = SCHEMA_FIELDS.get(name)
    if where is None:
        return None
    definition = _definitions().get(where[0], {})
    prop = definition.get("properties", {}).get(where[1])
    if prop is None:
        return None
    for choice in prop.get("anyOf", [prop]):
        if choice.get("type") == "string":
            return dict(choice)
    return None


def html_attributes(name: str) -> dict[str, str]:
    """``maxlength``, ``pattern`` and ``minlength`` from the field's JSON Schema."""
    schema = field_schema(name) or {}
    out = {}
    if "maxLength" in schema:
        out["maxlength"] = str(schema["maxLength"])
    if "minLength" in schema:
        out["minlength"] = str(schema["minLength"])
    return out


def schema_error(name: str, value: str) -> str | None:
    """The field's value checked against its JSON Schema, the message in French."""
    import jsonschema

    schema = field_schema(name)
    if schema is None or not value:
        return None
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(value)
    )
    if error is None:
        return None
    if error.validator == "maxLength":
        return _("at most {count} characters").format(count=schema["maxLength"])
    if error.validator == "minLength":
        return _("an answer is required")
    if error.validator == "pattern":
        return _("lower-case letters, digits, « . », « _ » and « - » only")
    return str(error.message)


@dataclass
class Form:
    """What the user typed and what is wrong with it, field by field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    answers: nm.Answers | None = None

    def get(self, name: str, default: str = "") -> str:
        """The value typed in a field."""
        return self.values.get(name, default)


def _check(form: Form, name: str, parse: Any, *args: Any, required: bool = True) -> Any:
    """Parse one field; its error is kept at the field and None returned."""
    value = form.get(name).strip()
    if not value and not required:
        return None
    problem = schema_error(name, value)
    if problem:
        form.errors[name] = problem
        return None
    try:
        return parse(value, *args)
    except nm.Invalid as invalid:
        form.errors[name] = invalid.message
        return None


def read_form(values: Mapping[str, str], library: Library, root: Path, today: dt.date) -> Form:
    """Every field checked; ``answers`` set when none is wrong."""
    form = Form({k: str(v) for k, v in values.items()})
    procedure = _check(form, "procedure", nm.parse_procedure, library)
    instance = None
    if procedure and nm.needs_instance(library, procedure):
        number = _check(form, "instance_number", nm.parse_instance_number)
        registered = _check(form, "instance_date", nm.parse_date, today)
        form.values.setdefault("instance_procedure", "annulation")
        of = _check(form, "instance_procedure", nm.parse_procedure, library)
        if number and registered and of:
            sommaire = nm.asks_sommaire(library, procedure) and bool(form.get("instance_sommaire"))
            instance = nm.InstanceAnswer(number, of, registered, sommaire)
    nature = _check(form, "act_nature", nm.parse_nature)
    genre = None
    if nature and nm.nature_gender(nature) is None:
        genre = _check(form, "act_gender", nm.parse_genre)
    number = _check(form, "act_number", nm.parse_optional, required=False)
    author = _check(form, "act_author", nm.parse_optional, required=False)
    title = _check(form, "act_title", nm.parse_required)
    act_date = _check(form, "act_date", nm.parse_date, today)
    event = _check(form, "event", nm.parse_event) or nm.parse_event("publication")
    event_date = None
    if act_date:
        event_date = _check(form, "event_date", nm.parse_event_date, act_date, event, today)
    act = None
    if nature and title and act_date and event_date:
        act = nm.ActAnswer(nature, title, act_date, event, event_date, genre, author, number)
    applicants = _applicants(form)
    counsel = _counsel(form)
    filing = None
    if act and procedure:
        filing = _check(
            form, "filing_date", nm.parse_filing_date, library, procedure, act, instance
        )
    place = _check(form, "place", nm.parse_optional, required=False)
    if procedure and not form.get("set").strip():  # the most specific set, as `requete new`
        choices = nm.set_choices(library, procedure)
        form.values["set"] = choices[0][0] if choices else ""
    chosen = _check(form, "set", nm.parse_set, library, procedure) if procedure else None
    facts = _facts(form, library, procedure, chosen, today) if chosen and procedure else {}
    directory = None
    if form.get("directory").strip():
        directory = _check(form, "directory", _parse_directory, root)
    elif applicants and act:
        form.values["directory"] = nm.default_directory(applicants, act)
        directory = _check(form, "directory", _parse_directory, root)
    if form.errors or not (procedure and act and applicants and filing and chosen and directory):
        return form
    form.answers = nm.Answers(
        procedure=procedure,
        act=act,
        applicants=applicants,
        set=chosen,
        filing_date=filing,
        directory=directory,
        place=place,
        instance=instance,
        counsel=counsel,
        facts=facts,
        terme="exposant" if nm.default_terme(procedure) == "exposant" else "requerant",
    )
    return form


def _parse_directory(text: str, root: Path) -> Path:
    """A new folder directly inside the studio's folder."""
    value = nm.parse_required(text)
    if "/" in value or "\\" in value or value.startswith((".", "~")):
        raise nm.Invalid(_("give a folder name, without « / »"))
    return nm.parse_directory(value, root)  # a valid file name, a new or empty folder


def _applicants(form: Form) -> list[dict[str, Any]]:
    out = []
    for i in range(APPLICANT_ROWS):
        name = form.get(f"applicant{i}_name").strip()
        if not name:
            continue
        kind = form.get(f"applicant{i}_kind").strip() or "association"
        fields: dict[str, str | None] = {}
        for key in ("objet", "siege", "representant"):
            if form.get(f"applicant{i}_{key}").strip():
                problem = schema_error(f"applicant{i}_{key}", form.get(f"applicant{i}_{key}"))
                if problem:
                    form.errors[f"applicant{i}_{key}"] = problem
                fields[key] = form.get(f"applicant{i}_{key}").strip()
        if kind == nm.NATURAL:
            if "siege" in fields:
                fields["domicile"] = fields.pop("siege")
            fields.pop("objet", None)
            fields.pop("representant", None)
        try:
            out.append(nm.make_applicant(name, nm.parse_kind(kind), fields))
        except nm.Invalid as invalid:
            form.errors[f"applicant{i}_name"] = invalid.message
    if not out and "applicant0_name" not in form.errors:
        form.errors["applicant0_name"] = _("give at least one applicant")
    return out


def _counsel(form: Form) -> nm.CounselAnswer | None:
    name = form.get("counsel").strip()
    if not name:
        return None
    problem = schema_error("counsel", name)
    if problem:
        form.errors["counsel"] = problem
        return None
    try:
        kind = nm.parse_counsel_kind(form.get("counsel_kind") or "conseils")
        capacity = nm.counsel_capacity(kind, form.get("counsel_detail"))
    except nm.Invalid as invalid:
        form.errors["counsel_detail"] = invalid.message
        return None
    address = form.get("counsel_address").strip() or None
    email = None
    if form.get("counsel_email").strip():
        try:
            email = nm.parse_email(form.get("counsel_email"))
        except nm.Invalid as invalid:
            form.errors["counsel_email"] = invalid.message
    return nm.CounselAnswer(name, capacity, address, email)


def fact_field(need: nm.FactNeed) -> str:
    """The form field of a fact the filing needs."""
    return "fact_" + need.name.replace(".", "__")


def fact_needs(library: Library, procedure: str | None, set_id: str | None) -> list[nm.FactNeed]:
    """The facts to ask for: those that cannot be left « [à compléter] »."""
    if not procedure or not set_id or set_id not in library.sets.names():
        return []
    if nm.set_problem(library, procedure, set_id) is not None:
        return []
    return [n for n in nm.needed_facts(library, procedure, set_id) if n.asked]


def _facts(
    form: Form, library: Library, procedure: str, set_id: str, today: dt.date
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for need in fact_needs(library, procedure, set_id):
        name = fact_field(need)
        if need.type != "list":
            value = _check(form, name, lambda text, n=need: nm.parse_fact_value(n, text, today))
            if value is not None:
                values[need.name] = value
            continue
        items = []  # a list: one item per line
        for line in form.get(name).splitlines() or [""]:
            try:
                items.append(nm.parse_fact_value(need, line, today))
            except nm.Invalid as invalid:
                form.errors[name] = invalid.message
                break
        values[need.name] = items
    return values


def live_errors(form: Form) -> dict[str, str]:
    """The errors to show while the user types: only at fields already filled in (an empty
    field is not wrong yet)."""
    return {k: v for k, v in form.errors.items() if form.get(k).strip()}
