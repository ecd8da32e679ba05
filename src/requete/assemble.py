"""Pure: a case and its resolved blocks -> a Document (sections, numbered paragraphs, citations,
table of authorities, inventaire des pièces)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from requete import frame
from requete.agreement import Group
from requete.citations import (
    Cite,
    Segment,
    authority_citation,
    authority_group,
    full_citation,
    merge_articles,
    short_citation,
    unnest,
)
from requete.context import context_for
from requete.document import Authority, Document, InventoryItem, Kind, Paragraph, Place, Run
from requete.errors import AssemblyError, Problem, ValidationFailed, did_you_mean
from requete.french import NBSP
from requete.i18n import _
from requete.library import Library
from requete.markup import Token, closest, near_misses, nfc, references, scan
from requete.model import Block, Case, Precedent, ProcedureDecl
from requete.overlay import ResolvedBlock
from requete.sandbox import condition_holds, render_body

LIST_LABEL = re.compile(r"(\d{1,2}\))\s+")  # a numbered list item: « 1) La décision… »
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
LETTERS = "ABCDEFGHIJKL"

Fixer = Callable[[str], str]


def _identity(text: str) -> str:
    return text


@dataclass
class _Citations:
    """State shared across the document: first mentions, authorities, pièce numbers."""

    library: Library
    case: Case
    fix: Fixer
    seen: set[str] = field(default_factory=set)
    cited_in: dict[str, list[Place]] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    piece_numbers: dict[str, int] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)
    explicit: bool = False


def render_blocks(blocks: list[ResolvedBlock], context: dict[str, Any]) -> dict[str, list[str]]:
    """Each block's paragraphs (its law, then its application); every failure is collected."""
    rendered: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for b in blocks:
        if b.block.condition is not None:
            line = b.block.origin.line_of("condition")
            try:
                if not condition_holds(b.block.condition, context, b.path, line, b.id):
                    continue  # left out of this filing (see left_out)
            except AssemblyError as err:
                problems.append(Problem("error", err.message, b.path, err.line))
                continue
        parts = [(b.block.body, b.body_path, b.body_line or 1)]
        if b.block.application:
            parts.append((b.block.application, b.application_path, b.application_line or 1))
        chunks: list[str] = []
        for source, path, line in parts:
            try:
                chunks += _split(render_body(source, context, path, line, b.id))
            except AssemblyError as err:
                where = Path(str(err.path)) if err.path is not None else None
                problems.append(Problem("error", err.message, where, err.line))
        rendered[b.id] = chunks
    if problems:
        raise ValidationFailed(problems)
    return rendered


def assemble(
    case: Case,
    blocks: list[ResolvedBlock],
    library: Library,
    facts: dict[str, Any] | None = None,
    fix: Fixer = _identity,
) -> Document:
    """Render every block and lay the filing out in the order its procedure gives."""
    procedure = library.procedures[case.procedure]
    state = _Citations(library, case, fix)
    _number_explicit_pieces(state)
    state.piece_numbers.setdefault(case.acte.piece, 1)
    context = context_for(case, procedure, library.procedures, facts)
    group: Group = context["requerants"]
    body: list[Paragraph] = []
    conclusions: list[Paragraph] = []
    counter = [0, 0]  # numbered paragraphs, conclusions
    rendered = render_blocks(blocks, context)
    left_out = [b.id for b in blocks if b.id not in rendered]
    blocks = [b for b in blocks if b.id in rendered]
    titles = {
        b.id: _title(
            render_body(b.block.title, context, b.path, b.block.origin.line_of("title"), b.id), b
        )
        for b in blocks
    }
    texts = _ProcedureTexts(procedure, context)
    if procedure.opening:
        opening = texts.block("opening", procedure.opening)
        for chunk in _split(texts.render("opening", procedure.opening)):
            body.append(_paragraph(chunk, state, counter, opening))
    _lay_out(procedure, blocks, rendered, titles, state, body, conclusions, counter)
    return Document(
        title=fix(case.title or procedure.title),
        mention=fix(m) if (m := case.mention or procedure.mention) else None,
        parties=frame.parties(group, fix),
        counsel=frame.counsel(case, fix),
        contre=frame.contre(case, state.piece_numbers[case.acte.piece], fix),
        body=body,
        conclusions_intro=fix(" ".join(texts.render("conclusions", procedure.conclusions).split())),
        conclusions=conclusions,
        place_date=fix(frame.place_date(case)),
        signature=frame.signature(case, group),
        authorities=_authorities(state),
        pieces=_inventory(state),
        cited=sorted(state.cited_in),
        cited_by=state.cited_by,
        left_out=left_out,
        docket=_docket(texts, procedure, context, fix),
        subtitles=[fix(texts.render("subtitles", t)) for t in procedure.subtitles],
        soutien=(Run(fix(texts.render("soutien", procedure.soutien))),)
        if procedure.soutien
        else None,
    )


