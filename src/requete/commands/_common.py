"""Shared CLI plumbing: report a RequeteError as one message on stderr and exit 1."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from requete.i18n import _

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn RequeteError (and Ctrl-C, SIGTERM) into a clean message and exit code 1."""
    from requete.errors import RequeteError
    from requete.output import Terminated, signals_as_interrupts

    try:
        with signals_as_interrupts():  # SIGTERM cleans up like Ctrl-C
            yield
    except RequeteError as err:
        print(str(err), file=sys.stderr)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt as err:
        print(_("interrupted: nothing was written"), file=sys.stderr)
        code = 128 + err.signum if isinstance(err, Terminated) else 130
        raise typer.Exit(code=code) from None


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`user_errors` for command functions."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return fn(*args, **kwargs)

    return wrapper
