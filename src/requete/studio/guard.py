"""What the studio refuses before any page runs: a request for another host name (DNS
rebinding), a form posted from another site (CSRF), a body larger than the limit; and the
headers that keep its pages out of other sites' frames and scripts."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = [
    (
        b"content-security-policy",
        (
            b"default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
            b"form-action 'self'"
        ),
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class UploadTooLarge(Exception):
    """The request's body went past the limit while it was read."""


class Guard:
    """ASGI middleware: only ``127.0.0.1:port`` and ``localhost:port``, only same-origin
    posts, bodies of at most ``max_body`` bytes."""

    def __init__(self, app: ASGIApp, port: int, max_body: int):
        self.app = app
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        total = 0
        started = False

        async def counted() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > self.max_body:
                    raise UploadTooLarge
            return message

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        try:
            await self.app(scope, counted, secured)
        except UploadTooLarge:
            if not started:
                await _plain(send, 413, self._too_large())

    def _too_large(self) -> str:
        size = self.max_body
        shown = f"{size // (1024 * 1024)} Mo" if size >= 1024 * 1024 else f"{size // 1024 or 1} Ko"
        return f"Envoi refusé : plus de {shown}. Déposez des fichiers plus petits."

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host") not in self.hosts:
            return 421, (
                "Hôte refusé : le studio ne répond qu'à l'adresse qu'il a affichée "
                "(http://127.0.0.1:…)."
            )
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return 413, self._too_large()
        if method in SAFE_METHODS:
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "Requête refusée : elle vient d'un autre site."
            return None
        origin = headers.get("origin")
        if origin is None:
            referer = headers.get("referer", "")
            origin = next((o for o in self.origins if referer.startswith(o + "/")), None)
        if origin not in self.origins:
            return 403, (
                "Envoi refusé : le formulaire ne vient pas du studio (protection contre les "
                "requêtes d'un autre site). Rechargez la page du studio et recommencez."
            )
        return None


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers: list[Any] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