@dataclass
class _ProcedureTexts:
    """The procedure's own texts (opening, conclusions formula…), rendered in the sandbox."""

    procedure: ProcedureDecl
    context: dict[str, Any]

    def render(self, key: str, source: str) -> str:
        origin = self.procedure.origin
        label = _("procedure {id}").format(id=self.procedure.id)  # shown as a block's id
        return render_body(source, self.context, origin.path, origin.line_of(key), label)

    def block(self, key: str, source: str) -> ResolvedBlock:
        """A stand-in block, so that citations and pièces in the text are located."""
        origin = self.procedure.origin
        block = Block(id=f"procedure.{self.procedure.id}", title="-", section="faits", body=source)
        path, line = origin.path, origin.line_of(key)
        return ResolvedBlock(block.located(origin), origin.layer, path, line, 1, (), path, line)


def _docket(
    texts: _ProcedureTexts, procedure: ProcedureDecl, context: dict[str, Any], fix: Fixer
) -> str | None:
    """« Requête n° 492368 », when the procedure has a docket line and the case an instance."""
    if procedure.docket is None or context.get("instance") is None:
        return None
    return fix(texts.render("docket", procedure.docket))


def _lay_out(
    procedure: ProcedureDecl,
    blocks: list[ResolvedBlock],
    rendered: dict[str, list[str]],
    titles: dict[str, str],
    state: _Citations,
    body: list[Paragraph],
    conclusions: list[Paragraph],
    counter: list[int],
) -> None:
    top = 0
    for part in procedure.parts:
        groups = [
            (group.title, [b for b in blocks if b.block.section in group.sections])
            for group in part.groups
        ]
        groups = [(title, members) for title, members in groups if members]
        if not groups:
            continue
        body.append(_heading("h1", state.fix(part.title), label=f"{ROMAN[top]}. —"))
        top += 1
        letter = 0
        for title, members in groups:
            if title:
                body.append(_heading("h2", state.fix(title), label=f"{LETTERS[letter]}. —"))
                letter += 1
            _emit_blocks(members, rendered, titles, state, body, counter)
    for block in (b for b in blocks if b.block.section == "conclusions"):
        for chunk in rendered[block.id]:
            counter[1] += 1
            runs = _inline(chunk, state, Place("conclusion", counter[1]), block)
            conclusions.append(Paragraph("conclusion", runs, counter[1], block.id))


def _emit_blocks(
    blocks: list[ResolvedBlock],
    rendered: dict[str, list[str]],
    titles: dict[str, str],
    state: _Citations,
    out: list[Paragraph],
    counter: list[int],
) -> None:
    numbered = sum(b.block.heading for b in blocks) > 1
    rank = 0
    for block in blocks:
        if block.block.heading:
            rank += 1
            label = f"{rank}." if numbered else None  # moyens are numbered afresh in each group
            out.append(_heading("h3", state.fix(titles[block.id]), block.id, label))
        for chunk in rendered[block.id]:
            out.append(_paragraph(chunk, state, counter, block))


def _paragraph(
    chunk: str, state: _Citations, counter: list[int], block: ResolvedBlock
) -> Paragraph:
    kind: Kind = "para"
    if chunk.startswith("## "):
        runs = _inline(chunk[3:], state, Place("paragraph", counter[0]), block)
        return Paragraph("h4", runs, None, block.id)
    if chunk.startswith("> "):
        kind, chunk = "quote", re.sub(r"^> ?", "", chunk, flags=re.M)
    elif chunk.startswith("- "):
        kind, chunk = "list", chunk[2:]
    number = None
    label = None
    if kind == "para":
        counter[0] += 1
        number = counter[0]
    elif kind == "list" and (item := LIST_LABEL.match(chunk)):
        label, chunk = item.group(1), chunk[item.end() :]  # « 1) » printed by a Word list
    runs = _inline(chunk, state, Place("paragraph", counter[0]), block)
    return Paragraph(kind, runs, number, block.id, label)


def _split(text: str) -> list[str]:
    chunks = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in c.splitlines())
        if not c.startswith(">")
        else "\n".join(line.strip() for line in c.splitlines())
        for c in chunks
        if c.strip()
    ]


def _inline(text: str, state: _Citations, where: Place, block: ResolvedBlock) -> tuple[Run, ...]:
    text = nfc(text)  # a decomposed « pièce » (e + combining grave) is the same word
    _refuse_near_misses(text, state, block)
    return tuple(frame.merge_runs(_token_runs(scan(text), text, state, where, block)))


