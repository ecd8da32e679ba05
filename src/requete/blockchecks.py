"""Pure: the problems of one block's texts (title, law, application, condition) — Jinja
syntax, helpers, facts, citations and pièces — each at its file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from requete.act import ActView, DeadlineView
from requete.agreement import Group
from requete.authorities import AuthorityIndex
from requete.citations import locator_points
from requete.context import ALWAYS as CONTEXT_NAMES
from requete.errors import Problem, Severity, did_you_mean
from requete.i18n import _
from requete.library import Library
from requete.markup import cites, closest, near_misses, nfc, references
from requete.model import Block, Case
from requete.overlay import ResolvedBlock
from requete.sandbox import attributes_read, syntax_error, variables_used

ALWAYS = set(CONTEXT_NAMES)
HELPERS = {"requerants": Group, "acte": ActView, "delai": DeadlineView}


@dataclass(frozen=True)
class _Text:
    """One text of a block (its law, its application, its title) and where it is written."""

    name: str
    source: str
    path: Path
    line: int
    from_matter: bool = False


def _texts(block: Block, resolved: ResolvedBlock | None) -> list[_Text]:
    origin = block.origin
    body_path = resolved.body_path if resolved and resolved.body_path else origin.path
    body_line = resolved.body_line if resolved and resolved.body_line else origin.line_of("body")
    texts = [
        _Text("title", block.title, origin.path, origin.line_of("title") - 1),
        _Text("body", block.body, body_path, body_line),
    ]
    if block.application:
        path = resolved.application_path if resolved and resolved.application_path else None
        line = resolved.application_line if resolved and resolved.application_line else None
        path = path or origin.path
        line = line or origin.line_of("application")
        texts.append(_Text("application", block.application, path, line, path != origin.path))
    if block.condition is not None:
        line = origin.line_of("condition") - 1
        texts.append(_Text("condition", "{{ " + block.condition + " }}", origin.path, line))
    return texts


def block_problems(
    block: Block,
    library: Library,
    case: Case | None,
    resolved: ResolvedBlock | None,
    index: AuthorityIndex | None = None,
) -> list[Problem]:
    """Every problem of one block's texts; ``index`` holds the authorities to look for
    (built once by the caller for many blocks)."""
    from requete.authorities import authority_index, unkeyed_authorities
    from requete.procedures import block_procedure_problems

    if index is None:
        index = authority_index(library)
    out: list[Problem] = []
    out += _declared_params(block, library)
    out += block_procedure_problems(block, library)
    for text in _texts(block, resolved):
        error = syntax_error(text.source)
        if error is not None:
            out.append(
                Problem(
                    "error",
                    # {part}: the YAML key of the text (title, body, application, condition)
                    _("block '{id}': Jinja syntax error in its {part}: {message}").format(
                        id=block.id, part=text.name, message=error[1]
                    ),
                    text.path,
                    text.line + error[0],
                )
            )
            continue
        out += _helper_problems(block, text)
        out += _markup_problems(block, case, text)
        out += _citation_problems(block, library, text.source, text.path, text.line)
        if text.name != "title":  # a heading names its moyen; the table indexes paragraphs
            out += unkeyed_authorities(block, text.source, text.path, text.line, index)
        if case is not None:
            out += _variable_problems(block, case, text)
            out += _piece_problems(block, case, text.source, text.path, text.line)
    if case is not None:
        out += _param_problems(block, case, library)
    elif resolved is None:  # the block alone: a matter's application may cite other points
        out += _stale_pinpoints(block, _texts(block, None))
    return out


def _declared_params(block: Block, library: Library) -> list[Problem]:
    out = []
    for i, param in enumerate(block.params):
        if param in ALWAYS or param in library.facts:
            continue
        hint = did_you_mean(param, library.facts.names())
        out.append(
            Problem(
                "error",
                _(
                    "block '{id}': `params` names '{param}', which is no declared fact"
                    "{hint}; declare it in facts/{param}.yaml or fix the name"
                ).format(id=block.id, param=param, hint=hint),
                block.origin.path,
                block.origin.line_of("params", i),
            )
        )
    return out


def _helper_problems(block: Block, text: _Text) -> list[Problem]:
    """An attribute a helper does not have (``requerants.lle``) is an error at its line."""
    out = []
    for offset, name, chain in attributes_read(text.source):
        kind: Any = HELPERS.get(name)
        for attribute in chain:
            if kind is None:
                break
            if not hasattr(kind, attribute) or attribute.startswith("_"):
                known = [a for a in dir(kind) if not a.startswith("_")]
                hint = did_you_mean(attribute, known)
                out.append(
                    Problem(
                        "error",
                        _(
                            "block '{id}': '{name}' has no helper '{attribute}'{hint} "
                            "(see docs/format.md, « Agreement helpers »)"
                        ).format(id=block.id, name=name, attribute=attribute, hint=hint),
                        text.path,
                        text.line + offset,
                    )
                )
                break
            kind = _SUBGROUPS.get(attribute) if kind is Group else None
    return out


_SUBGROUPS: dict[str, Any] = {
    "societes": Group,
    "associations": Group,
    "personnes_physiques": Group,
    "personnes_morales": Group,
}


def _markup_problems(block: Block, case: Case | None, text: _Text) -> list[Problem]:
    """A bracket that looks like a pièce or a citation but is not written exactly
    (``[piece:k]``, ``[Pièce:k]``, a Cyrillic ``р``) is an error, and so is a reference in
    a title, which prints as written: a pièce is never left out silently."""
    if text.name == "condition":
        return []
    source = nfc(text.source)
    pieces = {p.key for p in case.pieces} if case is not None else None
    out = [
        Problem(
            "error",
            _("block '{id}': {message}").format(id=block.id, message=miss.message()),
            text.path,
            text.line + source.count("\n", 0, miss.start) + 1,
        )
        for miss in near_misses(source, pieces)
    ]
    if text.name == "title":
        for token in references(source):
            out.append(
                Problem(
                    "error",
                    _(
                        "block '{id}': its title holds {token}, which a heading prints "
                        "as written; refer to it in the body"
                    ).format(id=block.id, token=token.source),
                    text.path,
                    text.line + token.line + 1,
                )
            )
    return out


def _citation_problems(
    block: Block, library: Library, source: str, path: Path, line: int
) -> list[Problem]:
    out = []
    for token in references(nfc(source), ("citation",)):
        where: tuple[Path, int] = (path, line + token.line + 1)
        if token.templated:
            continue  # a key written with Jinja is checked once rendered
        cites = token.cites
        if cites is None:
            out.append(
                Problem(
                    "error",
                    _("malformed citation {token}; write [@id] or [@id, pt 185]").format(
                        token=token.source
                    ),
                    *where,
                )
            )
            continue
        for cite in cites:
            precedent = library.precedents.get(cite.key)
            if precedent is None:
                hint = did_you_mean(cite.key, library.precedents)
                message = _("unknown precedent '{key}'{hint}").format(key=cite.key, hint=hint)
                out.append(Problem("error", message, *where))
                continue
            declared = declared_propositions(block).get(cite.key, {})
            for point in locator_points(cite.locator or ""):
                if precedent.points and point not in precedent.points:
                    out.append(
                        Problem(
                            "warning",
                            _(
                                "pinpoint pt {point} of '{key}' is not "
                                "among its recorded points; check it against the "
                                "decision and add it to `points`"
                            ).format(point=point, key=cite.key),
                            *where,
                        )
                    )
                    continue
                out += _proposition_problems(block, cite.key, point, declared, where, library)
    return out


def declared_propositions(block: Block) -> dict[str, dict[str, list[str]]]:
    """The block's ``pinpoints:`` with ranges (``186-189``) spread over their points."""
    spread: dict[str, dict[str, list[str]]] = {}
    for key, points in block.pinpoints.items():
        for written, propositions in points.items():
            for point in locator_points("pts " + written) or [written]:
                spread.setdefault(key, {})[point] = propositions
    return spread


