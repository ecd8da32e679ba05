"""Shared fixtures for the export tests: a CLI app holding only the export commands."""

from __future__ import annotations

import pytest
import typer

from requete.commands import export


@pytest.fixture
def app() -> typer.Typer:
    """A typer app with the export commands, independent of the rest of the CLI."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def main() -> None:
        """Export commands."""

    export.register(app)
    return app