def _token_runs(
    tokens: tuple[Token, ...],
    text: str,
    state: _Citations,
    where: Place,
    block: ResolvedBlock,
    bold: bool = False,
    italic: bool = False,
    scope: int = 0,
) -> list[Run]:
    """The runs of scanned tokens; emphasis is carried down to what it holds (a pièce or a
    citation inside is read, not printed as written). Whether a citation stands inside
    parentheses is read from ``scope`` (the start of the emphasis it is in, or of the text)."""
    runs: list[Run] = []
    for token in tokens:
        if token.kind == "text":
            runs.append(Run(state.fix(token.source), italic=italic, bold=bold))
            continue
        if token.kind == "todo":
            made = [Run(state.fix(token.source), todo=True)]
        elif token.kind == "citation":
            before = text[scope : token.start]
            nested = before.count("(") > before.count(")")
            made = _cite(token, state, where, block, nested)
        elif token.kind == "piece":
            made = _piece_ref(token, state, block)
        else:
            made = _token_runs(
                token.children,
                text,
                state,
                where,
                block,
                bold=bold or token.kind == "bold",
                italic=italic or token.kind == "italic",
                scope=token.start + (2 if token.kind == "bold" else 1),
            )
        runs += [replace(r, bold=r.bold or bold, italic=r.italic or italic) for r in made]
    return runs


def _title(text: str, block: ResolvedBlock) -> str:
    """A heading prints as written: a reference in it (even one Jinja wrote) is an error."""
    text = nfc(text)
    if "[" not in text and "［" not in text:
        return text
    line = block.block.origin.line_of("title")
    for miss in near_misses(text):
        message = _("block '{id}': {message}").format(id=block.id, message=miss.message())
        raise AssemblyError(message, block.path, line)
    if found := next(iter(references(text)), None):
        raise AssemblyError(
            _(
                "block '{id}': its title holds {token}, which a heading prints "
                "as written; refer to it in the body"
            ).format(id=block.id, token=found.source),
            block.path,
            line,
        )
    return text


def _refuse_near_misses(text: str, state: _Citations, block: ResolvedBlock) -> None:
    """A bracket that looks like a pièce or a citation and is not one is an error (the same
    one ``check`` gives), never raw text in the filing."""
    if "[" not in text and "［" not in text:
        return
    for miss in near_misses(text, {p.key for p in state.case.pieces}):
        raise AssemblyError(
            _("block '{id}': {message}").format(id=block.id, message=miss.message()),
            block.body_path,
            block.body_line,
        )


def _cite(
    token: Token, state: _Citations, where: Place, block: ResolvedBlock, nested: bool = False
) -> list[Run]:
    """A citation group; consecutive articles of one instrument are merged (« articles 7 et 8
    de la Charte »), and a definition inside parentheses is not parenthesised again."""
    cites = token.cites
    if cites is None:
        raise AssemblyError(
            _("block '{id}': malformed citation {token}; write [@id] or [@id, pt 185]").format(
                id=block.id, token=token.source
            ),
            block.body_path,
            block.body_line,
        )
    rendered: list[tuple[Precedent, Cite, list[Segment]]] = []
    for cite in cites:
        precedent = _precedent(cite.key, state, block)
        family = f"instrument:{precedent.instrument}" if precedent.instrument else cite.key
        first = cite.key not in state.seen and family not in state.seen
        state.seen.update((cite.key, family))
        places = state.cited_in.setdefault(cite.key, [])
        if where not in places:
            places.append(where)
        citing = state.cited_by.setdefault(cite.key, [])
        if block.id not in citing:
            citing.append(block.id)
        segments = (full_citation if first else short_citation)(precedent, cite.locator)
        if nested and precedent.type == "text":
            segments = [Segment(unnest(seg.text), seg.italic) for seg in segments]
        rendered.append((precedent, cite, segments))
    runs: list[Run] = []
    for i, group in enumerate(_same_instrument(rendered)):
        if i:
            runs.append(Run(" ; "))
        merged = merge_articles(["".join(s.text for s in g[2]) for g in group])
        segments = [Segment(merged)] if merged else [s for g in group for s in g[2]]
        runs.extend(_runs(segments, state.fix))
    return runs


def _precedent(key: str, state: _Citations, block: ResolvedBlock) -> Precedent:
    precedent = state.library.precedents.get(key)
    if precedent is None:
        hint = did_you_mean(key, state.library.precedents)
        raise AssemblyError(
            _("block '{id}': unknown precedent '{key}'{hint}").format(
                id=block.id, key=key, hint=hint
            ),
            block.body_path,
            block.body_line,
        )
    return precedent


