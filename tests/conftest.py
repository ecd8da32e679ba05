"""Shared fixtures: small libraries and cases written inline into tmp_path."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The on-disk cache (requete.cache) of the test run lives in a directory of its own, shared by
# the tests and the commands they start, never the user's.
os.environ["REQUETE_CACHE_DIR"] = tempfile.mkdtemp(prefix="requete-test-cache-")

BLOCK_FAITS = """\
id: faits-test
title: Les faits
section: faits
body: |
  La délibération attaquée a été publiée le 31 janvier 2024 ([pièce:acte]).
"""
BLOCK_MOYEN = """\
id: moyen-test
title: Sur le moyen tiré de la méconnaissance de l'article 46 du RGPD
section: legalite-interne
version: 2
requires: [faits-test]
body: |
  La Cour de justice a jugé [@cjue-test, pt 185] que les limitations ne sont pas encadrées.

  Elle a rappelé ensuite [@cjue-test, pt 197] le défaut de recours effectif ([pièce:etude]).
pinpoints:
  cjue-test: {185: limitations-non-encadrees, 197: absence-recours-effectif}
"""
BLOCK_CONCL = """\
id: concl-test
title: Conclusions
section: conclusions
heading: false
params: [frais]
body: |
  ANNULER {{ acte.titre }} ;

  METTRE À LA CHARGE de l'État la somme de {{ frais }} euros.
"""
PRECEDENT = """\
id: cjue-test
type: decision
court: CJUE
formation: gr. ch.
date: 2020-07-16
number: C-311/18
ecli: EU:C:2020:559
name: Data Protection Commissioner c/ Facebook Ireland Ltd et Maximillian Schrems
short: Schrems II
points:
  185: {text: limitations, propositions: [limitations-non-encadrees]}
  196: Ombudsperson sans pouvoir de décision
  197: {text: Ombudsperson, propositions: [absence-recours-effectif]}
confidence: confirmed
"""
SET = """\
id: set-test
name: Test set
blocks: [faits-test, moyen-test, concl-test]
"""
CASE = """\
procedure: annulation
title: REQUÊTE INTRODUCTIVE D'INSTANCE
date: 2024-03-29
place: Paris
set: set-test
facts:
  frais: 5000
requerants:
  - denomination: Exemple
    forme: société par actions simplifiée
    siege: 1 rue de l'Exemple, 75001 Paris
  - civilite: M.
    nom: F… B…
avocat:
  nom: Me Exemple
acte:
  nature: délibération
  titre: la délibération n° 2023-146 du 21 décembre 2023
  date: 2023-12-21
  publication: 2024-01-31
  piece: acte
pieces:
  - {key: acte, label: Délibération n° 2023-146 du 21 décembre 2023}
  - {key: etude, label: Étude d'hébergement, date: 2024-03-06}
"""

FACT_FRAIS = """\
id: frais
type: integer
description: La somme demandée au titre de l'article L. 761-1 du CJA.
"""

BASE_FILES = {
    "facts/frais.yaml": FACT_FRAIS,
    "arguments/faits-test.yaml": BLOCK_FAITS,
    "arguments/moyen-test.yaml": BLOCK_MOYEN,
    "arguments/concl-test.yaml": BLOCK_CONCL,
    "precedents/cjue-test.yaml": PRECEDENT,
    "sets/set-test.yaml": SET,
    "case.yaml": CASE,
}

Writer = Callable[..., Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> Writer:
    """Write files (path -> text) under tmp_path/lib; returns the lib directory."""

    def write(files: dict[str, str] | None = None, base: bool = True, **_: object) -> Path:
        root = tmp_path / "lib"
        tree = dict(BASE_FILES) if base else {}
        tree.update(files or {})
        for name, text in tree.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write
