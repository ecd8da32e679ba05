"""``requete studio``: a local web application in front of the public API, for lawyers who
do not use a terminal (docs/studio.md). It binds to 127.0.0.1 only, on a free port, and reads
and writes only inside the folder it is started on."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (a free port when ``port`` is 0)."""
    from requete.errors import RequeteError
    from requete.i18n import _

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as err:
        sock.close()
        raise RequeteError(
            _("cannot listen on 127.0.0.1:{port}: {reason}; choose another --port").format(
                port=port, reason=err.strerror or err
            )
        ) from None
    sock.listen(64)
    return sock


def serve(root: Path, port: int = 0, ready: Callable[[str], None] | None = None) -> None:
    """Run the studio over ``root`` until interrupted; ``ready`` gets its address."""
    import uvicorn

    from requete.studio.app import make_app

    sock = bind(port)
    chosen = sock.getsockname()[1]
    app = make_app(root, chosen)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    url = f"http://127.0.0.1:{chosen}/"
    if ready is not None:
        ready(url)
    server.run(sockets=[sock])
