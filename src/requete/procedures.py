"""Pure: what a filing's procedure (``procedures/<id>.yaml``) requires of it — its sections,
blocks, facts and instance, its time limit, and what the matter's procedural history says
about it (a second REP against the same act, a new référé after a rejected one)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from requete.errors import Problem
from requete.french import NBSP, NNBSP, date_fr
from requete.i18n import _
from requete.model import Block, Case, Instance, ProcedureDecl

if TYPE_CHECKING:
    from requete.document import Document
    from requete.library import Library
    from requete.overlay import ResolvedBlock


def declared_sections(library: Library) -> set[str]:
    """Every section some procedure of the library lays out."""
    return {s for p in library.procedures.values() for s in p.sections}


def block_procedure_problems(block: Block, library: Library) -> list[Problem]:
    """A block's section must be declared by a procedure; its ``procedures`` must exist."""
    from requete.errors import did_you_mean

    out = []
    origin = block.origin
    sections = declared_sections(library)
    if block.section not in sections:
        hint = did_you_mean(block.section, sections)
        out.append(
            Problem(
                "error",
                _(
                    "block '{id}': section '{section}' is declared by no procedure"
                    "{hint} (procedures/*.yaml lay out: {sections})"
                ).format(
                    id=block.id,
                    section=block.section,
                    hint=hint,
                    sections=", ".join(sorted(sections)),
                ),
                origin.path,
                origin.line_of("section"),
            )
        )
    for i, name in enumerate(block.procedures or []):
        if name not in library.procedures:
            hint = did_you_mean(name, library.procedures.names())
            out.append(
                Problem(
                    "error",
                    _("block '{id}': unknown procedure '{name}'{hint}").format(
                        id=block.id, name=name, hint=hint
                    ),
                    origin.path,
                    origin.line_of("procedures", i),
                )
            )
    return out


def procedure_problems(
    case: Case,
    library: Library,
    blocks: list[ResolvedBlock],
    notes: bool = True,
    same_applicants: bool = True,
) -> list[Problem]:
    """Everything the case's procedure requires, its deadline and, when the matter's
    instances are the same applicants' (the case keeps the matter's `requerants`), its
    procedural history."""
    from requete.errors import did_you_mean

    origin = case.origin
    procedure = library.procedures.get(case.procedure)
    if procedure is None:
        hint = did_you_mean(case.procedure, library.procedures.names())
        names = ", ".join(sorted(library.procedures.names()))
        return [
            Problem(
                "error",
                _(
                    "unknown procedure '{name}'{hint} (the library has: {names}); "
                    "a layer may add one in procedures/"
                ).format(name=case.procedure, hint=hint, names=names),
                origin.path_of("procedure"),
                origin.line_of("procedure"),
            )
        ]
    out = _layout_problems(case, procedure, blocks)
    out += _required(case, procedure, library, blocks)
    out += _instance_problems(case, procedure)
    out += deadline_problems(case, procedure, notes)
    if same_applicants:
        out += _history_problems(case, procedure)
    return out


def _layout_problems(
    case: Case, procedure: ProcedureDecl, blocks: list[ResolvedBlock]
) -> list[Problem]:
    out = []
    sections = procedure.sections
    for resolved in blocks:
        block = resolved.block
        if block.section not in sections:
            out.append(
                Problem(
                    "error",
                    _(
                        "block '{id}' is in section '{section}', which a "
                        "{procedure} does not have (it has: {sections}); "
                        "move it to one of these or remove it"
                    ).format(
                        id=block.id,
                        section=block.section,
                        procedure=procedure.name,
                        sections=", ".join(sections),
                    ),
                    resolved.path,
                    resolved.line,
                )
            )
    return out


