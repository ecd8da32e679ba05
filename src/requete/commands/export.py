"""CLI commands for the export verbs (registered by requete.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the export commands to the app."""
