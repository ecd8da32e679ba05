"""``requete studio``: the local web application (docs/studio.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from requete.commands._common import reports_errors
from requete.i18n import _


def register(app: typer.Typer) -> None:
    """Add ``requete studio`` to the app."""
    app.command(name="studio")(studio)


@reports_errors
def studio(
    directory: Annotated[
        Path, typer.Argument(help="The folder of matters to work in (created files stay in it).")
    ] = Path("."),
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = 0,
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the studio in the browser.")
    ] = True,
) -> None:
    """Open the studio in the browser: matters, arguments, live preview, build, review,
    deadline and bundle, without the command line (127.0.0.1 only)."""
    from requete.errors import RequeteError
    from requete.studio import serve

    root = directory.expanduser()
    if not root.is_dir():
        raise RequeteError(_("{path}: no such folder; create it or give another").format(path=root))

    def ready(url: str) -> None:
        typer.echo(_("requete studio: {url} (Ctrl-C to stop)").format(url=url))
        if browser:
            import webbrowser

            webbrowser.open(url)

    serve(root, port, ready)