def _required(
    case: Case, procedure: ProcedureDecl, library: Library, blocks: list[ResolvedBlock]
) -> list[Problem]:
    origin = case.origin
    where = (origin.path_of("procedure"), origin.line_of("procedure"))
    present = {b.id for b in blocks}
    used = {b.block.section for b in blocks}
    out = []
    for section in procedure.requires.sections:
        if section not in used:
            out.append(
                Problem(
                    "error",
                    _(
                        "a {procedure} needs a block in section '{section}'; "
                        "add one to the set or the case"
                    ).format(procedure=procedure.name, section=section),
                    *where,
                )
            )
    for ident in procedure.requires.blocks:
        if ident not in present:
            message = _("a {procedure} needs the block '{id}'").format(
                procedure=procedure.name, id=ident
            )
            out.append(Problem("error", message, *where))
    for name in procedure.requires.facts:
        if name not in case.facts:
            decl = library.facts.get(name)
            what = f" ({decl.description.rstrip('.')})" if decl else ""
            out.append(
                Problem(
                    "error",
                    _(
                        "a {procedure} needs the fact '{name}'{what}; give it under "
                        "`facts:` in the matter or the case"
                    ).format(procedure=procedure.name, name=name, what=what),
                    origin.path_of("facts") if case.facts else where[0],
                    origin.line_of("facts") if case.facts else where[1],
                )
            )
    return out


def _instance_problems(case: Case, procedure: ProcedureDecl) -> list[Problem]:
    from requete.errors import did_you_mean

    origin = case.origin
    if case.instance is None:
        if procedure.requires.instance:
            return [
                Problem(
                    "error",
                    _(
                        "a {procedure} is filed in a pending instance: give its number with "
                        "`instance: <n°>` and record it under `instances:` in the matter"
                    ).format(procedure=procedure.name),
                    origin.path_of("procedure"),
                    origin.line_of("procedure"),
                )
            ]
        return []
    if own_instance(case) is None:
        numbers = [i.numero for i in case.instances]
        return [
            Problem(
                "error",
                _(
                    "instance n° {number} is not in the matter's `instances:`"
                    "{hint}; record it there (number, procedure, "
                    "date of registration)"
                ).format(number=case.instance, hint=did_you_mean(case.instance, numbers)),
                origin.path_of("instance"),
                origin.line_of("instance"),
            )
        ]
    return []


def own_instance(case: Case) -> Instance | None:
    """The instance the filing belongs to (``instance:``), when the matter records it."""
    return next((i for i in case.instances if i.numero == case.instance), None)


def deadline_problems(case: Case, procedure: ProcedureDecl, notes: bool = True) -> list[Problem]:
    """The procedure's time limit: an error when the filing is late, else a note."""
    from requete.deadline import (
        compute_after_registration,
        compute_deadline,
        expiry_before_prorogation,
    )

    rule, origin = procedure.deadline, case.origin
    where = (origin.path_of("date"), origin.line_of("date"))
    if rule.rule == "aucun":
        message = _("deadline: none ({rule})").format(rule=rule.text)
        return [Problem("note", message, *where)] if notes else []
    if rule.rule == "instance":
        instance = own_instance(case)
        if instance is None:
            return []
        deadline = compute_after_registration(instance.enregistrement, rule.months)
        start = instance.enregistrement
        since = _("registration of n° {number} on {start}").format(
            number=instance.numero, start=start
        )
    else:
        act = case.acte
        start_or_none = act.notification or act.publication
        if start_or_none is None:
            return []
        start = start_or_none
        if not notes and case.date <= expiry_before_prorogation(start, rule.months):
            return []  # in time whatever the holidays: no need to load the calendar
        which = "notification" if act.notification else "publication"
        deadline = compute_deadline(start, rule.months, which)
        if act.notification:
            since = _("notification on {start}").format(start=start)
        else:
            since = _("publication on {start}").format(start=start)
    last = date_fr(deadline.last_day, weekday=True)
    if case.date > deadline.last_day:
        return [
            Problem(
                "error",
                _(
                    "the filing date {date} is after the last day to file, {last} "
                    "({since}; {rule} See `requete deadline {start} "
                    "--procedure {procedure}`)"
                ).format(
                    date=case.date,
                    last=last,
                    since=since,
                    rule=rule.text,
                    start=start,
                    procedure=procedure.id,
                ),
                *where,
            )
        ]
    if not notes:
        return []
    message = _("deadline: last day to file is {last} ({since})").format(last=last, since=since)
    return [Problem("note", message, *where)]


def _known_history(case: Case) -> list[Instance]:
    """The instances brought before the filing's date (the filing speaks as of it; one
    registered that very day is the filing itself or its twin, such as the référé filed with
    the requête au fond)."""
    return [i for i in case.instances if i.enregistrement < case.date]