def _proposition_problems(
    block: Block,
    key: str,
    point: str,
    declared: dict[str, list[str]],
    where: tuple[Path, int],
    library: Library,
) -> list[Problem]:
    """A cited pinpoint must say what the block uses it for, and the precedent's point must
    record that proposition: a pinpoint cited for what its paragraph does not say is caught."""
    recorded = library.precedents[key].points.get(point)
    propositions = declared.get(point)
    if not propositions:
        snippet = f"pinpoints: {{{key}: {{{point}: <proposition>}}}}"  # YAML, not prose
        if recorded and recorded.propositions:
            message = _(
                "block '{id}' cites pt {point} of '{key}' without saying what for; "
                "add `{snippet}` to the block or its application part "
                "(pt {point} records: {recorded})"
            )
        else:
            message = _(
                "block '{id}' cites pt {point} of '{key}' without saying what for; "
                "add `{snippet}` to the block or its application part"
            )
        recorded_text = ", ".join(recorded.propositions) if recorded else ""
        return [
            Problem(
                "warning",
                message.format(
                    id=block.id, point=point, key=key, snippet=snippet, recorded=recorded_text
                ),
                *where,
            )
        ]
    if recorded is None:
        return []  # no recorded points at all: the warning above asks for them
    if not recorded.propositions:
        return [
            Problem(
                "warning",
                _(
                    "pt {point} of '{key}' records no propositions; once the paragraph is "
                    "checked against the decision, add `propositions: [{propositions}]` "
                    "to it in precedents/{key}.yaml"
                ).format(point=point, key=key, propositions=", ".join(propositions)),
                *where,
            )
        ]
    return [
        Problem(
            "error",
            _(
                "block '{id}' cites pt {point} of '{key}' for '{proposition}', but "
                "that paragraph records {recorded} "
                "(« {text} »); cite the paragraph that says it, or "
                "correct the proposition"
            ).format(
                id=block.id,
                point=point,
                key=key,
                proposition=proposition,
                recorded=", ".join(recorded.propositions),
                text=recorded.text.rstrip("."),
            ),
            *where,
        )
        for proposition in propositions
        if proposition not in recorded.propositions
    ]


