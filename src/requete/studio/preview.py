"""The filing as HTML, as it will read in Word: the cover, numbered paragraphs, headings with
their labels, conclusions, the signature, the table of authorities and the inventaire, with
``check``'s problems shown at the block they concern. Every text is escaped: the library and
the matter are untrusted input."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from requete.api import Document
    from requete.errors import Problem

SEVERITY = {"error": "erreur", "warning": "avertissement", "note": "note"}


def runs_html(runs: Iterable[object]) -> Markup:
    """Runs with their formatting; « [à compléter] » highlighted, pièce numbers marked."""
    out = []
    for run in runs:
        text = escape(getattr(run, "text", ""))
        if getattr(run, "italic", False):
            text = Markup("<em>{}</em>").format(text)
        if getattr(run, "bold", False):
            text = Markup("<strong>{}</strong>").format(text)
        if getattr(run, "todo", False):
            text = Markup('<mark class="todo">{}</mark>').format(text)
        if getattr(run, "piece", None) is not None:
            text = Markup('<a class="piece" href="#piece-{}">{}</a>').format(run.piece, text)  # type: ignore[attr-defined]
        out.append(text)
    return Markup("").join(out)


def problem_html(problem: Problem, shown_path: str | None = None) -> Markup:
    """One problem as a line: its severity in French, the message, the file and line."""
    where = ""
    if shown_path:
        where = f"{shown_path}:{problem.line}" if problem.line else shown_path
    return Markup(
        '<li class="problem {sev}"><span class="sev">{label}</span> {message}{where}</li>'
    ).format(
        sev=problem.severity,
        label=SEVERITY.get(problem.severity, problem.severity),
        message=problem.message,
        where=Markup(' <code class="where">{}</code>').format(where) if where else "",
    )


def problems_html(problems: Sequence[tuple[Problem, str | None]]) -> Markup:
    """A list of problems, or nothing."""
    if not problems:
        return Markup("")
    items = Markup("").join(problem_html(p, shown) for p, shown in problems)
    return Markup('<ul class="problems">{}</ul>').format(items)


def filing_html(
    document: Document, by_block: dict[str, list[tuple[Problem, str | None]]]
) -> Markup:
    """The whole filing."""
    parts: list[Markup] = []
    add = parts.append
    add(Markup('<p class="court">CONSEIL D’ÉTAT<br>SECTION DU CONTENTIEUX</p>'))
    if document.docket:
        add(Markup('<p class="docket">{}</p>').format(document.docket))
    add(Markup('<h1 class="title">{}</h1>').format(document.title))
    for subtitle in document.subtitles:
        add(Markup('<p class="subtitle">{}</p>').format(subtitle))
    if document.mention:
        add(Markup('<p class="mention">{}</p>').format(document.mention))
    add(Markup('<section class="cover"><p class="label">POUR :</p>'))
    for party in document.parties:
        add(Markup('<p class="party">{}</p>').format(runs_html(party)))
    if document.counsel:
        add(Markup('<p class="counsel">{}</p>').format(runs_html(document.counsel)))
    for label, runs in (("AU SOUTIEN DE :", document.soutien), ("CONTRE :", document.contre)):
        if runs:  # in the order of the Word template
            add(
                Markup('<p class="label">{}</p><p class="party">{}</p>').format(
                    label, runs_html(runs)
                )
            )
    add(Markup("</section>"))
    shown: set[str] = set()
    for paragraph in document.body:
        block = paragraph.block
        if block and block not in shown:
            shown.add(block)
            found = by_block.get(block, [])
            add(
                Markup('<div class="block-start" id="apercu-{}" data-block="{}"></div>').format(
                    block, block
                )
            )
            add(problems_html(found))
        add(_paragraph(paragraph))
    add(Markup('<p class="conclusions-intro">{}</p>').format(document.conclusions_intro))
    for paragraph in document.conclusions:
        add(_paragraph(paragraph))
    add(Markup('<p class="place-date">{}</p>').format(document.place_date))
    add(Markup('<p class="signature">{}</p>').format(runs_html(document.signature)))
    add(_authorities(document))
    add(_inventory(document))
    return Markup("").join(parts)


def _paragraph(paragraph: object) -> Markup:
    kind = getattr(paragraph, "kind", "para")
    label = getattr(paragraph, "label", None)
    number = getattr(paragraph, "number", None)
    body = runs_html(getattr(paragraph, "runs", ()))
    if kind in ("h1", "h2", "h3", "h4"):
        level = {"h1": 2, "h2": 3, "h3": 4, "h4": 5}[kind]
        text = Markup("{} {}").format(label, body) if label else body
        return Markup('<h{lvl} class="{kind}">{text}</h{lvl}>').format(
            lvl=level, kind=kind, text=text
        )
    if kind == "conclusion":
        return Markup('<p class="conclusion"><span class="num">{}°</span> {}</p>').format(
            number, body
        )
    css = {"quote": "quote", "list": "list"}.get(kind, "para")
    if number is not None:
        return Markup('<p class="{} numbered"><span class="num">{}.</span> {}</p>').format(
            css, number, body
        )
    if label:
        return Markup('<p class="{}"><span class="num">{}</span> {}</p>').format(css, label, body)
    return Markup('<p class="{}">{}</p>').format(css, body)


def _authorities(document: Document) -> Markup:
    if not document.authorities:
        return Markup("")
    rows: list[Markup] = []
    group = None
    for authority in document.authorities:
        if authority.group != group:
            group = authority.group
            rows.append(Markup('<tr class="group"><th colspan="2">{}</th></tr>').format(group))
        rows.append(
            Markup('<tr><td>{}</td><td class="places">{}</td></tr>').format(
                runs_html(authority.runs), authority.places
            )
        )
    return Markup(
        '<section class="authorities"><h2>TABLE DES JURISPRUDENCES ET TEXTES CITÉS</h2>'
        "<p>Les nombres renvoient aux paragraphes de la présente requête.</p>"
        "<table>{}</table></section>"
    ).format(Markup("").join(rows))


def _inventory(document: Document) -> Markup:
    if not document.pieces:
        return Markup("")
    rows = Markup("").join(
        Markup('<tr id="piece-{n}"><td>{n}</td><td>{label}</td><td>{file}</td></tr>').format(
            n=item.number,
            label=item.label,
            file=item.file or "(à produire)",
        )
        for item in document.pieces
    )
    return Markup(
        '<section class="inventory"><h2>INVENTAIRE DES PIÈCES</h2>'
        "<p>Pièces produites (article R. 412-2 du code de justice administrative)</p><table>"
        "<tr><th>N°</th><th>Pièce</th><th>Fichier</th></tr>{}</table></section>"
    ).format(rows)
