"""Library text is untrusted: block bodies render in a strict, sandboxed Jinja environment."""

from __future__ import annotations

import datetime as dt
import marshal
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from requete import cache
from requete.errors import AssemblyError
from requete.french import date_fr, join_fr, thousands
from requete.i18n import N_, _

# Bounds on one render of one text (a block's law, its application, its title, a condition):
# generous for a filing (the whole library renders a few hundred iterations and calls nested
# a few deep), small enough that no text can hang the tool or take its memory.
MAX_OUTPUT = 1_000_000  # characters of rendered text, and of any text or list built on the way
MAX_ITERATIONS = 100_000  # loop iterations, all loops of the text together
MAX_DEPTH = 50  # calls nested in calls (a macro calling itself)
MAX_SECONDS = 2.0  # wall-clock time, checked at each loop iteration and each call
MAX_INT_BITS = 100_000  # integers built by ``*`` and ``**``


def _join_fr(items: Any) -> str:
    """« a, b et c »; an empty list is an error (« méconnaissent . » is no sentence)."""
    words = list(items)
    if not words:
        raise ValueError(_("join_fr was given an empty list: give the fact at least one item"))
    return join_fr(words)


def _euros(value: Any) -> str:
    """5000 -> « 5 000 » with a narrow no-break space as thousands separator."""
    return thousands(int(value))


def _date_fr(value: Any) -> str:
    """2023-12-21 -> « 21 décembre 2023 »."""
    return date_fr(_as_date(value))


def _jour_fr(value: Any) -> str:
    """2024-02-01 -> « jeudi 1er février 2024 »."""
    return date_fr(_as_date(value), weekday=True)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(
            _("date_fr/jour_fr need a date written YYYY-MM-DD, got {value}").format(
                value=repr(value)
            )
        ) from None


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


class LimitExceeded(SecurityError):
    """A bound on what one render may do (iterations, depth, size, time) was reached."""


@dataclass
class _Budget:
    """What one render (a body, a title, a condition, a Word template) may spend, and has
    spent so far."""

    deadline: float
    seconds: float = MAX_SECONDS
    max_iterations: int = MAX_ITERATIONS
    max_output: int = MAX_OUTPUT
    iterations: int = 0
    depth: int = 0

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.max_iterations:
            raise LimitExceeded(
                _("more than {count} loop iterations in one text; refused").format(
                    count=f"{self.max_iterations:,}"
                )
            )
        self.clock()

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(
                _("the text took more than {seconds} s to render; refused").format(
                    seconds=f"{self.seconds:g}"
                )
            )


def _max_output() -> int:
    budget = _BUDGET.get()
    return budget.max_output if budget is not None else MAX_OUTPUT


def _megabytes(size: int) -> str:
    return _("{count} MB").format(count=f"{size / 1_000_000:g}")


_BUDGET: ContextVar[_Budget | None] = ContextVar("requete_render_budget", default=None)


@contextmanager
def _bounded(
    seconds: float | None = None, iterations: int | None = None, output: int | None = None
) -> Iterator[_Budget]:
    """A fresh budget for one render (the module's bounds, read when it starts)."""
    seconds = MAX_SECONDS if seconds is None else seconds
    iterations = MAX_ITERATIONS if iterations is None else iterations
    output = MAX_OUTPUT if output is None else output
    budget = _Budget(time.monotonic() + seconds, seconds, iterations, output)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _size(value: Any, limit: int | None = None) -> int:
    """Roughly the characters ``str(value)`` would take, counted without building it and
    no further than just past ``limit`` (nested lists are walked without recursion)."""
    if isinstance(value, str):
        return len(value)
    limit = _max_output() if limit is None else limit
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4
        elif isinstance(item, list | tuple):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        else:
            total += 8
        if total > limit:
            break
    return total