def _decided(instance: Instance, on: dt.date) -> bool:
    return instance.decision is not None and instance.decision.date <= on


def _history_problems(case: Case, procedure: ProcedureDecl) -> list[Problem]:
    """A second REP of the same applicants against the same act duplicates the first."""
    if procedure.repeat != "unique":
        return []
    origin = case.origin
    out = []
    for instance in _known_history(case):
        if instance.procedure != case.procedure or instance.numero == case.instance:
            continue
        state = _("decided") if _decided(instance, case.date) else _("pending")
        out.append(
            Problem(
                "warning",
                _(
                    "the matter records requête n° {number} ({procedure}, "
                    "registered on {registered}, {state}) against the same act: a "
                    "second one would duplicate it; file in that instance instead (for example "
                    "`procedure: memoire-complementaire` with `instance: {number}`)"
                ).format(
                    number=instance.numero,
                    procedure=procedure.name,
                    registered=instance.enregistrement,
                    state=state,
                ),
                origin.path_of("procedure"),
                origin.line_of("procedure"),
            )
        )
    return out


def renewal_problems(case: Case, procedure: ProcedureDecl, document: Document) -> list[Problem]:
    """A new référé after a rejected one: disclose the first ordonnance and bring new
    elements — no admissibility rule requires « circonstances nouvelles » (CE, Sect.,
    22 septembre 2023, n° 472210), but that is what the judge will look for."""
    if procedure.repeat != "renewable":
        return []
    origin = case.origin
    text = " ".join(p.text for p in document.body).replace(NBSP, " ").replace(NNBSP, " ")
    out = []
    for instance in _known_history(case):
        decision = instance.decision
        if instance.procedure != case.procedure or instance.numero == case.instance:
            continue
        if not _decided(instance, case.date):
            continue
        if decision is None or decision.sens != "rejet":
            continue
        missing = []
        if instance.numero not in text:
            missing.append(
                _("disclose the ordonnance n° {number} in the facts").format(number=instance.numero)
            )
        if "elements_nouveaux" not in case.facts:
            missing.append(_("state what the first judge did not have (fact `elements_nouveaux`)"))
        if missing:
            why = (
                " " + _("for lack of {motif}").format(motif=decision.motif)
                if decision.motif
                else ""
            )
            todo = (
                _("{first} and {second}").format(first=missing[0], second=missing[1])
                if len(missing) == 2
                else missing[0]
            )
            out.append(
                Problem(
                    "warning",
                    _(
                        "the same applicants' {procedure} n° {number} was rejected "
                        "on {date}{why}: no rule bars a new request (CE, Sect., "
                        "22 septembre 2023, n° 472210; L. 521-4 does not apply after a "
                        "rejection, CE, ord., 9 août 2024, n° 496553), but {todo}"
                    ).format(
                        procedure=procedure.name,
                        number=instance.numero,
                        date=decision.date,
                        why=why,
                        todo=todo,
                    ),
                    origin.path_of("procedure"),
                    origin.line_of("procedure"),
                )
            )
    return out


def describe_procedure_deadline(
    library: Library, ident: str, day: dt.date, origin: str, months: int | None
) -> list[str]:
    """The time limit of procedure ``ident`` for ``day``, as French lines; the ISO last day
    alone on the last line when there is one."""
    from requete.deadline import (
        compute_after_registration,
        compute_deadline,
        describe_deadline,
    )
    from requete.errors import RequeteError, did_you_mean

    procedure = library.procedures.get(ident)
    if procedure is None:
        hint = did_you_mean(ident, library.procedures.names())
        names = ", ".join(sorted(library.procedures.names()))
        raise RequeteError(
            _("unknown procedure '{name}'{hint} (known: {names})").format(
                name=ident, hint=hint, names=names
            )
        )
    rule = procedure.deadline
    lines = [f"Procédure : {procedure.name}.", f"Règle : {rule.text}"]
    if rule.source:
        lines.append(f"Source : {rule.source}.")
    if rule.rule == "aucun":
        lines.append("Pas de délai de dépôt à calculer pour cette procédure.")
        return lines
    if rule.rule == "instance":
        result = compute_after_registration(day, months or rule.months)
    else:
        result = compute_deadline(day, months=months or rule.months, origin=origin)
    return lines + describe_deadline(result)
