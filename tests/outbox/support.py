"""Shared by the consents, channels, outbox and privacy suites: a Cairn with these plugins,
real receivers (SMTP, HTTP) on 127.0.0.1, a GraphQL client and small helpers."""

from __future__ import annotations

import asyncio
import email
import email.policy
import importlib
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pluggy
import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cairn.core.consents import ConsentType, consent_service
from cairn.core.outbox import OutboxEntry, deliver_due, messaging_for
from cairn.core.plugin_manager import check_hook_names, create_plugin_manager
from cairn.core.runtime import Cairn
from cairn.core.store.embedded import free_port

PLUGIN_MODULES = ("cairn.core.consents.plugin", "cairn.core.outbox.plugin", "cairn.plugins.channels",
                  "cairn.graphql.consents.plugin", "cairn.graphql.outbox.plugin", "cairn.graphql.privacy.plugin")
TEST_ENV = {"CAIRN_RUN_WORKER": "0", "CAIRN_OUTBOX_BACKOFF_BASE": "0", "CAIRN_OUTBOX_MAX_ATTEMPTS": "3",
            "CAIRN_OUTBOX_LEASE_SECONDS": "30", "CAIRN_OUTBOX_SEND_TIMEOUT": "10"}


def plugin_modules() -> list[ModuleType]:
    """The modules of this feature's plugins."""
    return [importlib.import_module(name) for name in PLUGIN_MODULES]


def plugin_manager() -> pluggy.PluginManager:
    """Cairn's plugin manager plus this feature's plugins (those not registered by default yet)."""
    manager = create_plugin_manager(load_entry_points=False)
    for module in plugin_modules():
        if not manager.is_registered(module):
            manager.register(module, name=module.__name__)
    check_hook_names(manager)
    return manager


@dataclass
class GraphQL:
    """Posts GraphQL operations with an admin token."""

    http: httpx.AsyncClient
    token: str

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        """The whole response of one operation."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables},
                                        headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed."""
        result = await self.execute(query, **variables)
        assert not result.get("errors"), result["errors"]
        return result["data"]  # type: ignore[no-any-return]


@dataclass
class Recorded:
    """One request an :class:`HttpReceiver` received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """A real HTTP server (Starlette on uvicorn, 127.0.0.1) standing for an SMS gateway or a webhook receiver.

    It answers the statuses in ``script`` in turn, then ``default``; every request is recorded.
    """

    script: list[int] = field(default_factory=list)
    default: int = 200
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""

    async def _handle(self, request: Request) -> JSONResponse:
        self.requests.append(Recorded(request.method, request.url.path, dict(request.headers), await request.body()))
        status = self.script.pop(0) if self.script else self.default
        return JSONResponse({"sid": f"SM{len(self.requests)}", "message": "scripted"}, status_code=status)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[HttpReceiver]:
        """Serve on a free port for the ``async with`` block."""
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST"])])
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                               lifespan="off"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            server.should_exit = True
            await task


class _Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class _Login:
    def __init__(self, username: str, password: str) -> None:
        self.expected = (username.encode(), password.encode())

    def __call__(self, server: Any, session: Session, envelope: Envelope, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == self.expected
        return AuthResult(success=ok, handled=False)


@dataclass
class SmtpReceiver:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; ``messages`` are the e-mails it accepted, parsed."""

    controller: Controller
    mailbox: _Mailbox

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        """The accepted e-mails."""
        return [email.message_from_bytes(envelope.original_content or b"", policy=email.policy.default)
                for envelope in self.mailbox.envelopes]  # type: ignore[misc]


def self_signed_tls(folder: Path) -> ssl.SSLContext:
    """A server TLS context with a throw-away self-signed certificate for 127.0.0.1 (made by ``openssl``)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@asynccontextmanager
async def smtp_server(*, login: tuple[str, str] | None = None, starttls: ssl.SSLContext | None = None,
                      tls: ssl.SSLContext | None = None) -> AsyncIterator[SmtpReceiver]:
    """Run an SMTP server for the ``async with`` block.

    ``login``: AUTH required with these credentials (over plain text unless ``starttls``);
    ``starttls``: STARTTLS required before anything else; ``tls``: implicit TLS.
    """
    mailbox = _Mailbox()
    options: dict[str, Any] = {}
    if login:
        options = {"authenticator": _Login(*login), "auth_require_tls": starttls is not None,
                   "auth_required": starttls is not None}
    if starttls is not None:
        options.update(tls_context=starttls, require_starttls=True)
    if tls is not None:
        options.update(ssl_context=tls)
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **options)
    await asyncio.to_thread(controller.start)
    try:
        yield SmtpReceiver(controller, mailbox)
    finally:
        await asyncio.to_thread(controller.stop)


async def create_profile(cairn: Cairn, profile_id: str, **fields: Any) -> dict[str, Any]:
    """Store a profile directly (what ingestion would have created)."""
    profile = {"id": profile_id, "version": 0, "traits": {}, **fields}
    await cairn.pipeline.repository.insert_many([profile])
    return profile


async def create_consent_type(cairn: Cairn, type_id: str, *, channels: tuple[str, ...] = (),
                              purposes: tuple[str, ...] = ("marketing",), **fields: Any) -> ConsentType:
    """Save a consent type."""
    consent_type = ConsentType(id=type_id, name=type_id.title(), channels=channels, purposes=purposes, **fields)
    return await consent_service(cairn).types.save(consent_type)


async def set_channel(cairn: Cairn, channel: str, **values: Any) -> None:
    """Store a channel's settings."""
    messaging = messaging_for(cairn)
    await messaging.load_channels()
    found = messaging.channels.get(channel)
    assert found is not None, channel
    await messaging.channel_settings.update(found, values)


async def deliver(cairn: Cairn) -> int:
    """Run the worker until nothing is due."""
    return await deliver_due(cairn)


async def entry(cairn: Cairn, entry_id: str) -> OutboxEntry:
    """The outbox entry, as stored now."""
    found = await messaging_for(cairn).outbox.get(entry_id)
    assert found is not None
    return found


async def wait_for_status(cairn: Cairn, entry_id: str, status: str, timeout: float = 5.0) -> OutboxEntry:
    """Poll the entry until it reaches ``status`` (the embedded worker runs in the background)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        current = await entry(cairn, entry_id)
        if current.status == status or asyncio.get_running_loop().time() > deadline:
            return current
        await asyncio.sleep(0.02)