# What would build a text too large: {limit} the bound, {size} the characters it would make,
# {name} the method, operator or filter (marked with N_, translated in _refuse_size).
_TOO_BIG_VALUE = N_("this value would make more than {limit} of text ({size}+ characters)")
_TOO_BIG_REPETITION = N_(
    "this repetition would make more than {limit} of text ({size}+ characters)"
)
_TOO_BIG_CALL = N_("this call would make more than {limit} of text ({size}+ characters)")
_TOO_BIG_NAMED = N_("'{name}' would make more than {limit} of text ({size}+ characters)")
_TOO_BIG_FILTER = N_("filter '{name}' would make more than {limit} of text ({size}+ characters)")


def _refuse_size(message: str, size: int, name: str = "") -> None:
    """Refuse what would make more than the bound; ``message`` is one of _TOO_BIG_*."""
    limit = _max_output()
    if size > limit:
        raise LimitExceeded(_(message).format(limit=_megabytes(limit), size=f"{size:,}", name=name))


def _bounded_concat(parts: Iterable[str]) -> str:
    """``environment.concat``: joins the output of a text, a macro or a ``{% set %}`` block,
    refused as soon as it passes 1 MB (the pieces are counted before they are joined)."""
    kept: list[str] = []
    total = 0
    limit = _max_output()
    for part in parts:
        total += len(part)
        if total > limit:
            raise LimitExceeded(
                _("rendered text is larger than {size}; refused").format(size=_megabytes(limit))
            )
        kept.append(part)
    return "".join(kept)


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``: refused before it is turned into text when that text is too big."""
    if not isinstance(value, str):
        _refuse_size(_TOO_BIG_VALUE, _size(value))
    return value


def _int_bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


_SEQUENCES = (str, list, tuple)
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def _check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """String methods that can build a text much larger than their inputs are checked before
    they run: ``'x'.center(10**9)``, ``','.join(big)``, ``s.replace('', s)``."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    values = list(args) + list(kwargs.values())
    if name in _WIDTH_METHODS and values and isinstance(values[0], int):
        _refuse_size(_TOO_BIG_NAMED, values[0], name)
    elif name == "expandtabs":
        tab = values[0] if values and isinstance(values[0], int) else 8
        _refuse_size(_TOO_BIG_NAMED, len(owner) + owner.count("\t") * max(tab, 0), name)
    elif name == "join" and values:
        _refuse_size(_TOO_BIG_NAMED, _joined_size(values[0], owner), name)
    elif name == "replace" and len(values) >= 2:
        _refuse_size(_TOO_BIG_NAMED, _replaced_size(owner, values[0], values[1]), name)
    elif name in ("translate", "maketrans", "format", "format_map"):
        raise SecurityError(_("str.{name} is not available in library text").format(name=name))


def _joined_size(items: Any, separator: Any) -> int:
    if not isinstance(items, list | tuple | str | dict):
        return 0
    return _size(list(items)) + len(str(separator)) * len(items)


