"""Library text is untrusted: block bodies render in a strict, sandboxed Jinja environment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from requete.errors import AssemblyError

MAX_OUTPUT = 1_000_000


def _join_fr(items: list[Any]) -> str:
    """« a, b et c »."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def _euros(value: Any) -> str:
    """5000 -> « 5 000 » with a narrow no-break space as thousands separator."""
    return f"{int(value):,}".replace(",", "\u202f")


def _date_fr(value: Any) -> str:
    """2023-12-21 -> « 21 décembre 2023 »."""
    from requete.act import french_date

    return french_date(_as_date(value))


def _jour_fr(value: Any) -> str:
    """2024-02-01 -> « jeudi 1er février 2024 »."""
    from requete.act import french_date

    return french_date(_as_date(value), weekday=True)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"date_fr/jour_fr need a date written YYYY-MM-DD, got {value!r}") from None


def _majuscule(value: Any) -> str:
    """First letter upper-case, the rest untouched (unlike ``capitalize``)."""
    text = str(value)
    return text[:1].upper() + text[1:]


FILTERS: dict[str, Callable[..., Any]] = {
    "join_fr": _join_fr,
    "euros": _euros,
    "date_fr": _date_fr,
    "jour_fr": _jour_fr,
    "majuscule": _majuscule,
}


class _Environment(ImmutableSandboxedEnvironment):
    """No ``range`` bombs, no ``cycler``/``joiner``/``namespace`` globals, strict undefined."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (abs(right) > 64 if isinstance(right, int) else True):
            raise SecurityError("exponent too large in library text")
        if operator == "*" and (isinstance(left, str | list) or isinstance(right, str | list)):
            count = right if isinstance(left, str | list) else left
            if isinstance(count, int) and count > 1000:
                raise SecurityError("repetition too large in library text")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj in (range,):
            raise SecurityError("range() is not available in library text")
        return super().call(__context, __obj, *args, **kwargs)


@lru_cache(maxsize=1)
def environment() -> _Environment:
    """The one Jinja environment used for library text."""
    env = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {
        name: env.filters[name]
        for name in (
            "upper",
            "lower",
            "capitalize",
            "title",
            "trim",
            "default",
            "length",
            "join",
            "first",
            "last",
            "replace",
            "int",
            "string",
            "round",
        )
    }
    env.filters.update(FILTERS)
    env.tests = {k: v for k, v in env.tests.items() if k in ("defined", "undefined", "none")}
    return env


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    return environment().from_string(source)


@lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template:
    """One parse per text, shared by the checks below (raises TemplateSyntaxError)."""
    return environment().parse(source)


def _is_template(source: str) -> bool:
    """Plain text (no ``{{``, ``{%`` or ``{#``) needs no Jinja analysis at all."""
    return "{" in source and any(mark in source for mark in ("{{", "{%", "{#"))


@lru_cache(maxsize=4096)
def variables_used(source: str) -> frozenset[str]:
    """Top-level names a body reads (for checking declared ``params``)."""
    from jinja2 import meta

    if not _is_template(source):
        return frozenset()
    try:
        tree = _parse(source)
        assigned = {
            n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")
        }  # `{% set %}` inside a loop is reported by jinja2.meta, though it is local
        return frozenset(meta.find_undeclared_variables(tree) - assigned)
    except TemplateSyntaxError:
        return frozenset()


@lru_cache(maxsize=4096)
def attributes_read(source: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """Each ``name.attr.attr`` a text reads: (line within the text, name, attributes)."""
    if not _is_template(source):
        return ()
    try:
        tree = _parse(source)
    except TemplateSyntaxError:
        return ()
    inner = {id(n.node) for n in tree.find_all(nodes.Getattr) if isinstance(n.node, nodes.Getattr)}
    found = []
    for node in tree.find_all(nodes.Getattr):
        if id(node) in inner:
            continue
        chain: list[str] = []
        current: nodes.Node = node
        while isinstance(current, nodes.Getattr):
            chain.append(current.attr)
            current = current.node
        if isinstance(current, nodes.Name):
            found.append((node.lineno, current.name, tuple(reversed(chain))))
    return tuple(found)


@lru_cache(maxsize=4096)
def syntax_error(source: str) -> tuple[int, str] | None:
    """(line within the body, message) for a Jinja syntax error, else None."""
    if not _is_template(source):
        return None
    try:
        tree = _parse(source)
        _compile(source)
    except TemplateSyntaxError as err:
        return err.lineno, err.message or "syntax error"
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        return node.lineno, "extends/include/import are not allowed in library text"
    return None


@lru_cache(maxsize=1024)
def _compile_condition(expression: str) -> Any:
    return environment().compile_expression(expression, undefined_to_none=False)


def condition_holds(
    expression: str, context: dict[str, Any], path: Path | None, line: int, block_id: str
) -> bool:
    """Evaluate a block's ``condition`` (a Jinja expression) in the sandbox."""
    try:
        return bool(_compile_condition(expression)(**context))
    except TemplateSyntaxError as err:
        raise AssemblyError(
            f"block '{block_id}': condition: Jinja syntax error: {err.message}", path, line
        ) from None
    except (UndefinedError, SecurityError, TypeError, ValueError, AttributeError) as err:
        raise AssemblyError(
            f"block '{block_id}': condition {expression!r} cannot be evaluated: {err}", path, line
        ) from None


def _template_line(err: BaseException) -> int:
    """Line within the text where a runtime error happened (0 when unknown)."""
    found, tb = 0, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def render_body(
    source: str, context: dict[str, Any], path: Path | None, line: int, block_id: str
) -> str:
    """Render one block body; every failure names the block's file and line."""
    if "{" not in source:
        return source
    try:
        text: str = _compile(source).render(context)
    except TemplateSyntaxError as err:
        raise AssemblyError(
            f"block '{block_id}': Jinja syntax error: {err.message}", path, line + (err.lineno or 1)
        ) from None
    except UndefinedError as err:
        message = err.message or "undefined value"
        if message.startswith("'None' has no attribute"):
            hint = (
                "a helper that may be absent (instance, delai) is read where it is: guard it "
                "with {% if instance %}…{% endif %}, or give the case its `instance:`"
            )
        elif "has no attribute" in message:
            hint = "see the helpers in docs/format.md (« Agreement helpers »)"
        else:
            hint = "give it under `facts:` in the matter and list it in the block's `params`"
        where = line + _template_line(err)
        raise AssemblyError(f"block '{block_id}': {message}; {hint}", path, where) from None
    except SecurityError as err:
        raise AssemblyError(
            f"block '{block_id}': unsafe template operation refused ({err}); "
            "library text may only read variables",
            path,
            line,
        ) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as err:
        raise AssemblyError(
            f"block '{block_id}': template error: {err} "
            "(see docs/format.md, « Agreement helpers »)",
            path,
            line + _template_line(err),
        ) from None
    if len(text) > MAX_OUTPUT:
        raise AssemblyError(
            f"block '{block_id}': rendered text is larger than 1 MB; refused", path, line
        )
    return text
