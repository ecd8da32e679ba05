"""Agreement helpers: the applicants as a group, the contested act, the computed deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from requete.act import ActView, deadline_view
from requete.agreement import applicants
from requete.model import Act, Party

SOCIETE = Party(denomination="Exemple", forme="société par actions simplifiée")
ASSOCIATION = Party(
    denomination="Les Amis", forme="association régie par la loi du 1er juillet 1901"
)
SYNDICAT = Party(denomination="Syndicat des hébergeurs", forme="syndicat professionnel")
MONSIEUR = Party(civilite="M.", nom="Jean Test")
MADAME = Party(civilite="Mme", nom="Anne Test")


@pytest.mark.parametrize(
    ("parties", "le", "du", "au", "exposant", "il", "conclut", "fonde"),
    [
        # one société: feminine singular
        (
            [SOCIETE],
            "la requérante",
            "de la requérante",
            "à la requérante",
            "l’exposante",
            "elle",
            "conclut",
            "fondée",
        ),
        # one M.: masculine singular
        (
            [MONSIEUR],
            "le requérant",
            "du requérant",
            "au requérant",
            "l’exposant",
            "il",
            "conclut",
            "fondé",
        ),
        # one Mme
        (
            [MADAME],
            "la requérante",
            "de la requérante",
            "à la requérante",
            "l’exposante",
            "elle",
            "conclut",
            "fondée",
        ),
        # a syndicat is masculine
        (
            [SYNDICAT],
            "le requérant",
            "du requérant",
            "au requérant",
            "l’exposant",
            "il",
            "conclut",
            "fondé",
        ),
        # sociétés and associations only: feminine plural
        (
            [SOCIETE, ASSOCIATION],
            "les requérantes",
            "des requérantes",
            "aux requérantes",
            "les exposantes",
            "elles",
            "concluent",
            "fondées",
        ),
        # mixed group: masculine plural (facts sheet §10.8)
        (
            [SOCIETE, ASSOCIATION, MONSIEUR],
            "les requérants",
            "des requérants",
            "aux requérants",
            "les exposants",
            "ils",
            "concluent",
            "fondés",
        ),
        # two women
        (
            [MADAME, MADAME],
            "les requérantes",
            "des requérantes",
            "aux requérantes",
            "les exposantes",
            "elles",
            "concluent",
            "fondées",
        ),
    ],
)
def test_group_agrees_in_gender_and_number(
    parties, le, du, au, exposant, il, conclut, fonde
) -> None:  # type: ignore[no-untyped-def]
    group = applicants(parties, "requerant")
    assert (group.le, group.du, group.au, group.exposant, group.il) == (le, du, au, exposant, il)
    assert group.verbe("conclut", "concluent") == conclut
    assert group.accord("fondé", "fondée", "fondés", "fondées") == fonde
    assert group.Le == le[0].upper() + le[1:]


def test_defined_term_can_be_the_exposant_form() -> None:
    group = applicants([ASSOCIATION], "exposant")
    assert group.le == "l’exposante"
    assert group.requerant == "la requérante"
    assert group.ci_apres == "(ci-après «\u00a0l’exposante\u00a0»)"


def test_designations_and_sub_groups() -> None:
    named = Party(denomination="Association de défense des libertés", forme="association")
    group = applicants([SOCIETE, ASSOCIATION, named, MONSIEUR], "requerant")
    assert group.noms == (
        "la société Exemple, l’association Les Amis, l’Association de défense des libertés "
        "et M. Jean Test"
    )
    assert group.societes.le == "la société requérante"
    assert group.associations.le == "les associations requérantes"
    assert group.associations.verbe("a", "ont") == "ont"
    assert group.personnes_physiques.noms == "M. Jean Test"
    assert group.personnes_morales.nombre == 3
    assert applicants([MONSIEUR], "requerant").societes.nombre == 0


@pytest.mark.parametrize(
    ("nature", "le", "du", "attaque"),
    [
        ("délibération", "la délibération attaquée", "de la délibération attaquée", "attaquée"),
        ("arrêté", "l’arrêté attaqué", "de l’arrêté attaqué", "attaqué"),
        ("décret", "le décret attaqué", "du décret attaqué", "attaqué"),
        ("décision", "la décision attaquée", "de la décision attaquée", "attaquée"),
    ],
)
def test_act_agrees_with_its_nature(nature: str, le: str, du: str, attaque: str) -> None:
    act = ActView(
        Act(nature=nature, titre="t", numero="2024-1", date=dt.date(2024, 2, 1), piece="acte")
    )
    assert (act.le, act.du, act.attaque) == (le, du, attaque)
    assert act.reference == f"{nature} n°\u00a02024-1 du 1er février 2024"


def test_deadline_helper_explains_the_prorogation() -> None:
    act = Act(
        nature="délibération",
        titre="t",
        date=dt.date(2023, 12, 21),
        publication=dt.date(2024, 1, 31),
        piece="acte",
    )
    delai = deadline_view(act)
    assert delai is not None
    assert delai.depart_fr == "mercredi 31 janvier 2024"
    assert delai.premier_jour_fr == "jeudi 1er février 2024"
    assert delai.echeance_fr == "lundi 1er avril 2024"
    assert delai.proroge and delai.motif == "jour férié (lundi de Pâques)"
    assert delai.dernier_jour == "2024-04-02"
    assert deadline_view(act.model_copy(update={"publication": None})) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"personne": "physique", "nom": "X"}, "a natural person needs `civilite`"),
        ({"forme": "société"}, "a legal person needs `denomination`"),
        ({"denomination": "X", "domicile": "Paris"}, "domicile do not apply to a legal person"),
        (
            {"civilite": "M.", "nom": "X", "siege": "Paris"},
            "siege do not apply to a natural person",
        ),
    ],
)
def test_party_fields_must_fit_its_kind(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Party.model_validate(data)