def _replaced_size(text: Any, old: Any, new: Any) -> int:
    text, old, new = str(text), str(old), str(new)
    count = text.count(old) if old else len(text) + 1
    return len(text) + count * max(len(new) - len(old), 0)


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose inputs and result are held to the size bound; ``join``, ``join_fr`` and
    ``replace`` are checked before they build anything."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, EvalContext | Environment | Context)]
        for value in values:
            _refuse_size(_TOO_BIG_FILTER, _size(value), name)
        if name in ("join", "join_fr") and values:
            separator = values[1] if len(values) > 1 else kwargs.get("d", ", ")
            _refuse_size(_TOO_BIG_FILTER, _joined_size(values[0], separator), name)
        if name == "replace" and len(values) >= 3:
            _refuse_size(_TOO_BIG_FILTER, _replaced_size(*values[:3]), "replace")
        result = function(*args, **kwargs)
        _refuse_size(_TOO_BIG_FILTER, _size(result), name)
        return result

    return guarded


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator with two hooks: every ``{% for %}`` iterates through
    ``environment.iterate`` (which counts iterations and checks the clock), and ``~`` joins
    through ``environment.join_text`` (which checks the size before building the text)."""

    def visit_For(self, node: nodes.For, frame: Any) -> None:
        if node.recursive:
            self.fail(_RECURSIVE_LOOP, node.lineno)  # kept in English in the cache: see _own
        wrapped = nodes.Call(
            nodes.EnvironmentAttribute("iterate"), [node.iter], [], None, None, lineno=node.lineno
        )
        super().visit_For(
            nodes.For(
                node.target,
                wrapped,
                node.body,
                node.else_,
                node.test,
                node.recursive,
                lineno=node.lineno,
            ),
            frame,
        )

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.join_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Environment(ImmutableSandboxedEnvironment):
    """No ``range`` bombs, no ``cycler``/``joiner``/``namespace`` globals, strict undefined;
    loops, calls, operators and output held to the bounds above."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def iterate(self, iterable: Any) -> Iterator[Any]:
        """Every loop of library text: counted against the render's budget."""
        budget = _BUDGET.get()
        for item in iterable:
            if budget is not None:
                budget.tick()
            yield item

    def join_text(self, values: tuple[Any, ...]) -> str:
        """The ``~`` operator, refused before it builds more than 1 MB."""
        _refuse_size(_TOO_BIG_NAMED, sum(_size(v) for v in values), "~")
        return "".join(str(v) for v in values)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sequences = _SEQUENCES
        if operator == "**":
            if not isinstance(right, int) or abs(right) > 64:
                raise SecurityError(_("exponent too large in library text"))
            if _int_bits(left) * abs(right) > MAX_INT_BITS:
                raise LimitExceeded(_("power too large in library text"))
        elif operator == "*":
            if isinstance(left, sequences) or isinstance(right, sequences):
                seq, count = (left, right) if isinstance(left, sequences) else (right, left)
                if isinstance(count, int):
                    if count > 1000:
                        raise SecurityError(_("repetition too large in library text"))
                    _refuse_size(_TOO_BIG_REPETITION, _size(seq) * max(count, 0))
            elif _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
                raise LimitExceeded(_("product too large in library text"))
        elif operator == "+":
            if isinstance(left, sequences) and isinstance(right, sequences):
                _refuse_size(_TOO_BIG_NAMED, _size(left) + _size(right), "+")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError(_("'%' formatting is not available in library text; use ~"))
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise SecurityError(_("str.format is not available in library text"))

        return refused

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if __obj in (range,):
            raise SecurityError(_("range() is not available in library text"))
        _check_method(__obj, args, kwargs)
        budget = _BUDGET.get()
        if budget is None:
            return super().call(__context, __obj, *args, **kwargs)
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise LimitExceeded(
                    _(
                        "calls nested more than {count} deep (a macro calling itself?); refused"
                    ).format(count=MAX_DEPTH)
                )
            budget.clock()
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if isinstance(result, str | list | tuple):
            _refuse_size(_TOO_BIG_CALL, _size(result))
        return result


@lru_cache(maxsize=1)
def environment() -> _Environment:
    """The one Jinja environment used for library text."""
    env = _Environment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.concat = _bounded_concat  # type: ignore[method-assign]
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
    env.filters = {name: _guarded_filter(name, f) for name, f in env.filters.items()}
    env.tests = {k: v for k, v in env.tests.items() if k in ("defined", "undefined", "none")}
    return env


# A Word template renders the whole document.xml at once: its budget is the document's.
TEMPLATE_OUTPUT = 200_000_000  # characters of document XML (the unpacked-template bound)
TEMPLATE_ITERATIONS = 5_000_000  # loop iterations over paragraphs, runs, authorities…
TEMPLATE_SECONDS = 120.0


class _TemplateEnvironment(_Environment):
    """Word templates: docxtpl hands over the whole document XML as one string; its compiled
    code is kept across runs (``requete.cache``, keyed by that XML and the code generator)."""

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw or defer_init or name or filename or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        stored = cache.get("jinja", "template", source)
        if isinstance(stored, bytes):
            try:
                return marshal.loads(stored)
            except (EOFError, ValueError, TypeError):
                pass
        code = super().compile(source)
        cache.put("jinja", marshal.dumps(code), "template", source)
        return code


def template_environment() -> _Environment:
    """The environment for Word templates (docxtpl): the same sandbox and hooks as library
    text, XML-escaping its output, with the standard filters (each size-guarded)."""
    env = _TemplateEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_finalize)
    env.concat = _bounded_concat  # type: ignore[method-assign]
    env.globals.clear()
    env.filters = {name: _guarded_filter(name, f) for name, f in env.filters.items()}
    return env


