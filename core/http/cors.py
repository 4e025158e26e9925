"""CORS for the tracking endpoints (``/track``, ``/v1/*``): each source names its websites.

Browsers ask before a cross-origin request that is not "simple" (a preflight
``OPTIONS`` with ``Access-Control-Request-Method``), then send the request with an
``Origin`` header. A preflight carries no body, hence no write key, so it is answered
for an origin that is allowed by **any** enabled source. The request itself is
checked against **its own** source (write key from Basic auth, or ``source.id`` /
``writeKey`` in the body):

- allowed origin: the request goes on and the answer carries
  ``Access-Control-Allow-Origin: <origin>`` (and ``Vary: Origin``);
- origin not allowed by that source: ``403 origin_not_allowed``, nothing is stored
  (a "simple" request, such as the tracker's ``text/plain`` POST or a ``sendBeacon``,
  reaches the server without preflight, so refusing only the read of the answer would
  still store the events);
- no write key found, or an unknown or disabled one: the endpoint answers its own
  401/403/400 error, readable by the page if any enabled source allows the origin.

Requests without ``Origin`` (server-side SDKs, curl) are not affected. An allowed
origin is ``scheme://host[:port]``, compared case-insensitively and with default
ports dropped; ``*`` in a source's list allows every origin. No credentials are
allowed (the tracker sends none). The origins of all sources are cached for
``cache_seconds``, and re-read (at most once a second) when an origin is not found.

Install it with ``Starlette(middleware=[Middleware(TrackingCORSMiddleware)])`` (or
:func:`install`, before the app serves): it reads the running Cairn from ``scope["app"].state.cairn``.
"""

from __future__ import annotations

import time
import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn.core.http.auth import basic_auth_user
from cairn.core.http.responses import JSONResponse
from cairn.core.ingestion.errors import IngestError

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from cairn.core.runtime import Cairn
    from cairn.core.sources import SourceService

