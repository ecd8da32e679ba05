"""Pure: the frame of a filing around its blocks — POUR, CONTRE, the docket line, the opening
of the conclusions and the signature — in the words of its procedure and in agreement with
its applicants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from requete.agreement import Group, PartyView, capital
from requete.document import Run
from requete.french import NBSP, date_fr
from requete.markup import scan
from requete.model import Case

TODO = "[à compléter]"
Fixer = Callable[[str], str]


def text_runs(text: str) -> list[Run]:
    """A frame text (a party's name, a seat) whose « [à compléter : …] » become highlighted
    placeholders, as in the blocks."""
    return [Run(t.source, todo=t.kind == "todo") for t in scan(text, ("todo",))]


def merge_runs(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same formatting; drop empty ones."""
    out: list[Run] = []
    for run in runs:
        last = out[-1] if out else None
        if (
            last is not None
            and last.piece is None
            and run.piece is None
            and (last.italic, last.bold, last.todo) == (run.italic, run.bold, run.todo)
        ):
            out[-1] = Run(last.text + run.text, run.italic, run.bold, run.todo)
        elif run.text:
            out.append(run)
    return out


def _typeset(runs: tuple[Run, ...] | list[Run], fix: Fixer) -> tuple[Run, ...]:
    """The frame's own words (« , dont le siège est », « ; ») through the typography pass
    the blocks get; placeholders as they are."""
    return tuple(r if r.todo else replace(r, text=fix(r.text)) for r in runs)


def parties(group: Group, fix: Fixer) -> list[tuple[Run, ...]]:
    """The POUR list: each applicant, the last one followed by the defined term."""
    out = [_party(p, fix) for p in group]
    if out:
        last = list(out[-1])
        last[-1] = Run(last[-1].text.removesuffix(" ;"), last[-1].italic, last[-1].bold)
        last.append(Run(f" {group.ci_apres}."))
        out[-1] = tuple(merge_runs(last))
    return [_typeset(runs, fix) for runs in out]


def _party(view: PartyView, fix: Fixer) -> tuple[Run, ...]:
    party = view.party
    if party.personne == "physique":
        runs = [*text_runs(fix(capital(view.designation))), Run(", demeurant ")]
        runs += text_runs(fix(party.domicile)) if party.domicile else [Run(TODO, todo=True)]
        runs.append(Run(" ;"))
        return tuple(merge_runs(runs))
    e = "e" if view.feminin else ""
    runs = text_runs(fix(capital(view.designation)))
    if party.forme and party.forme.lower() != view.kind:
        runs += text_runs(", " + fix(party.forme))
    runs.append(Run(", dont le siège est "))
    runs += text_runs(fix(party.siege)) if party.siege else [Run(TODO, todo=True)]
    if party.representant or party.qualite:
        who = ", ".join(fix(p) for p in (party.qualite, party.representant) if p)
        runs.append(Run(f", représenté{e} par {who}, domicilié en cette qualité audit siège"))
    else:
        runs.append(
            Run(
                f", pris{e} en la personne de son représentant légal domicilié en cette "
                "qualité audit siège"
            )
        )
    runs.append(Run(" ;"))
    return tuple(merge_runs(runs))


def counsel(case: Case, fix: Fixer) -> tuple[Run, ...]:
    """« Ayant pour avocat : … » (to complete when the case names none)."""
    lawyer = case.avocat
    if lawyer is None or lawyer.nom is None:
        return _typeset((Run("Ayant pour avocat : "), Run(TODO, todo=True)), fix)
    parts = [lawyer.nom, lawyer.qualite, lawyer.adresse, lawyer.barreau]
    return _typeset((Run("Ayant pour avocat : " + ", ".join(p for p in parts if p)),), fix)


def contre(case: Case, number: int, fix: Fixer) -> tuple[Run, ...]:
    """The CONTRE line: the act's official title and its pièce number."""
    title = case.acte.titre[:1].upper() + case.acte.titre[1:]
    return (Run(f"{fix(title)} (pièce n°{NBSP}"), Run(str(number), piece=number), Run(")"))


def place_date(case: Case) -> str:
    """« Fait à Paris, le 29 mars 2024 »."""
    return f"Fait à {case.place or TODO}, le {date_fr(case.date)}"


def signature(case: Case, group: Group) -> tuple[Run, ...]:
    """« Pour les requérants, leur avocat, … »."""
    lead = f"Pour {group.le}, {group.verbe('son', 'leur')} avocat"
    if case.avocat and case.avocat.nom:
        return (Run(f"{lead}, {case.avocat.nom}"),)
    return (Run(f"{lead}, "), Run(TODO, todo=True))