def template_budget() -> Any:
    """The bounds of one Word template render (use as ``with template_budget():``)."""
    return _bounded(TEMPLATE_SECONDS, TEMPLATE_ITERATIONS, TEMPLATE_OUTPUT)


# Our own messages an analysis records: kept in English in the analysis (it is cached across
# runs, requete.cache, and within a process), translated when they are read (_own). Jinja's own
# syntax messages are in its English and stay so.
_SYNTAX_ERROR = N_("syntax error")
_FORBIDDEN_TAG = N_("extends/include/import are not allowed in library text")
_NESTED_TOO_DEEPLY = N_("expressions nested too deeply")
_RECURSIVE_LOOP = N_("recursive loops are not available in library text")
_OWN = frozenset({_SYNTAX_ERROR, _FORBIDDEN_TAG, _NESTED_TOO_DEEPLY, _RECURSIVE_LOOP})


def _own(message: str) -> str:
    """A message of an analysis in the current language (ours translated, Jinja's as is)."""
    return _(message) if message in _OWN else message


@dataclass(frozen=True)
class _Analysis:
    """What the checks and the render need of one text, from one parse: its syntax error or
    its compiled code, the names it reads, the attributes it follows, a forbidden tag."""

    error: tuple[int, str] | None
    forbidden: tuple[int, str] | None
    variables: frozenset[str]
    attributes: tuple[tuple[int, str, tuple[str, ...]], ...]
    code: bytes  # marshal of the compiled module (b"" when the text does not compile)


@lru_cache(maxsize=4096)
def _analysis(source: str) -> _Analysis:
    """One parse and one compile per text and process, and none across runs while the text
    is unchanged (``requete.cache``, keyed by the text and the code that analyses it)."""
    stored = cache.get("jinja", "body", source)
    if isinstance(stored, _Analysis):
        return stored
    analysis = _analyse(source)
    cache.put("jinja", analysis, "body", source)
    return analysis


