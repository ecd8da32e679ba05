"""Deterministic synthetic inputs for the benchmarks: libraries, cases and .docx drafts."""

from __future__ import annotations

import argparse
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

ANNULATION_SECTIONS = (
    ("faits", 0.12),
    ("recevabilite", 0.06),
    ("legalite-externe", 0.22),
    ("legalite-interne", 0.44),
    ("renvoi-prejudiciel", 0.12),
    ("conclusions", 0.04),
)
COURTS = (
    ("CE", "{n}", None),
    ("CJUE", "C-{n}/{y2}", "gr. ch."),
    ("Trib. UE", "T-{n}/{y2}", None),
    ("CEDH", "{n}/{y2}", None),
    ("Cons. const.", "{y}-{n} QPC", None),
)
SUBJECTS = (
    "La délibération attaquée",
    "L'autorité de contrôle",
    "Le responsable du traitement",
    "Le pouvoir réglementaire",
    "La Commission nationale de l'informatique et des libertés",
    "Le groupement d'intérêt public",
    "Le juge de l'excès de pouvoir",
    "Le sous-traitant",
)
VERBS = (
    "méconnaît",
    "a jugé que",
    "ne pouvait légalement retenir",
    "rappelle que",
    "est entaché d'une erreur de droit quant à",
    "a relevé que",
    "doit être regardé comme méconnaissant",
    "ne saurait, sans erreur manifeste d'appréciation, écarter",
)
OBJECTS = (
    "l'exigence d'un niveau de protection substantiellement équivalent",
    "les garanties appropriées prévues à l'article 46 du règlement",
    "le principe de minimisation des données",
    "le droit à un recours effectif devant un tribunal indépendant",
    "la proportionnalité de l'ingérence dans la vie privée des personnes concernées",
    "les conditions dans lesquelles les données de santé peuvent être hébergées",
    "l'obligation de motivation qui s'impose à l'autorité administrative",
    "la compétence de la formation restreinte",
    "le caractère strictement nécessaire du traitement envisagé",
    "les transferts de données vers un pays tiers",
)
# The proposition key each of OBJECTS stands for: what a precedent's point records that it
# holds, and what a block says it cites the point for (``pinpoints:``).
PROPOSITIONS = (
    "niveau-protection-equivalent",
    "garanties-appropriees",
    "minimisation-donnees",
    "recours-effectif",
    "proportionnalite-ingerence",
    "hebergement-donnees-sante",
    "obligation-motivation",
    "competence-formation-restreinte",
    "stricte-necessite",
    "transferts-pays-tiers",
)
TAILS = (
    "dès lors que les autorités publiques d'un pays tiers peuvent accéder aux données",
    "sans qu'aucune garantie effective ne vienne encadrer cet accès",
    "alors même que des solutions d'hébergement souverain étaient disponibles",
    "ainsi que l'a relevé le rapport annexé à la délibération",
    "et ce, quelles que soient les mesures contractuelles complémentaires invoquées",
    "en dépit des réserves formulées lors de l'instruction de la demande",
    "contrairement à ce que soutient l'administration en défense",
    "de sorte que la décision attaquée est privée de base légale",
)
CONCLUSIONS = (
    "ANNULER {{ acte.titre }} ;",
    "METTRE À LA CHARGE de l'État la somme de {{ frais_irrepetibles|euros }} euros au titre de "
    "l'article L. 761-1 du code de justice administrative.",
)


@dataclass(frozen=True)
class Library:
    """A generated library root and the files that matter to the benchmarks."""

    root: Path
    case: Path
    blocks: int
    precedents: int
    set_blocks: int


def _sentence(rng: random.Random) -> str:
    """One sentence of pseudo legal French."""
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(TAILS)}."


def _precedent_id(rng: random.Random, precedents: int) -> str:
    """Mostly one of the 150 leading precedents (cited again: « préc. »), else any."""
    pool = min(150, precedents) if rng.random() < 0.7 else precedents
    return f"gen-p{rng.randrange(pool):05d}"