def _stale_pinpoints(block: Block, texts: list[_Text]) -> list[Problem]:
    """A ``pinpoints:`` entry no text of the block cites any more."""
    cited: set[tuple[str, str]] = set()
    for text in texts:
        for cite in cites(nfc(text.source)):
            cited.update((cite.key, p) for p in locator_points(cite.locator or ""))
    out = []
    origin = block.origin
    for key, points in block.pinpoints.items():
        for written in points:
            spread = locator_points("pts " + written) or [written]
            if not any((key, p) in cited for p in spread):
                out.append(
                    Problem(
                        "warning",
                        _(
                            "block '{id}' declares what pt {point} of '{key}' is cited "
                            "for, but none of its texts cites it; remove the entry"
                        ).format(id=block.id, point=written, key=key),
                        origin.path_of("pinpoints", key, written),
                        origin.line_of("pinpoints", key, written),
                    )
                )
    return out


def _param_problems(block: Block, case: Case, library: Library) -> list[Problem]:
    out = []
    origin = case.origin
    for param in block.params:
        if param in ALWAYS or param in case.facts or param not in library.facts:
            continue
        decl = library.facts[param]
        out.append(
            Problem(
                "error",
                _(
                    "block '{id}' needs the fact '{param}' ({description}), "
                    "which the matter does not give; add it under `facts:` in the matter or case "
                    "file (see facts/{param}.yaml)"
                ).format(id=block.id, param=param, description=decl.description.rstrip(".")),
                origin.path_of("facts") if case.facts else origin.path,
                origin.line_of("facts") if case.facts else origin.line,
            )
        )
    return out


def _variable_problems(block: Block, case: Case, text: _Text) -> list[Problem]:
    """Names a text reads that are neither helpers, declared params nor facts of the matter."""
    out = []
    undeclared = variables_used(text.source) - ALWAYS - set(block.params)
    for name in sorted(undeclared):
        if name in case.facts and text.from_matter:
            continue  # the matter's own application reads the matter's own facts
        severity: Severity = "warning" if name in case.facts else "error"
        if name in case.facts:  # {part}: the YAML key of the text (title, body…)
            message = _("block '{id}' uses '{name}' in its {part} without declaring it in `params`")
        else:
            message = _(
                "block '{id}' uses '{name}' in its {part} without declaring it in `params`; "
                "the matter does not give it either"
            )
        out.append(
            Problem(
                severity,
                message.format(id=block.id, name=name, part=text.name),
                text.path,
                text.line,
            )
        )
    return out


def piece_hint(key: str, catalogue: set[str]) -> str:
    """`` (did you mean 'acte'?)``, a look-alike spelling (``Acte``, Cyrillic ``асtе``) first."""
    alike = closest(key, catalogue)
    if alike:
        return " " + _("(did you mean '{name}'?)").format(name=alike)
    return did_you_mean(key, catalogue)


def _piece_problems(block: Block, case: Case, source: str, path: Path, line: int) -> list[Problem]:
    out = []
    catalogue = {p.key for p in case.pieces}
    for token in references(nfc(source), ("piece",)):
        for key in token.keys:
            if "{" in key or key in catalogue:
                continue  # a key written with Jinja is checked once rendered
            hint = piece_hint(key, catalogue)
            out.append(
                Problem(
                    "error",
                    _(
                        "block '{id}' refers to unknown pièce "
                        "'{key}'{hint}; add it to `pieces:` in the case or matter "
                        "file"
                    ).format(id=block.id, key=key, hint=hint),
                    path,
                    line + token.line + 1,
                )
            )
    return out