def _analyse(source: str) -> _Analysis:
    env = environment()
    try:
        tree = env.parse(source)
        variables, attributes = _names_read(tree), _attributes(tree)
        forbidden = next(
            (
                (node.lineno, _FORBIDDEN_TAG)
                for node in tree.find_all(
                    (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
                )
            ),
            None,
        )
        code = env.compile(tree)  # from the same tree: the text is parsed once
    except TemplateSyntaxError as err:
        return _Analysis((err.lineno, err.message or _SYNTAX_ERROR), None, frozenset(), (), b"")
    except RecursionError:
        deep = _too_deep(source)
        return _Analysis((deep.lineno, deep.message or _SYNTAX_ERROR), None, frozenset(), (), b"")
    return _Analysis(None, forbidden, variables, attributes, marshal.dumps(code))


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    """The compiled template of a text (raises TemplateSyntaxError)."""
    analysis = _analysis(source)
    if analysis.error is not None:
        line, message = analysis.error
        raise TemplateSyntaxError(_own(message), line)
    env = environment()
    return env.template_class.from_code(env, marshal.loads(analysis.code), env.make_globals(None))


def _too_deep(source: str) -> TemplateSyntaxError:
    """The parser ran out of stack: the line where brackets first nest very deep."""
    depth, line = 0, 1
    for char in source:
        if char == "\n":
            line += 1
        elif char in "([{":
            depth += 1
            if depth > 100:
                break
        elif char in ")]}":
            depth -= 1
    else:
        line = 1
    return TemplateSyntaxError(_NESTED_TOO_DEEPLY, line)  # translated where it is read


def _is_template(source: str) -> bool:
    """Plain text (no ``{{``, ``{%`` or ``{#``) needs no Jinja analysis at all."""
    return "{" in source and any(mark in source for mark in ("{{", "{%", "{#"))


def _names_read(tree: nodes.Template) -> frozenset[str]:
    from jinja2 import meta

    assigned = {
        n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")
    }  # `{% set %}` inside a loop is reported by jinja2.meta, though it is local
    return frozenset(meta.find_undeclared_variables(tree) - assigned)


def _attributes(tree: nodes.Template) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
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


def variables_used(source: str) -> frozenset[str]:
    """Top-level names a body reads (for checking declared ``params``)."""
    return _analysis(source).variables if _is_template(source) else frozenset()


def attributes_read(source: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """Each ``name.attr.attr`` a text reads: (line within the text, name, attributes)."""
    return _analysis(source).attributes if _is_template(source) else ()


def syntax_error(source: str) -> tuple[int, str] | None:
    """(line within the body, message) for a Jinja syntax error, else None."""
    if not _is_template(source):
        return None
    analysis = _analysis(source)
    found = analysis.error or analysis.forbidden
    return (found[0], _own(found[1])) if found is not None else None


@lru_cache(maxsize=1024)
def _compile_condition(expression: str) -> Any:
    try:
        return environment().compile_expression(expression, undefined_to_none=False)
    except RecursionError:
        raise _too_deep(expression) from None


def condition_holds(
    expression: str, context: dict[str, Any], path: Path | None, line: int, block_id: str
) -> bool:
    """Evaluate a block's ``condition`` (a Jinja expression) in the sandbox."""
    try:
        with _bounded():
            return bool(_compile_condition(expression)(**context))
    except TemplateSyntaxError as err:
        raise AssemblyError(
            _("block '{id}': condition: Jinja syntax error: {message}").format(
                id=block_id, message=_own(str(err.message))
            ),
            path,
            line,
        ) from None
    except RecursionError:
        raise AssemblyError(
            _("block '{id}': condition {expression} nests too deeply").format(
                id=block_id, expression=repr(expression)
            ),
            path,
            line,
        ) from None
    except (UndefinedError, SecurityError, TypeError, ValueError, AttributeError) as err:
        raise AssemblyError(
            _("block '{id}': condition {expression} cannot be evaluated: {error}").format(
                id=block_id, expression=repr(expression), error=err
            ),
            path,
            line,
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
        template = _compile(source)
        with _bounded():
            text: str = template.render(context)
    except TemplateSyntaxError as err:
        raise AssemblyError(
            _("block '{id}': Jinja syntax error: {message}").format(
                id=block_id, message=_own(str(err.message))
            ),
            path,
            line + (err.lineno or 1),
        ) from None
    except UndefinedError as err:
        message = err.message or _("undefined value")  # Jinja's words, in English
        if message.startswith("'None' has no attribute"):
            hint = _(
                "a helper that may be absent (instance, delai) is read where it is: guard it "
                "with {% if instance %}…{% endif %}, or give the case its `instance:`"
            )
        elif "has no attribute" in message:
            hint = _("see the helpers in docs/format.md (« Agreement helpers »)")
        else:
            hint = _("give it under `facts:` in the matter and list it in the block's `params`")
        where = line + _template_line(err)
        raise AssemblyError(
            _("block '{id}': {message}; {hint}").format(id=block_id, message=message, hint=hint),
            path,
            where,
        ) from None
    except LimitExceeded as err:
        raise AssemblyError(
            _("block '{id}': {error} (see docs/security.md, « Jinja and markup »)").format(
                id=block_id, error=err
            ),
            path,
            line + _template_line(err),
        ) from None
    except RecursionError as err:
        raise AssemblyError(
            _("block '{id}': the text nests too deeply to render; refused").format(id=block_id),
            path,
            line + _template_line(err),
        ) from None
    except SecurityError as err:
        raise AssemblyError(
            _(
                "block '{id}': unsafe template operation refused ({error}); "
                "library text may only read variables"
            ).format(id=block_id, error=err),
            path,
            line + _template_line(err),
        ) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError) as err:
        raise AssemblyError(
            _(
                "block '{id}': template error: {error} (see docs/format.md, « Agreement helpers »)"
            ).format(id=block_id, error=err),
            path,
            line + _template_line(err),
        ) from None
    if len(text) > MAX_OUTPUT:
        raise AssemblyError(
            _("block '{id}': rendered text is larger than 1 MB; refused").format(id=block_id),
            path,
            line,
        )
    return text
