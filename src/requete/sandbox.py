"""Library text is untrusted: block bodies render in a strict, sandboxed Jinja environment."""

from __future__ import annotations

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


FILTERS: dict[str, Callable[..., Any]] = {"join_fr": _join_fr, "euros": _euros}


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
def variables_used(source: str) -> frozenset[str]:
    """Top-level names a body reads (for checking declared ``params``)."""
    from jinja2 import meta

    try:
        return frozenset(meta.find_undeclared_variables(environment().parse(source)))
    except TemplateSyntaxError:
        return frozenset()


@lru_cache(maxsize=4096)
def syntax_error(source: str) -> tuple[int, str] | None:
    """(line within the body, message) for a Jinja syntax error, else None."""
    try:
        tree = environment().parse(source)
        _compile(source)
    except TemplateSyntaxError as err:
        return err.lineno, err.message or "syntax error"
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        return node.lineno, "extends/include/import are not allowed in library text"
    return None


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
        raise AssemblyError(
            f"block '{block_id}': {err.message}; define it under `variables:` "
            "in the case file and list it in the block's `params`",
            path,
            line,
        ) from None
    except SecurityError as err:
        raise AssemblyError(
            f"block '{block_id}': unsafe template operation refused ({err}); "
            "library text may only read variables",
            path,
            line,
        ) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as err:
        raise AssemblyError(f"block '{block_id}': template error: {err}", path, line) from None
    if len(text) > MAX_OUTPUT:
        raise AssemblyError(
            f"block '{block_id}': rendered text is larger than 1 MB; refused", path, line
        )
    return text
