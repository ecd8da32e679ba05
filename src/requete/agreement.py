"""Pure: French agreement for the parties — the helpers block text and the frame share.

A legal person agrees with the noun of its form (« la société », « l'association », « le
syndicat »), a natural person with its civilité; a group is feminine only when every member
is, masculine plural otherwise (facts sheet §10.8). Block text reads these objects from the
sandbox (``requerants.le``, ``acte.du``, ``requerants.verbe("conclut", "concluent")``), and
the frame of the filing (POUR, conclusions, signature) uses the same ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from requete.french import NBSP, join_fr
from requete.model import Genre, Party

VOWELS = tuple("aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÉÈÊÎÔÛ")

# The first word of a legal person's form gives its grammatical gender.
FEMININE_FORMS = frozenset(
    {
        "société",
        "association",
        "fédération",
        "confédération",
        "union",
        "fondation",
        "coopérative",
        "mutuelle",
        "caisse",
        "chambre",
        "commune",
        "région",
        "ligue",
        "organisation",
        "entreprise",
        "sas",
        "sasu",
        "sarl",
        "sa",
        "eurl",
        "scop",
        "selarl",
    }
)
MASCULINE_FORMS = frozenset(
    {
        "syndicat",
        "groupement",
        "gip",
        "gie",
        "comité",
        "conseil",
        "ordre",
        "collectif",
        "établissement",
        "institut",
        "office",
        "centre",
        "département",
        "fonds",
        "cabinet",
        "cercle",
        "club",
        "observatoire",
        "parti",
    }
)
# Nouns a form may start with that also name the party in the text (« la société X »).
KIND_NOUNS = frozenset({"société", "association", "fédération", "fondation", "syndicat"})

Forms = tuple[str, str, str, str]  # masculine singular, feminine singular, masc. pl., fem. pl.
REQUERANT: Forms = ("requérant", "requérante", "requérants", "requérantes")
EXPOSANT: Forms = ("exposant", "exposante", "exposants", "exposantes")


def first_word(text: str | None) -> str:
    """The first word of a form or a nature, lower-case (« société », « arrêté »)."""
    return (text or "").strip().split(" ")[0].split(NBSP)[0].lower().rstrip(",")


def form_gender(forme: str | None) -> Genre | None:
    """Gender given by a legal person's form, or None when the form is unknown."""
    word = first_word(forme)
    if word in FEMININE_FORMS:
        return "f"
    if word in MASCULINE_FORMS:
        return "m"
    return None


def article(word: str, feminine: bool, plural: bool = False) -> str:
    """« la » / « le » / « l' » / « les » before ``word``."""
    if plural:
        return "les "
    if word.startswith(VOWELS):
        return "l’"
    return "la " if feminine else "le "


def capital(text: str) -> str:
    """Upper-case the first letter only (« l’exposante » -> « L’exposante »)."""
    return text[:1].upper() + text[1:]


def de_phrase(phrase: str) -> str:
    """« de » before a phrase: « du requérant », « des requérants », « de la requérante »."""
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    return "de " + phrase


def a_phrase(phrase: str) -> str:
    """« à » before a phrase: « au requérant », « aux requérants », « à la requérante »."""
    if phrase.startswith("le "):
        return "au " + phrase[3:]
    if phrase.startswith("les "):
        return "aux " + phrase[4:]
    return "à " + phrase


@dataclass(frozen=True)
class PartyView:
    """One applicant as block text sees it."""

    party: Party

    @property
    def personne(self) -> str:
        """« morale » or « physique »."""
        return self.party.personne

    @property
    def feminin(self) -> bool:
        """True when the party takes feminine agreement."""
        if self.party.personne == "physique":
            return self.party.civilite == "Mme"
        return (self.party.genre or form_gender(self.party.forme) or "f") == "f"

    @property
    def gender_known(self) -> bool:
        """False for a legal person whose gender had to be assumed."""
        party = self.party
        return party.personne == "physique" or bool(party.genre or form_gender(party.forme))

    @property
    def denomination(self) -> str:
        """The registered name of a legal person (empty for a natural person)."""
        return self.party.denomination or ""

    @property
    def nom(self) -> str:
        """The name as written: dénomination, or civilité and nom."""
        return self.party.label

    @property
    def forme(self) -> str:
        """The legal form (empty when not given)."""
        return self.party.forme or ""

    @property
    def objet(self) -> str | None:
        """The statutory purpose, when given."""
        return self.party.objet

    @property
    def kind(self) -> str:
        """« société », « association »… (empty for a natural person or an unknown form)."""
        return first_word(self.party.forme) if self.party.personne == "morale" else ""

    @property
    def designation(self) -> str:
        """« la société Clever Cloud », « l’Association de défense… », « M. F… B… »."""
        party = self.party
        if party.designation:
            return party.designation
        if party.personne == "physique":
            return party.label
        name, kind = party.denomination or "", self.kind
        if kind in KIND_NOUNS:
            if first_word(name) == kind:
                return article(name.lower(), self.feminin) + name
            return f"{article(kind, self.feminin)}{kind} {name}"
        return name

    def __str__(self) -> str:
        return self.designation


