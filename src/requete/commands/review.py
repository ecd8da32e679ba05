"""CLI commands for the review verbs (registered by requete.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the review commands to the app."""
