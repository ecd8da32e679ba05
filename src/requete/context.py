"""Pure: what block text, titles and procedure formulas can read — the matter's facts and the
helpers (applicants, act, deadline, procedure, instances)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from requete.act import ActView, deadline_view
from requete.agreement import applicants
from requete.french import date_fr
from requete.model import Case, Instance, ProcedureDecl

ALWAYS = frozenset(
    {"filing", "acte", "requerants", "avocat", "delai", "procedure", "instance", "instances"}
)


@dataclass(frozen=True)
class ProcedureView:
    """The filing's procedure: its name, its addressee, its default title, and the sentence
    that ends a moyen in it (« Elle ne pourra, par suite, qu'être annulée. »)."""

    id: str
    nom: str
    destinataire: str
    titre: str
    sanction: str


@dataclass(frozen=True)
class DecisionView:
    """How an instance ended."""

    date: str
    date_fr: str
    sens: str
    motif: str | None
    precedent: str | None


@dataclass(frozen=True)
class InstanceView:
    """An instance of the matter's procedural history, as block text sees it."""

    numero: str
    procedure: str
    procedure_nom: str
    enregistrement: str
    enregistrement_fr: str
    sommaire: bool
    objet: str | None
    decision: DecisionView | None

    @property
    def pendante(self) -> bool:
        """True while no decision is recorded."""
        return self.decision is None


def instance_view(instance: Instance, procedures: Mapping[str, ProcedureDecl]) -> InstanceView:
    """The helper for one instance (its procedure's name from the library)."""
    decision = instance.decision
    known = procedures.get(instance.procedure)
    return InstanceView(
        numero=instance.numero,
        procedure=instance.procedure,
        procedure_nom=known.name if known else instance.procedure,
        enregistrement=instance.enregistrement.isoformat(),
        enregistrement_fr=date_fr(instance.enregistrement),
        sommaire=instance.sommaire,
        objet=instance.objet,
        decision=DecisionView(
            decision.date.isoformat(),
            date_fr(decision.date),
            decision.sens,
            decision.motif,
            decision.precedent,
        )
        if decision
        else None,
    )


def context_for(
    case: Case,
    procedure: ProcedureDecl,
    procedures: Mapping[str, ProcedureDecl],
    facts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The variables a text can read: the matter's facts and the helpers."""
    history = [instance_view(i, procedures) for i in case.instances]
    own = next((i for i in history if i.numero == case.instance), None)
    context: dict[str, Any] = dict(facts or {})
    context.update(
        filing={
            "date": case.date.isoformat(),
            "procedure": case.procedure,
            "title": case.title or procedure.title,
        },
        procedure=ProcedureView(
            procedure.id, procedure.name, procedure.addressee, procedure.title, ""
        ),
        acte=ActView(case.acte),
        requerants=applicants(case.requerants, case.terme),
        delai=deadline_view(case.acte),
        avocat=case.avocat.model_dump(mode="json") if case.avocat else {},
        instance=own,
        instances=history,
    )
    if procedure.sanction:
        from requete.sandbox import render_body

        origin = procedure.origin
        label = f"procedure {procedure.id}"
        text = render_body(
            procedure.sanction, context, origin.path, origin.line_of("sanction"), label
        )
        view = context["procedure"]
        context["procedure"] = ProcedureView(
            view.id, view.nom, view.destinataire, view.titre, " ".join(text.split())
        )
    return context