class Phrases:
    """Forms derived from a phrase and its pronoun, for the applicants and for the act:
    capitalised, with « de » and with « à » (« Le », « du », « Du », « au », « Il »)."""

    @property
    def le(self) -> str:
        """The phrase with its article (« la requérante », « l’arrêté attaqué »)."""
        raise NotImplementedError

    @property
    def il(self) -> str:
        """The pronoun that stands for it."""
        raise NotImplementedError

    @property
    def Le(self) -> str:  # noqa: N802 - capitalised form, as block authors write it
        """The phrase, capitalised."""
        return capital(self.le)

    @property
    def du(self) -> str:
        """« de la requérante », « du requérant », « des requérants », « de l’arrêté »."""
        return de_phrase(self.le)

    @property
    def Du(self) -> str:  # noqa: N802
        """« De la requérante »…"""
        return capital(self.du)

    @property
    def au(self) -> str:
        """« à la requérante », « au requérant », « aux requérants », « au décret »."""
        return a_phrase(self.le)

    @property
    def Il(self) -> str:  # noqa: N802
        """« Elle », « Il », « Elles », « Ils »."""
        return capital(self.il)


class Group(Phrases):
    """Applicants (or a sub-group of them) with the agreement they take."""

    def __init__(self, members: list[PartyView], noun: Forms = REQUERANT, term: Forms = REQUERANT):
        self._members = members
        self._noun = noun
        self._term = term

    # -- number and gender ------------------------------------------------------------
    @property
    def nombre(self) -> int:
        """How many members."""
        return len(self._members)

    @property
    def pluriel(self) -> bool:
        """True for several members."""
        return len(self._members) > 1

    @property
    def feminin(self) -> bool:
        """True only when every member is feminine."""
        return bool(self._members) and all(m.feminin for m in self._members)

    def accord(self, m_sg: str, f_sg: str, m_pl: str, f_pl: str) -> str:
        """The form that agrees: masculine/feminine, singular/plural."""
        forms = (m_sg, f_sg, m_pl, f_pl)
        return forms[(2 if self.pluriel else 0) + (1 if self.feminin else 0)]

    def verbe(self, singulier: str, pluriel: str) -> str:
        """The verb that agrees in number: « conclut » / « concluent »."""
        return pluriel if self.pluriel else singulier

    # -- designations -----------------------------------------------------------------
    def _phrase(self, forms: Forms) -> str:
        word = self.accord(*forms)
        return article(word, self.feminin, self.pluriel) + word

    @property
    def le(self) -> str:
        """The defined term: « la requérante », « les requérants » (or the exposant forms)."""
        return self._phrase(self._term)

    @property
    def requerant(self) -> str:
        """« la requérante », « les requérants » whatever the defined term."""
        return self._phrase(self._noun)

    @property
    def exposant(self) -> str:
        """« l’exposante », « les exposants »."""
        return self._phrase(EXPOSANT)

    @property
    def Exposant(self) -> str:  # noqa: N802
        """« L’exposante », « Les exposants »."""
        return capital(self.exposant)

    @property
    def il(self) -> str:
        """« elle », « il », « elles », « ils »."""
        return self.accord("il", "elle", "ils", "elles")

    @property
    def ci_apres(self) -> str:
        """« (ci-après « les requérants ») », for the first mention."""
        return f"(ci-après «{NBSP}{self.le}{NBSP}»)"

    @property
    def noms(self) -> str:
        """« la société A, l’association B et M. C »."""
        names = [m.designation for m in self._members]
        if len(names) <= 1:
            return "".join(names)
        return join_fr(names)

    @property
    def liste(self) -> list[PartyView]:
        """Each member."""
        return list(self._members)

    def __iter__(self) -> Iterator[PartyView]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __str__(self) -> str:
        return self.le

    # -- sub-groups -------------------------------------------------------------------
    def _sub(self, kind: str, noun: Forms) -> Group:
        return Group([m for m in self._members if m.kind == kind], noun, noun)

    @property
    def societes(self) -> Group:
        """The sociétés: « la société requérante », « les sociétés requérantes »."""
        return self._sub("société", ("société requérante",) * 2 + ("sociétés requérantes",) * 2)

    @property
    def associations(self) -> Group:
        """The associations: « l’association requérante », « les associations requérantes »."""
        forms: Forms = ("association requérante",) * 2 + ("associations requérantes",) * 2
        return self._sub("association", forms)

    @property
    def personnes_physiques(self) -> Group:
        """The natural persons."""
        members = [m for m in self._members if m.personne == "physique"]
        return Group(members, REQUERANT, REQUERANT)

    @property
    def personnes_morales(self) -> Group:
        """The legal persons."""
        members = [m for m in self._members if m.personne == "morale"]
        return Group(members, REQUERANT, REQUERANT)


def applicants(parties: list[Party], terme: Literal["requerant", "exposant"]) -> Group:
    """The applicants of a filing, with the defined term the case chose."""
    term = EXPOSANT if terme == "exposant" else REQUERANT
    return Group([PartyView(p) for p in parties], REQUERANT, term)