def _citation(rng: random.Random, precedents: int, points: int) -> str:
    """A Pandoc-style citation with a pinpoint, sometimes of two precedents."""
    first = f"@{_precedent_id(rng, precedents)}, pt {rng.randint(1, points)}"
    if rng.random() < 0.25:
        return f"[{first}; @{_precedent_id(rng, precedents)}]"
    return f"[{first}]"


def _paragraph(rng: random.Random, precedents: int, pieces: int, points: int) -> str:
    """A numbered paragraph: citations, sometimes a pièce, italics and a Jinja variable."""
    sentences = [_sentence(rng) for _ in range(rng.randint(2, 3))]
    sentences[0] = sentences[0][:-1] + " " + _citation(rng, precedents, points) + "."
    if rng.random() < 0.5:
        sentences[-1] = sentences[-1][:-1] + " " + _citation(rng, precedents, points) + "."
    if rng.random() < 0.3:
        key = f"piece-{rng.randrange(1, pieces):03d}"
        sentences[1] = sentences[1][:-1] + f" ([pièce:{key}])."
    if rng.random() < 0.15:
        inner = sentences[1][0].lower() + sentences[1][1:-1]
        sentences[1] = f"Ainsi, *{inner}*, et {{{{ acte.le }}}} le confirme."
    return " ".join(sentences)


def _point_object(precedent: int, point: int) -> int:
    """Which of OBJECTS point ``point`` of precedent number ``precedent`` holds (its text and
    its first proposition): a fixed function, so a block knows what it cites a point for."""
    return (7 * precedent + 3 * point) % len(OBJECTS)


def _point_propositions(precedent: int, point: int) -> list[str]:
    """What the point records that it supports: one proposition, two for every fourth point."""
    first = _point_object(precedent, point)
    keys = [PROPOSITIONS[first]]
    if (precedent + point) % 4 == 0:
        keys.append(PROPOSITIONS[(first + 1) % len(PROPOSITIONS)])
    return keys


PINPOINT = re.compile(r"@gen-p(\d{5}), pt (\d+)")


def _pinpoints(body: list[str]) -> dict[str, dict[int, str]]:
    """The block's ``pinpoints:``: each point its text cites, and the proposition cited for."""
    declared: dict[str, dict[int, str]] = {}
    for paragraph in body:
        for number, point in PINPOINT.findall(paragraph):
            proposition = _point_propositions(int(number), int(point))[0]
            declared.setdefault(f"gen-p{number}", {})[int(point)] = proposition
    return declared


def _block_yaml(ident: str, section: str, index: int, body: list[str], requires: list[str]) -> str:
    """The YAML of one argument block, with what each cited pinpoint is cited for."""
    lines = [
        f"id: {ident}",
        f"title: Sur le moyen tiré de la méconnaissance du droit de l'Union — "
        f"{OBJECTS[index % len(OBJECTS)]}",
        f"section: {section}",
        f"version: {1 + index % 3}",
    ]
    if requires:
        lines.append(f"requires: [{', '.join(requires)}]")
    if section == "conclusions":
        lines += ["heading: false", "params: [frais_irrepetibles]"]
    lines.append("body: |")
    for n, paragraph in enumerate(body):
        if n:
            lines.append("")
        lines.append("  " + paragraph)
    declared = _pinpoints(body)
    if declared:
        lines.append("pinpoints:")
        for key in sorted(declared):
            points = ", ".join(f"{p}: {prop}" for p, prop in sorted(declared[key].items()))
            lines.append(f"  {key}: {{{points}}}")
    lines.append("notes: |")
    lines.append("  Bloc généré pour les mesures de performance.")
    return "\n".join(lines) + "\n"


