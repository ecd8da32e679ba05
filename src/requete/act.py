"""Pure: the contested act and its deadline as block text sees them (« la délibération
attaquée », « l'arrêté attaqué », the R. 421-1 last day), in agreement with the act's nature."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING

from requete.agreement import Phrases, article, first_word
from requete.french import NBSP, date_fr
from requete.model import Act, Genre

if TYPE_CHECKING:
    from requete.deadline import Deadline

# Gender of the nature of an act.
ACT_GENDERS: dict[str, Genre] = {
    "délibération": "f",
    "décision": "f",
    "circulaire": "f",
    "instruction": "f",
    "note": "f",
    "lettre": "f",
    "ordonnance": "f",
    "recommandation": "f",
    "autorisation": "f",
    "convention": "f",
    "arrêté": "m",
    "décret": "m",
    "avis": "m",
    "refus": "m",
    "règlement": "m",
    "référentiel": "m",
    "contrat": "m",
}


def act_gender(nature: str) -> Genre | None:
    """Gender of an act's nature (« la délibération », « l'arrêté »), None when unknown."""
    return ACT_GENDERS.get(first_word(nature))


class ActView(Phrases):
    """The contested act as block text sees it: « la délibération attaquée »…"""

    def __init__(self, act: Act):
        self._act = act

    @property
    def feminin(self) -> bool:
        """True for a feminine nature (« la délibération »)."""
        return (self._act.genre or act_gender(self._act.nature) or "f") == "f"

    def accord(self, masculin: str, feminin: str) -> str:
        """The form that agrees with the act's gender."""
        return feminin if self.feminin else masculin

    @property
    def nature(self) -> str:
        """« délibération », « arrêté »…"""
        return self._act.nature

    @property
    def attaque(self) -> str:
        """« attaquée » / « attaqué »."""
        return self.accord("attaqué", "attaquée")

    @property
    def le(self) -> str:
        """« la délibération attaquée », « l’arrêté attaqué »."""
        nature = self._act.nature
        return f"{article(nature, self.feminin)}{nature} {self.attaque}"

    @property
    def il(self) -> str:
        """« elle » / « il »."""
        return self.accord("il", "elle")

    @property
    def reference(self) -> str:
        """« délibération n° 2023-146 du 21 décembre 2023 »."""
        number = f" n°{NBSP}{self._act.numero}" if self._act.numero else ""
        return f"{self._act.nature}{number} du {date_fr(self._act.date)}"

    @property
    def titre(self) -> str:
        """The official title."""
        return self._act.titre

    @property
    def numero(self) -> str:
        """The act's number (empty when it has none)."""
        return self._act.numero or ""

    @property
    def auteur(self) -> str:
        """The author (empty when not given)."""
        return self._act.auteur or ""

    @property
    def date(self) -> str:
        """ISO date of the act."""
        return self._act.date.isoformat()

    @property
    def date_fr(self) -> str:
        """« 21 décembre 2023 »."""
        return date_fr(self._act.date)

    @property
    def publication(self) -> str | None:
        """ISO date of publication, or None."""
        day = self._act.publication
        return day.isoformat() if day else None

    @property
    def publication_fr(self) -> str:
        """« 31 janvier 2024 » (empty when unknown)."""
        return date_fr(self._act.publication)

    @property
    def notification(self) -> str | None:
        """ISO date of notification, or None."""
        day = self._act.notification
        return day.isoformat() if day else None

    @property
    def notification_fr(self) -> str:
        """French date of notification (empty when unknown)."""
        return date_fr(self._act.notification)

    @property
    def piece(self) -> str:
        """Key of the pièce that produces the act."""
        return self._act.piece

    def __str__(self) -> str:
        return self.le


class DeadlineView:
    """The R. 421-1 deadline of the act, computed when a block first reads it."""

    def __init__(self, act: Act):
        self._act = act

    @cached_property
    def _deadline(self) -> Deadline:
        from requete.deadline import compute_deadline

        which = "notification" if self._act.notification else "publication"
        start = self._act.notification or self._act.publication
        assert start is not None
        return compute_deadline(start, 2, which)

    def _steps(self) -> list[tuple[str, dt.date, str]]:
        return [(s.label, s.day, s.reason) for s in self._deadline.steps]

    @property
    def evenement(self) -> str:
        """« publication » or « notification »."""
        return "notification" if self._act.notification else "publication"

    @property
    def depart_fr(self) -> str:
        """The day of publication or notification, with its weekday."""
        return date_fr(self._steps()[0][1], weekday=True)

    @property
    def premier_jour_fr(self) -> str:
        """The first day of the délai (the next day), with its weekday."""
        return date_fr(self._steps()[1][1], weekday=True)

    @property
    def echeance_fr(self) -> str:
        """The last day before any prorogation, with its weekday."""
        return date_fr(self._steps()[2][1], weekday=True)

    @property
    def proroge(self) -> bool:
        """True when the délai was extended past a weekend or public holiday."""
        return any(label == "prorogation" for label, _, _ in self._steps())

    @property
    def motif(self) -> str:
        """Why it was extended: « jour férié (lundi de Pâques) », « samedi »… (else empty)."""
        for label, _, reason in self._steps():
            if label == "prorogation":
                what = reason.split(" est ", 1)[1].split(" : ", 1)[0]
                return what.removeprefix("un ")
        return ""

    @property
    def dernier_jour(self) -> str:
        """ISO last day to file."""
        return self._deadline.last_day.isoformat()

    @property
    def dernier_jour_fr(self) -> str:
        """The last day to file, with its weekday."""
        return date_fr(self._deadline.last_day, weekday=True)

    def __str__(self) -> str:
        return self.dernier_jour_fr


def deadline_view(act: Act) -> DeadlineView | None:
    """The deadline helper, or None when the act has neither publication nor notification."""
    return DeadlineView(act) if (act.publication or act.notification) else None