TRACKING_PATHS = ("/track", "/v1/")
"""Exact path, or prefix when it ends with ``/``."""
ALLOWED_METHODS = "POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization"
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port, or ``None`` if it is not an origin."""
    text = origin.strip()
    if text == "*":
        return text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    scheme = parts.scheme.lower()
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{host.lower()}{shown_port}"


def origin_allowed(origin: str, allowed: list[str] | frozenset[str]) -> bool:
    """Whether ``origin`` (as the browser sent it) is among ``allowed`` (as configured)."""
    normalized = normalize_origin(origin)
    if normalized is None or normalized == "*":
        return False
    wanted = {normalize_origin(item) for item in allowed}
    return normalized in wanted or "*" in wanted


class _OriginIndex:
    """The origins allowed by any enabled source, cached."""

    def __init__(self, cache_seconds: float) -> None:
        self.cache_seconds = cache_seconds
        self.origins: frozenset[str] = frozenset()
        self.loaded_at: float | None = None

    async def allows(self, sources: SourceService, origin: str) -> bool:
        now = time.monotonic()
        if self.loaded_at is None or now - self.loaded_at > self.cache_seconds:
            await self._load(sources, now)
        elif not origin_allowed(origin, self.origins) and now - self.loaded_at > 1.0:
            await self._load(sources, now)  # a source may just have been created
        return origin_allowed(origin, self.origins)

    async def _load(self, sources: SourceService, now: float) -> None:
        self.origins = frozenset(origin for source in await sources.list() if source.enabled
                                 for origin in source.allowed_origins)
        self.loaded_at = now


class TrackingCORSMiddleware:
    """ASGI middleware applying each source's allowed origins to the tracking endpoints."""

    def __init__(self, app: ASGIApp, *, paths: tuple[str, ...] = TRACKING_PATHS, max_age: int = 600,
                 cache_seconds: float = 5.0) -> None:
        self.app = app
        self.paths = paths
        self._exact = frozenset(p for p in paths if not p.endswith("/"))
        self._prefixes = tuple(p for p in paths if p.endswith("/"))
        self.max_age = max_age
        self.index = _OriginIndex(cache_seconds)

    def applies_to(self, path: str) -> bool:
        """Whether ``path`` is a tracking endpoint."""
        return path in self._exact or path.startswith(self._prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.applies_to(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        cairn = _cairn(scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(cairn, origin, scope, receive, send)
            return
        await self._request(cairn, origin, headers, scope, receive, send)

    async def _preflight(self, cairn: Cairn, origin: str, scope: Scope, receive: Receive, send: Send) -> None:
        if not await self.index.allows(cairn.sources, origin):
            response = JSONResponse(_refusal(origin, None), status_code=403, headers={"Vary": "Origin"})
        else:
            response = Response(status_code=204, headers={
                "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": ALLOWED_METHODS,
                "Access-Control-Allow-Headers": ALLOWED_HEADERS, "Access-Control-Max-Age": str(self.max_age),
                "Vary": "Origin"})
        await response(scope, receive, send)

    async def _request(self, cairn: Cairn, origin: str, headers: Headers, scope: Scope, receive: Receive,
                       send: Send) -> None:
        limit = cairn.settings.limits.max_batch_bytes
        buffered, complete = await _buffer(receive, limit)
        replay = _replaying(buffered, receive)
        write_key = _basic_user(scope) or (_write_key_in(buffered, headers, limit) if complete else None)
        source = await cairn.sources.by_write_key(write_key) if write_key else None
        if source is not None and source.enabled:
            allowed = origin_allowed(origin, source.allowed_origins)
            if not allowed:
                response = JSONResponse(_refusal(origin, source.name), status_code=403, headers={"Vary": "Origin"})
                await response(scope, replay, send)
                return
        else:
            allowed = await self.index.allows(cairn.sources, origin)
        await self.app(scope, replay, _with_cors(send, origin if allowed else None))


def install(app: Starlette) -> None:
    """Add :class:`TrackingCORSMiddleware` to ``app`` unless it is there (call before the app serves)."""
    if not any(middleware.cls is TrackingCORSMiddleware for middleware in app.user_middleware):
        app.add_middleware(TrackingCORSMiddleware)


def _cairn(scope: Scope) -> Cairn:
    app = scope.get("app")
    cairn = getattr(getattr(app, "state", None), "cairn", None)
    if cairn is None:
        raise RuntimeError("TrackingCORSMiddleware needs the running Cairn in app.state.cairn; add it to Cairn's "
                           "Starlette app (middleware=[Middleware(TrackingCORSMiddleware)]), not around it")
    return cairn  # type: ignore[no-any-return]


def _refusal(origin: str, source_name: str | None) -> dict[str, Any]:
    whose = f"source {source_name!r}" if source_name else "any enabled source"
    return {"success": False, "error": {
        "code": "origin_not_allowed", "message": f"origin {origin} is not allowed by {whose}",
        "hint": "add the website's origin (scheme://host[:port]) to the source's allowed origins"}}


async def _buffer(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """Read the body's messages up to ``limit`` bytes; say whether the whole body was read."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, True
        if size > limit:
            return messages, False


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _basic_user(scope: Scope) -> str | None:
    try:
        return basic_auth_user(Request(scope))
    except IngestError:
        return None


def _write_key_in(messages: list[Message], headers: Headers, limit: int) -> str | None:
    """The write key in a JSON body (``source.id`` or ``writeKey``), if it can be read."""
    raw = b"".join(message.get("body", b"") for message in messages)
    encoding = headers.get("content-encoding", "").strip().lower()
    try:
        if encoding in ("gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
            raw = zlib.decompressobj(wbits).decompress(raw, limit)
        body = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except (zlib.error, orjson.JSONDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    source = body.get("source")
    key = source.get("id") if isinstance(source, dict) else body.get("writeKey")
    return key if isinstance(key, str) and key else None


def _with_cors(send: Send, origin: str | None) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.add_vary_header("Origin")
            if origin is not None:
                headers["Access-Control-Allow-Origin"] = origin
        await send(message)

    return sending