def _precedent_yaml(rng: random.Random, index: int, points: int) -> str:
    """The YAML of one decision with its verified points and what each one holds."""
    court, number, formation = COURTS[index % len(COURTS)]
    year = 1990 + index % 33
    num = number.format(n=100 + index, y=year, y2=f"{year % 100:02d}")
    lines = [
        f"id: gen-p{index:05d}",
        "type: decision",
        f"court: {court}",
    ]
    if formation:
        lines.append(f"formation: {formation}")
    lines += [
        f"date: {year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        f'number: "{num}"',
        f"name: Société Exemple n° {index} c/ Autorité de contrôle",
        f"short: Exemple {index}",
        f"holding: >\n  {_sentence(rng)}",
        "points:",
    ]
    for p in range(1, points + 1):
        text = OBJECTS[_point_object(index, p)]
        lines += [
            f"  {p}:",
            f"    text: {text[0].upper()}{text[1:]}.",
            f"    propositions: [{', '.join(_point_propositions(index, p))}]",
        ]
    lines += [
        f"url: https://example.org/decisions/{index}",
        "confidence: confirmed",
        f"source: généré (index {index})",
    ]
    return "\n".join(lines) + "\n"


def _case_yaml(set_id: str, pieces: int, applicant: str = "Société Exemple") -> str:
    """The YAML of a case on ``set_id`` with a catalogue of ``pieces`` pièces."""
    catalogue = "\n".join(
        f"  - {{key: piece-{k:03d}, label: Pièce générée n° {k}, date: 2024-01-{1 + k % 28:02d}}}"
        for k in range(1, pieces)
    )
    return f"""\
procedure: annulation
title: REQUÊTE INTRODUCTIVE D'INSTANCE
date: 2024-03-29
place: Paris
set: {set_id}
facts:
  frais_irrepetibles: 5000
requerants:
  - denomination: {applicant}
    forme: société par actions simplifiée
    siege: 1 rue de l'Exemple, 75001 Paris
    qualite: son président en exercice
  - denomination: Association Exemple
    forme: association régie par la loi du 1er juillet 1901
    siege: 2 rue de l'Exemple, 75002 Paris
    qualite: sa présidente
avocat:
  nom: Me Exemple
  adresse: 3 rue de l'Exemple, 75003 Paris
  barreau: Paris
acte:
  nature: délibération
  titre: délibération n° 2023-146 du 21 décembre 2023 de la Commission nationale de l'informatique
    et des libertés
  date: 2023-12-21
  publication: 2024-01-31
  piece: piece-000
pieces:
  - {{key: piece-000, label: Délibération n° 2023-146 du 21 décembre 2023, date: 2023-12-21}}
{catalogue}
"""