def _same_instrument(
    rendered: list[tuple[Precedent, Cite, list[Segment]]],
) -> list[list[tuple[Precedent, Cite, list[Segment]]]]:
    """Consecutive texts of one instrument without pinpoints, grouped for merging."""
    groups: list[list[tuple[Precedent, Cite, list[Segment]]]] = []
    for item in rendered:
        precedent, cite, _ = item
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and precedent.type == "text"
            and last[0].type == "text"
            and precedent.instrument
            and precedent.instrument == last[0].instrument
            and not cite.locator
            and not last[1].locator
        ):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _runs(segments: list[Segment], fix: Fixer = _identity) -> list[Run]:
    return [Run(fix(s.text), italic=s.italic) for s in segments if s.text]


def _piece_ref(token: Token, state: _Citations, block: ResolvedBlock) -> list[Run]:
    numbers = [_piece_number(k, state, block) for k in token.keys]
    label = "pièce n°" if len(numbers) == 1 else "pièces nos"  # « pièces nos 1 et 4 »
    runs = [Run(f"{label}{NBSP}")]
    for i, number in enumerate(numbers):
        if i:
            runs.append(Run(" et " if i == len(numbers) - 1 else ", "))
        runs.append(Run(str(number), piece=number))  # a field in the .docx (requete.fields)
    return runs


def _piece_number(key: str, state: _Citations, block: ResolvedBlock) -> int:
    catalogue = {p.key for p in state.case.pieces}
    if key not in catalogue:
        alike = closest(key, catalogue)
        hint = (
            " " + _("(did you mean '{name}'?)").format(name=alike)
            if alike
            else did_you_mean(key, catalogue)
        )
        raise AssemblyError(
            _(
                "block '{id}': unknown pièce '{key}'{hint}; add it to the "
                "`pieces:` of the case or matter file"
            ).format(id=block.id, key=key, hint=hint),
            block.body_path,
            block.body_line,
        )
    state.referenced.add(key)
    if key not in state.piece_numbers:
        if state.explicit:
            raise AssemblyError(
                _(
                    "block '{id}': pièce '{key}' is not in the case's `inventaire:`; add it there"
                ).format(id=block.id, key=key),
                block.body_path,
                block.body_line,
            )
        state.piece_numbers[key] = len(state.piece_numbers) + 1
    return state.piece_numbers[key]


def _number_explicit_pieces(state: _Citations) -> None:
    if state.case.inventaire is not None:
        state.explicit = True
        for i, key in enumerate(state.case.inventaire, start=1):
            state.piece_numbers[key] = i


def _heading(
    kind: Kind, text: str, block: str | None = None, label: str | None = None
) -> Paragraph:
    return Paragraph(kind, (Run(text),), None, block, label)


def _authorities(state: _Citations) -> list[Authority]:
    items = []
    for key, places in state.cited_in.items():
        precedent = state.library.precedents[key]
        runs = tuple(_runs(authority_citation(precedent), state.fix))
        group = authority_group(precedent)
        text = "".join(r.text for r in runs)
        date = precedent.date.isoformat() if precedent.date else "9999"
        order = date if precedent.type == "decision" else _natural(text)
        rank = f"{_group_rank(precedent.type, group):02d}|{group}|{order}|{precedent.id}"
        items.append(Authority(key, state.fix(group), runs, tuple(places), rank))
    return sorted(items, key=lambda a: a.sort_key)


GROUP_ORDER = (
    "traité",
    "charte",
    "règlement (ue)",
    "directive",
    "commission",
    "loi",
    "code",
    "décret",
    "circulaire",
    "cnil",
)


def _group_rank(kind: str, group: str) -> int:
    """Case law first (EU, then Conseil d'État), then texts from the treaties down."""
    if kind == "decision":
        return 0 if "Union" in group else 1 if "Conseil d'État" in group else 2
    lowered = group.lower()
    for rank, word in enumerate(GROUP_ORDER, start=3):
        if word in lowered:
            return rank
    return 3 + len(GROUP_ORDER)


def _natural(text: str) -> str:
    """Sort key where « article 7 » comes before « article 47 »."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(8), text.lower())


def _inventory(state: _Citations) -> list[InventoryItem]:
    by_key = {p.key: p for p in state.case.pieces}
    ordered = sorted(state.piece_numbers.items(), key=lambda kv: kv[1])
    acte = state.case.acte.piece
    return [
        InventoryItem(
            number,
            key,
            state.fix(by_key[key].label) if key in by_key else key,
            by_key[key].file if key in by_key else None,
            key in state.referenced or key == acte,
        )
        for key, number in ordered
    ]