def _write(path: Path, text: str) -> None:
    """Write UTF-8 text, creating the folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _sections(blocks: int) -> list[str]:
    """Section of each block, in filing order, in the proportions of ANNULATION_SECTIONS."""
    out: list[str] = []
    total = 0.0
    for name, share in ANNULATION_SECTIONS:
        total += share
        out += [name] * (max(1, round(blocks * total)) - len(out))
    return out[:blocks]


def generate_library(
    root: Path,
    blocks: int,
    precedents: int,
    set_blocks: int | None = None,
    paragraphs: tuple[int, int] = (2, 3),
    points: int = 8,
    pieces: int = 40,
    seed: int = 8,
) -> Library:
    """Write a library (blocks, precedents, one set) and a case using it under ``root``."""
    rng = random.Random(seed)
    sections = _sections(blocks)
    if "conclusions" not in sections:
        sections[-1] = "conclusions"
    ids = [f"gen-b{i:05d}" for i in range(blocks)]
    first_fact = ids[sections.index("faits")] if "faits" in sections else None
    for i, (ident, section) in enumerate(zip(ids, sections, strict=True)):
        if section == "conclusions":
            body = list(CONCLUSIONS)
        else:
            body = [
                _paragraph(rng, precedents, pieces, points) for _ in range(rng.randint(*paragraphs))
            ]
        requires = [first_fact] if first_fact and ident != first_fact and i % 10 == 0 else []
        _write(root / "arguments" / f"{ident}.yaml", _block_yaml(ident, section, i, body, requires))
    for p in range(precedents):
        _write(root / "precedents" / f"gen-p{p:05d}.yaml", _precedent_yaml(rng, p, points))
    count = min(set_blocks or blocks, blocks)
    chosen = _pick_set(ids, sections, count)
    _write(
        root / "sets" / "gen-set.yaml",
        f"id: gen-set\nname: Jeu généré\nblocks: [{', '.join(chosen)}]\n",
    )
    case = root / "case.yaml"
    _write(case, _case_yaml("gen-set", pieces))
    return Library(root, case, blocks, precedents, count)


def _pick_set(ids: list[str], sections: list[str], count: int) -> list[str]:
    """``count - 1`` argument blocks spread evenly over the library, then one conclusions block."""
    body = [i for i, section in zip(ids, sections, strict=True) if section != "conclusions"]
    last = next((i for i, s in zip(ids, sections, strict=True) if s == "conclusions"), ids[-1])
    wanted = min(count - 1, len(body))
    picked = [body[k * len(body) // wanted] for k in range(wanted)] if wanted > 0 else []
    return picked + [last]


def generate_cases(library: Library, count: int, directory: Path) -> list[Path]:
    """``count`` case files on ``library``'s set, one per co-applicant (batch benchmark)."""
    cases = []
    for n in range(count):
        path = directory / f"requerante-{n:03d}.yaml"
        text = _case_yaml("gen-set", 40, applicant=f"Société Requérante {n:03d}")
        _write(path, text)
        cases.append(path)
    return cases


def generate_drafts(directory: Path, paragraphs: int, seed: int = 8) -> tuple[Path, Path]:
    """Two .docx drafts: NEW edits 5 %, deletes 1 % and inserts 1 % of OLD's paragraphs."""
    rng = random.Random(seed + paragraphs)
    old = [_draft_item(rng, n) for n in range(paragraphs)]
    new: list[tuple[str, str]] = []
    for kind, text in old:
        roll = rng.random()
        if roll < 0.01:
            continue
        if roll < 0.06 and kind == "p":
            words = text.split()
            at = rng.randrange(len(words))
            words[at] = rng.choice(("substantiellement", "manifestement", "nécessairement"))
            text = " ".join(words)
        new.append((kind, text))
        if rng.random() < 0.01:
            new.append(("p", _sentence(rng) + " " + _sentence(rng)))
    old_path, new_path = directory / f"old-{paragraphs}.docx", directory / f"new-{paragraphs}.docx"
    old_path.write_bytes(_docx(old))
    new_path.write_bytes(_docx(new))
    return old_path, new_path


def _draft_item(rng: random.Random, n: int) -> tuple[str, str]:
    """Paragraph ``n`` of a draft: a heading every 10 (level 1 every 40), else prose."""
    if n % 40 == 0:
        return ("h1", f"Partie {n // 40 + 1} — sur la légalité de la délibération")
    if n % 10 == 0:
        return ("h2", f"Sur le moyen n° {n // 10 + 1}")
    return ("p", " ".join(_sentence(rng) for _ in range(rng.randint(2, 4))))


def _docx(items: list[tuple[str, str]]) -> bytes:
    """A .docx of headings and paragraphs, made with python-docx."""
    from docx import Document

    doc = Document()
    for kind, text in items:
        if kind == "p":
            doc.add_paragraph(text)
        else:
            doc.add_heading(text, level=int(kind[1]))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    """Command line: write one library (and its case) into a directory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--blocks", type=int, default=400)
    parser.add_argument("--precedents", type=int, default=3000)
    parser.add_argument("--set-blocks", type=int, default=300)
    parser.add_argument("--drafts", type=int, default=0, help="Also write two drafts of N paras.")
    args = parser.parse_args()
    lib = generate_library(args.root, args.blocks, args.precedents, args.set_blocks)
    print(lib.case)
    if args.drafts:
        print(*generate_drafts(args.root, args.drafts))


if __name__ == "__main__":
    main()
